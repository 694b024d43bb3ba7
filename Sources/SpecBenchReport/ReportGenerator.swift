import SpecBenchCore
import Foundation
import SpecBenchResults

/// `bench report RUN`: the figures (gnuplot: PNG, SVG, with their script and data) into
/// `plots/<run>/`, and `tables.md` / `tables.tex` into the run folder. Without gnuplot the
/// scripts, data and tables are still written and the outcome says how to install it.
public enum ReportGenerator {
    /// What a report produced.
    public struct Outcome: Sendable {
        /// The figures planned (one `.dat` and `.gp` each).
        public var figures: [FigurePlan]
        /// Images rendered (PNG and SVG paths).
        public var images: [String]
        /// The tables file paths.
        public var tables: [String]
        /// Set when gnuplot is missing or failed: what to do about it.
        public var warning: String?
    }

    /// The run's `tables.md` (per-point tables and, with two precisions, the float32 summary)
    /// and `tables.tex`, as `generate` writes them. O(records).
    public static func tableTexts(manifest: RunManifest, records: [SweepRecord]) -> (markdown: String, latex: String) {
        let estimates = records.filter { $0.result.task == nil }
        let tables = PointTable.tables(estimates, paperValues: manifest.configuration.paperValues)
        let precision = PrecisionSummary(estimates).map { "\n" + $0.markdown } ?? ""
        let clipping = ClipSummary(records, tolerance: manifest.configuration.clip?.tolerance ?? ClipSettings.defaultTolerance)
            .map { "\n## Clipping\n\n" + $0.markdown } ?? ""
        return (TableWriter.markdown(tables, manifest: manifest) + precision + clipping, TableWriter.latex(tables, manifest: manifest))
    }

    /// Generates the report of the finished run in `runFolder`; figures go to
    /// `plotsRoot/<run name>/`.
    /// `peakFigures` adds, beside each figure, its fraction-of-peak figure (`NAME-peak`) when the
    /// run calibrated the machine's peaks.
    /// `expecting` says which records the run must hold (`RunExpectation`).
    public static func generate(runFolder: String, expecting expectation: RunExpectation, plotsRoot: String = "plots",
                                peakFigures: Bool = false) throws -> Outcome {
        let directory = RunDirectory(path: runFolder)
        let (manifest, records) = try directory.loadFinished(expecting: expectation)
        guard !records.isEmpty else {
            throw InvalidInput("'\(runFolder)' has no result records (an empty shard?): nothing to report")
        }
        let texts = tableTexts(manifest: manifest, records: records)
        let markdownURL = directory.url.appendingPathComponent("tables.md")
        let latexURL = directory.url.appendingPathComponent("tables.tex")
        try Data(texts.markdown.utf8).write(to: markdownURL, options: .atomic)
        try Data(texts.latex.utf8).write(to: latexURL, options: .atomic)
        // The CSV export in the current format (a run recorded by an older version gains its columns).
        try CSVExport.write(records, of: manifest, to: directory.csvURL)

        let peaks = manifest.calibration?.peaks
        if peakFigures && peaks == nil {
            throw InvalidInput("'\(runFolder)' calibrated no peak rates (a run made before they were measured): no fraction-of-peak figures; run the sweep again")
        }
        let figures = FigurePlanner.plans(records, peaks: peakFigures ? peaks : nil, machines: RunMachines(manifest))
        let plotFolder = URL(fileURLWithPath: plotsRoot).appendingPathComponent(manifest.name)
        try FileManager.default.createDirectory(at: plotFolder, withIntermediateDirectories: true)
        var scripts: [String] = []
        for figure in figures {
            let dataName = figure.name + ".dat"
            try Data(FigureData.text(figure).utf8).write(to: plotFolder.appendingPathComponent(dataName), options: .atomic)
            let scriptName = figure.name + ".gp"
            try Data(GnuplotScript.text(figure, dataFile: dataName).utf8).write(to: plotFolder.appendingPathComponent(scriptName), options: .atomic)
            scripts.append(scriptName)
            if peakFigures && figure.axis != .layerHeatmap {  // a heatmap has no peak companion
                let peakName = figure.name + "-peak.gp"
                try Data(GnuplotScript.peakText(figure, dataFile: dataName).utf8).write(to: plotFolder.appendingPathComponent(peakName), options: .atomic)
                scripts.append(peakName)
            }
        }
        var images: [String] = []
        var warning: String?
        if !scripts.isEmpty {
            switch Gnuplot.render(scripts: scripts, in: plotFolder) {
            case .success:
                images = scripts.flatMap { script in
                    let name = String(script.dropLast(3))
                    return [plotFolder.appendingPathComponent(name + ".png").path, plotFolder.appendingPathComponent(name + ".svg").path]
                }
            case .failure(let problem):
                warning = problem
            }
        }
        return Outcome(figures: figures, images: images, tables: [markdownURL.path, latexURL.path], warning: warning)
    }
}

/// Runs gnuplot on figure scripts.
enum Gnuplot {
    enum Result { case success, failure(String) }

    static let installHint = "gnuplot is not installed, so the figures were not rendered (their .gp scripts and .dat data are written). Install it with `sudo apt-get install gnuplot-nox` (or scripts/install-dependencies), then run `bench report` again. The tables were written."

    /// Renders every script in `folder` (one gnuplot process for all).
    static func render(scripts: [String], in folder: URL) -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gnuplot"] + scripts
        process.currentDirectoryURL = folder
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return .failure(installHint)
        }
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        if process.terminationStatus == 127 || message.contains("No such file or directory") && message.contains("gnuplot") {
            return .failure(installHint)
        }
        guard process.terminationStatus == 0 else {
            return .failure("gnuplot failed (status \(process.terminationStatus)): \(message.split(separator: "\n").prefix(5).joined(separator: " | "))")
        }
        return .success
    }
}
