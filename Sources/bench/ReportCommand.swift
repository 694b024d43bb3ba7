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

    @Option(name: .long, help: ArgumentHelp("Folder under which plots/<run>/ is written.", valueName: "DIR"))
    var plots: String = "plots"

    @Flag(name: .long, help: "Also draw, beside each figure, each method's fraction of the machine's calibrated peak (NAME-peak.png).")
    var peakFigures = false

    func run() throws {
        try reportingInvalidInput {
            try OutputFolder.check(plots, option: "--plots")
            try ReportPrinter.generate(runFolder: runFolder, plotsRoot: plots, peakFigures: peakFigures)
        }
    }
}

/// Runs the report generator and says what it wrote (stderr) — shared by `report` and `sweep`.
enum ReportPrinter {
    static func generate(runFolder: String, plotsRoot: String, peakFigures: Bool = false) throws {
        let outcome = try ReportGenerator.generate(runFolder: runFolder, plotsRoot: plotsRoot, peakFigures: peakFigures)
        Log.error("report: \(outcome.figures.count) figures, \(outcome.images.count) images, tables \(outcome.tables.joined(separator: ", "))")
        if let warning = outcome.warning { Log.error("warning: \(warning)") }
    }
}
