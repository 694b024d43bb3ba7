import SpecBenchCore
import ArgumentParser
import Foundation
import SpecBenchMethods
import SpecBenchResults

/// `bench methods`: every method with its citation, summary and parameters (defaults and
/// accepted values), from the metadata declared with each method.
struct MethodsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "methods",
        abstract: "List every method with its parameters, defaults and accepted values.",
        discussion: "`--format markdown` prints the parameter table kept in bench-configs/README.md, `--format overview` the method table of README.md (a test checks that both agree).")

    /// Output formats.
    enum Format: String, CaseIterable, ExpressibleByArgument { case text, markdown, overview }

    @Option(name: .long, help: "Output format.")
    var format: Format = .text

    @Option(name: .long, help: ArgumentHelp(
        "Rewrite the generated method blocks of these Markdown files in place (README.md, bench-configs/README.md).",
        valueName: "PATH.md"))
    var update: [String] = []

    func run() throws {
        if !update.isEmpty {
            try reportingInvalidInput {
                for path in update {
                    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                        throw InvalidInput("cannot read '\(path)'; accepted: a Markdown file holding a generated method block")
                    }
                    guard let updated = MethodDocumentation.updating(text) else {
                        throw InvalidInput("'\(path)' holds no generated method block (its first line is \(MethodDocumentation.beginMarker))")
                    }
                    try Data(updated.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
                }
            }
            return
        }
        switch format {
        case .text: print(MethodDocumentation.text(), terminator: "")
        case .markdown: print(MethodDocumentation.markdownTable(), terminator: "")
        case .overview: print(MethodDocumentation.overviewTable(), terminator: "")
        }
    }
}
