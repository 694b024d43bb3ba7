import SpecBenchCore
import ArgumentParser
import Foundation
import SpecBenchHarness
import SpecBenchResults
import SpecBenchReport

/// `bench report RUN`: figures and tables of a finished sweep run.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the figures (plots/<run>/) and tables (RUN/tables.md, tables.tex) of a finished sweep run.")

    @Argument(help: ArgumentHelp("A finished run folder, e.g. results/default.", valueName: "RUN"))
    var runFolder: String

    @OptionGroup var figures: FigureFolder

    @Flag(name: .long, help: "Also draw, beside each figure, each method's fraction of the machine's calibrated peak (NAME-peak.png).")
    var peakFigures = false

    func run() throws {
        try reportingInvalidInput {
            try OutputFolder.check(figures.plots, option: "--plots")
            try ReportPrinter.generate(runFolder: runFolder, plotsRoot: figures.plots, peakFigures: peakFigures)
        }
    }
}

/// `--plots DIR`, shared by `report` and `sweep`.
struct FigureFolder: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Folder under which the report's plots/<run>/ is written.", valueName: "DIR"))
    var plots: String = "plots"
}

/// Runs the report generator and says what it wrote (stderr) — shared by `report` and `sweep`.
enum ReportPrinter {
    static func generate(runFolder: String, plotsRoot: String, peakFigures: Bool = false) throws {
        let outcome = try ReportGenerator.generate(runFolder: runFolder, expecting: SweepExpectation.standard, plotsRoot: plotsRoot,
                                                   peakFigures: peakFigures)
        Log.error("report: \(outcome.figures.count) figures, \(outcome.images.count) images, tables \(outcome.tables.joined(separator: ", "))")
        if let warning = outcome.warning { Log.error("warning: \(warning)") }
    }
}

/// `bench summary --update FILE...`: re-render the docs' generated result blocks from the runs.
struct SummaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract: "Print a finished run's summary, or rewrite the generated result blocks of Markdown files (docs/results.md, README.md) from the runs.",
        discussion: "A block starts with `<!-- bench summary: run NAME -->` or `<!-- bench summary: point NAME POINT-ID -->` and ends with `<!-- end of bench summary -->`; NAME is a run folder under --results. A test checks that the committed docs are current.")

    @Argument(help: ArgumentHelp("Run names to print a summary of (folders under --results).", valueName: "NAME"))
    var names: [String] = []

    @Option(name: .long, help: ArgumentHelp("Rewrite the generated blocks of these Markdown files in place.", valueName: "PATH.md"))
    var update: [String] = []

    @Option(name: .long, help: ArgumentHelp("The folder holding the runs.", valueName: "DIR"))
    var results: String = "results"

    func run() throws {
        try reportingInvalidInput {
            let load: (String) throws -> RunSummary.Run = { name in
                try RunDirectory(path: results + "/" + name).loadFinished(expecting: SweepExpectation.standard)
            }
            for name in names { print(RunSummary.runMarkdown(try load(name)), terminator: "") }
            for path in update {
                guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                    throw InvalidInput("cannot read '\(path)'; accepted: a Markdown file holding a generated summary block")
                }
                guard let updated = try RunSummary.updating(text, load: load) else {
                    throw InvalidInput("'\(path)' holds no generated summary block (a line <!-- bench summary: run NAME -->)")
                }
                try Data(updated.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            }
        }
    }
}
