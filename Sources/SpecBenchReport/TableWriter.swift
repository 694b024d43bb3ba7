import SpecBenchCore
import Foundation
import SpecBenchResults
import SpecBenchMethods

/// `tables.md` and `tables.tex` (booktabs) of a run: an overview (points as rows, methods as
/// columns, signed relative error and time), then one table per point with methods as columns
/// and value, ratio to the reference, relative error, guarantee, time and memory as rows.
/// ★ marks the most accurate guaranteed bound, † the fastest method; published numbers for the
/// same setup are shown beside ours.
public enum TableWriter {
    /// Cell texts shared by both formats.
    enum Cell {
        static func value(_ r: MethodResult) -> String {
            guard r.status == .ok else { return r.status.rawValue }
            return ResultFormatting.value(r.value)
        }
        static func ratio(_ r: MethodResult) -> String {
            guard r.status == .ok, let e = r.relativeError else { return "—" }
            return String(format: "%.6f", 1 + e)
        }
        static func error(_ r: MethodResult) -> String {
            guard r.status == .ok else { return "—" }
            return ResultFormatting.relativeError(r.relativeError)
        }
        static func guarantee(_ r: MethodResult) -> String {
            guard let g = r.guarantee else { return r.status == .notApplicable ? "n/a" : "—" }
            switch r.guaranteeHeld {
            case true?: return "\(g.rawValue), held"
            case false?: return "\(g.rawValue), BROKEN"
            case nil: return g.rawValue
            }
        }
        static func time(_ r: MethodResult) -> String { r.status == .ok ? ResultFormatting.seconds(r.seconds) : "—" }
        static func memory(_ r: MethodResult) -> String { r.status == .ok ? ResultFormatting.bytes(r.peakBytes) : "—" }
        static func overview(_ r: MethodResult) -> String {
            switch r.status {
            case .ok:
                let broken = r.guaranteeHeld == false ? " ✗ \(r.guarantee?.rawValue ?? "") broken" : ""
                return "\(ResultFormatting.relativeError(r.relativeError)) (\(ResultFormatting.seconds(r.seconds)))\(broken)"
            case .notApplicable: return "n/a"
            default: return r.status.rawValue
            }
        }
    }

    /// Row labels of a point table, in order.
    static let rowLabels = ["value", "ratio to reference", "relative error", "guarantee", "time (median)", "peak memory"]
    static let rowCells: [@Sendable (MethodResult) -> String] = [Cell.value, Cell.ratio, Cell.error, Cell.guarantee, Cell.time, Cell.memory]

    /// The rows of a point table for a run: the fixed rows, then, when the run calibrated the
    /// machine's peaks, "fraction of peak": each result's cost model (`OperationCount`) at the
    /// calibrated peak rates over its median time, with the operation count (our code against
    /// its libraries); and, when it measured the CPU's nominal peak, "fraction of nominal peak":
    /// the same operations at that peak over the time (the libraries against the machine).
    /// `peaks` are the rates of the machine the point was measured on (`RunMachines`).
    static func rows(peaks: MachinePeaks?) -> [(label: String, cell: (MethodResult) -> String)] {
        var rows: [(label: String, cell: (MethodResult) -> String)] = Array(zip(rowLabels, rowCells.map { cell in { cell($0) } }))
        if let peaks {
            rows.append(("fraction of peak", { result in
                guard result.status == .ok, let operations = result.operations, let seconds = result.seconds,
                      let fraction = peaks.fractionOfPeak(operations, seconds: seconds, precision: result.precision)
                else { return "—" }
                return ResultFormatting.percentage(fraction) + " of " + ResultFormatting.operations(operations.total)
            }))
            if peaks.nominal != nil {
                rows.append(("fraction of nominal peak", { result in
                    guard result.status == .ok, let operations = result.operations, let seconds = result.seconds,
                          let fraction = peaks.fractionOfNominalPeak(operations, seconds: seconds, precision: result.precision)
                    else { return "—" }
                    return ResultFormatting.percentage(fraction)
                }))
            }
        }
        return rows
    }

    /// The Markdown text.
    public static func markdown(_ tables: [PointTable], manifest: RunManifest) -> String {
        let methods = tables.first?.results.map(\.method) ?? []
        var out = "# \(manifest.name): tables\n\n"
        if let description = manifest.configuration.description { out += description + "\n\n" }
        if let mirrors = manifest.configuration.mirrors { out += "Mirrors: \(mirrors)\n\n" }
        out += legend(manifest) + "\n\n"
        out += "## Overview: signed relative error to the exact reference (median time)\n\n"
        let mixed = tables.contains { $0.mixedPrecisions }
        let machines = RunMachines(manifest)
        out += "| point |" + (machines.isMixed ? " machine |" : "") + (mixed ? " precision |" : "") + " σ (reference) | tier | " + methods.filter { $0 != ReferenceMethod.id }.joined(separator: " | ") + " |\n"
        out += "|---|" + (machines.isMixed ? "---|" : "") + (mixed ? "---|" : "") + "---:|---|" + String(repeating: "---:|", count: methods.count - 1) + "\n"
        for table in tables {
            var cells = [table.heading] + (machines.isMixed ? [machines.machine(ofPoint: table.point).label] : [])
                + (mixed ? [table.precision.rawValue] : []) + [ResultFormatting.value(table.reference), table.tier ?? "—"]
            for result in table.results where result.method != ReferenceMethod.id {
                cells.append(mark(Cell.overview(result), result.method, table, bold: { "**\($0)**" }))
            }
            out += "| " + cells.joined(separator: " | ") + " |\n"
        }
        out += "\n## Per point\n"
        for table in tables {
            out += "\n### \(table.sectionHeading)\(machineSuffix(table, machines))\n\n" + pointMarkdown(table, manifest: manifest, machines: machines)
        }
        return out
    }

    /// One point's table in Markdown: methods as columns (★ and † marked), value, ratio to the
    /// reference, relative error, guarantee, time, memory and the fractions of peak as rows,
    /// then any published numbers. What `tables.md` shows under each point's heading.
    /// `machines` is `RunMachines(manifest)`, given when the caller has it (built once per run).
    public static func pointMarkdown(_ table: PointTable, manifest: RunManifest, machines: RunMachines? = nil) -> String {
        let machines = machines ?? RunMachines(manifest)
        var out = "| | " + table.results.map { header($0.method, table) }.joined(separator: " | ") + " |\n"
        out += "|---|" + String(repeating: "---:|", count: table.results.count) + "\n"
        for (label, cell) in rows(peaks: machines.peaks(ofPoint: table.point)) {
            out += "| \(label) | " + table.results.map(cell).joined(separator: " | ") + " |\n"
        }
        for published in table.published {
            out += "| published rel. error (\(published.source)) | " + table.results.map { r in
                published.errors[r.method].map { ResultFormatting.relativeError($0) } ?? ""
            }.joined(separator: " | ") + " |\n"
        }
        return out
    }

    /// The LaTeX text (needs `\usepackage{booktabs}`; tables are plain `tabular`s under
    /// `\paragraph` headings, so any number of them can be `\input` into a paper).
    public static func latex(_ tables: [PointTable], manifest: RunManifest) -> String {
        let methods = tables.first?.results.map(\.method) ?? []
        let others = methods.filter { $0 != ReferenceMethod.id }
        let machines = RunMachines(manifest)
        var out = "% \(manifest.name): tables generated by `bench report`. Requires \\usepackage{booktabs}.\n"
        out += "% \(escape(legend(manifest)))\n\n"
        out += "\\paragraph{Overview: signed relative error to the exact reference (median time).}\n\n"
        let mixed = tables.contains { $0.mixedPrecisions }
        out += "\\begin{tabular}{l" + (mixed ? " l" : "") + " r" + String(repeating: " r", count: others.count) + "}\n\\toprule\n"
        out += "point & " + (mixed ? "precision & " : "") + "$\\sigma$ & " + others.map { "\\texttt{\(escape($0))}" }.joined(separator: " & ") + " \\\\\n\\midrule\n"
        for table in tables {
            var cells = [escape(table.heading)] + (mixed ? [table.precision.rawValue] : []) + [ResultFormatting.value(table.reference)]
            for result in table.results where result.method != ReferenceMethod.id {
                cells.append(mark(escape(Cell.overview(result)), result.method, table, bold: { "\\textbf{\($0)}" }, latex: true))
            }
            out += cells.joined(separator: " & ") + " \\\\\n"
        }
        out += "\\bottomrule\n\\end{tabular}\n"
        for table in tables {
            out += "\n\\paragraph{\(escape(table.sectionHeading + machineSuffix(table, machines))).}\n\n"
            out += "\\begin{tabular}{l" + String(repeating: " r", count: table.results.count) + "}\n\\toprule\n"
            out += " & " + table.results.map { r in
                "\\texttt{\(escape(r.method))}" + (r.method == table.bestBound ? "$^\\star$" : "") + (r.method == table.fastest ? "$^\\dagger$" : "")
            }.joined(separator: " & ") + " \\\\\n\\midrule\n"
            for (label, cell) in rows(peaks: machines.peaks(ofPoint: table.point)) {
                out += escape(label) + " & " + table.results.map { escape(cell($0)) }.joined(separator: " & ") + " \\\\\n"
            }
            for published in table.published {
                out += "published (\(escape(published.source))) & " + table.results.map { r in
                    published.errors[r.method].map { escape(ResultFormatting.relativeError($0)) } ?? ""
                }.joined(separator: " & ") + " \\\\\n"
            }
            out += "\\bottomrule\n\\end{tabular}\n"
        }
        return out
    }

    /// ` · measured on M2` in a run measured on several machines; empty otherwise.
    static func machineSuffix(_ table: PointTable, _ machines: RunMachines) -> String {
        machines.isMixed ? " · measured on \(machines.machine(ofPoint: table.point).label)" : ""
    }

    private static func legend(_ manifest: RunManifest) -> String {
        let c = manifest.configuration
        return "Reference: exact top singular value (dense LAPACK SVD up to \(c.reference.denseLimit) columns, fft-block-svd or Lanczos above). "
            + "Relative error = (value − reference)/reference. Times: median of \(c.repetitions) repetitions after \(c.warmup) warm-up; "
            + "memory: peak resident above the idle baseline. ★ most accurate guaranteed upper bound; † fastest method (reference excluded); "
            + "✗ a claimed guarantee did not hold against the reference. "
            + externalLegend(c)
            + (manifest.calibration?.peaks == nil ? "" : "Fraction of peak: the method's operation count at the machine's calibrated peak rates (real and complex gemm, LAPACK SVD, FFT; docs/performance.md) over its median time. ")
            + (manifest.calibration?.peaks?.nominal.map { "Fraction of nominal peak: the same operations at the CPU's nominal peak, \($0.summary), over the median time. " } ?? "")
            + "Build: \(manifest.context.buildConfiguration), \(manifest.context.cpuModel), BLAS threads \(manifest.context.blasThreads)"
            + (manifest.context.blasCoreInUse.map { ", OpenBLAS core \($0)" } ?? "") + "."
            + (RunMachines(manifest).note.map { " " + $0 + " Fractions of peak use each point's own machine's rates; the fastest (†) is marked within a point, where every method ran on one machine." } ?? "")
    }

    /// What the times and memory of external methods are (docs/external-methods.md), when the
    /// run has any.
    private static func externalLegend(_ configuration: SweepConfiguration) -> String {
        guard let external = configuration.external, !external.isEmpty else { return "" }
        return "External methods (\(external.map(\.id).joined(separator: ", "))): their times are the command's own in-process "
            + "measurements per repetition (interpreter start-up and imports excluded; the records' external.processSeconds "
            + "has the whole process); their peak memory is the whole process tree's, interpreter included. "
    }

    private static func header(_ method: String, _ table: PointTable) -> String {
        method + (method == table.bestBound ? " ★" : "") + (method == table.fastest ? " †" : "")
    }

    private static func mark(_ text: String, _ method: String, _ table: PointTable, bold: (String) -> String, latex: Bool = false) -> String {
        var result = method == table.bestBound ? bold(text) : text
        if method == table.bestBound { result += latex ? "$^\\star$" : " ★" }
        if method == table.fastest { result += latex ? "$^\\dagger$" : " †" }
        return result
    }

    /// Escapes LaTeX specials.
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "\\": out += "\\textbackslash{}"
            case "%", "&", "#", "_", "$", "{", "}": out += "\\\(character)"
            case "~": out += "\\textasciitilde{}"
            case "^": out += "\\textasciicircum{}"
            case "×": out += "$\\times$"
            case "σ": out += "$\\sigma$"
            case "µ": out += "$\\mu$"
            case "−": out += "$-$"
            case "·": out += "$\\cdot$"
            case "✗": out += "$\\times$"
            case "★": out += "$\\star$"
            case "†": out += "$\\dagger$"
            case "—": out += "--"
            default: out.append(character)
            }
        }
        return out
    }
}
