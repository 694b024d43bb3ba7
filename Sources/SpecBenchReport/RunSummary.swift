import Foundation
import SpecBenchCore
import SpecBenchMethods
import SpecBenchResults

/// The generated blocks of the docs that show committed runs (`docs/results.md`, the README's
/// figure table), rendered from the runs' records by `bench summary --update FILE` and checked
/// current by a test, so that no number in the docs is pasted by hand.
///
/// A block starts with `<!-- bench summary: run NAME -->` (every method of the run summarised;
/// per layer for runs of named layers) or `<!-- bench summary: point NAME POINT-ID -->` (one
/// point's table, as in `tables.md`) or `<!-- bench summary: precision NAME -->` (the float32
/// against float64 summary of a run in both precisions) or `<!-- bench summary: clip NAME -->`
/// (the clipping table of a run with clips, `ClipSummary`) and ends with `<!-- end of bench summary -->`. O(records).
public enum RunSummary {
    /// The end of every block.
    public static let endMarker = "<!-- end of bench summary -->"
    static let beginPrefix = "<!-- bench summary: "

    /// A run as the summary reads it.
    public typealias Run = (manifest: RunManifest, records: [SweepRecord])

    /// Every block of `text` re-rendered from the runs `load` returns by name; nil when `text`
    /// holds no block. A block naming an unknown kind, run or point is an `InvalidInput`.
    public static func updating(_ text: String, load: (String) throws -> Run) throws -> String? {
        var lines = text.components(separatedBy: "\n")
        var index = 0
        var found = false
        while index < lines.count {
            let line = lines[index].trimmingCharacters(in: .whitespaces)
            guard line.hasPrefix(beginPrefix), line.hasSuffix("-->") else { index += 1; continue }
            found = true
            let words = line.dropFirst(beginPrefix.count).dropLast(3).split(separator: " ").map(String.init)
            guard let end = lines[(index + 1)...].firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == endMarker }) else {
                throw InvalidInput("the block '\(line)' has no end line \(endMarker)")
            }
            let block: String
            switch (words.first, words.count) {
            case ("run", 2):
                block = try runMarkdown(load(words[1]))
            case ("point", 3):
                block = try pointMarkdown(load(words[1]), point: words[2])
            case ("clip", 2):
                let run = try load(words[1])
                guard let summary = ClipSummary(run.records, tolerance: run.manifest.configuration.clip?.tolerance ?? ClipSettings.defaultTolerance) else {
                    throw InvalidInput("run \(run.manifest.name) has no clip records: no clipping summary")
                }
                block = summary.markdown
            case ("precision", 2):
                let run = try load(words[1])
                guard let summary = PrecisionSummary(run.records) else {
                    throw InvalidInput("run \(run.manifest.name) has one precision: no float32 summary")
                }
                block = summary.markdown
            default:
                throw InvalidInput("unknown block '\(line)'; accepted: \(beginPrefix)run NAME -->, \(beginPrefix)point NAME POINT-ID --> \(beginPrefix)precision NAME --> or \(beginPrefix)clip NAME -->")
            }
            let body = ["", block.trimmingCharacters(in: .newlines), ""]
            lines.replaceSubrange((index + 1)..<end, with: body)
            index += body.count + 2
        }
        return found ? lines.joined(separator: "\n") : nil
    }

    /// One point's table of a run (`TableWriter.pointMarkdown`), float64.
    public static func pointMarkdown(_ run: Run, point: String) throws -> String {
        let tables = PointTable.tables(run.records.filter { $0.result.task == nil }, paperValues: run.manifest.configuration.paperValues)
        guard let table = tables.first(where: { $0.point == point && $0.precision == .float64 }) else {
            throw InvalidInput("run \(run.manifest.name) has no point '\(point)'")
        }
        return TableWriter.pointMarkdown(table, manifest: run.manifest)
    }

    /// A run's summary: where and how it was measured, one row per method run (results that
    /// ran, signed relative error median and range, guarantees held and broken, median time),
    /// and, when every point is a named layer, one row per layer with every method's error and
    /// the tightest bound that held.
    public static func runMarkdown(_ run: Run) -> String {
        let manifest = run.manifest
        let records = run.records.filter { $0.result.task == nil }
        let context = manifest.context
        let points = Set(records.map(\.point)).count
        var out = "`results/\(manifest.name)/`: \(points) points"
        if let mirrors = manifest.configuration.mirrors { out += "; mirrors \(mirrors)" }
        out += ". Measured on \(context.cpuModel), OpenBLAS core \(context.blasCoreInUse ?? "unknown"), "
            + "\(context.buildConfiguration) build, BLAS threads \(context.blasThreads)"
            + (context.gitCommit.map { ", commit \($0.prefix(7))" } ?? "") + "."
            + (RunMachines(manifest).note.map { " " + $0 + " The median times below mix them." } ?? "") + "\n\n"
        out += "| method | precision | ran | signed error: median | range | guarantee held | broken | time (median) |\n"
        out += "|---|---|---:|---:|---|---:|---:|---:|\n"
        var keys: [String] = []
        for record in records where !keys.contains(record.result.runKey) { keys.append(record.result.runKey) }
        for key in keys {
            let results = records.map(\.result).filter { $0.runKey == key }
            let ran = results.filter { $0.status == .ok }
            let errors = ran.compactMap(\.relativeError).sorted()
            let times = ran.compactMap(\.seconds).sorted()
            let held = results.filter { $0.guaranteeHeld == true }.count
            let broken = results.filter { $0.guaranteeHeld == false }.count
            let first = results[0]
            let median = errors.isEmpty ? "—" : ResultFormatting.relativeError(TimingStatistics.quantile(errors, 0.5))
            let range = errors.isEmpty ? "—" : "\(ResultFormatting.relativeError(errors.first!)) … \(ResultFormatting.relativeError(errors.last!))"
            let time = times.isEmpty ? "—" : ResultFormatting.seconds(TimingStatistics.quantile(times, 0.5))
            out += "| `\(first.method)` | \(first.precision.rawValue) | \(ran.count) of \(results.count) | \(median) | \(range) | \(held) | \(broken) | \(time) |\n"
        }
        if let external = manifest.configuration.external, !external.isEmpty {
            out += "\n" + externalMarkdown(records, external: external.map(\.id))
        }
        if records.allSatisfy({ $0.label != nil }) { out += "\n" + layerMarkdown(records) }
        return out
    }

    /// One row per external method (docs/external-methods.md) and kind of point (random
    /// kernels, grouped layers, trained layers): results, signed error (median, lowest,
    /// highest), how often a value sold as an upper bound fell below the exact σ, and its median
    /// time against our `gram-zero` at the same points (the command's in-process time, and the
    /// whole process's).
    static func externalMarkdown(_ records: [SweepRecord], external: [String]) -> String {
        func kind(_ record: SweepRecord) -> String {
            record.label != nil ? "trained layers" : (record.operator.groups > 1 ? "grouped (random)" : "random kernels")
        }
        let byPoint = Dictionary(grouping: records, by: \.point)
        var out = "| external method | points | ran | signed error: median | lowest | highest | below σ (sold as upper) | time ÷ ours (gram-zero) | whole process ÷ ours |\n"
        out += "|---|---|---:|---:|---:|---:|---:|---:|---:|\n"
        for id in external {
            let mine = records.filter { $0.result.method == id }
            let kinds = ["random kernels", "grouped (random)", "trained layers"].filter { name in mine.contains { kind($0) == name } }
            for name in kinds {
                let subset = mine.filter { kind($0) == name }
                let ran = subset.filter { $0.result.status == .ok }
                let errors = ran.compactMap(\.result.relativeError).sorted()
                let below = ran.filter { $0.result.guarantee == .upper && $0.result.guaranteeHeld == false }.count
                let sold = ran.filter { $0.result.guarantee == .upper }.count
                var ratios: [Double] = [], processRatios: [Double] = []
                for record in ran {
                    guard let ours = byPoint[record.point]?.first(where: { $0.result.method == "gram-zero" && $0.result.status == .ok })?.result.seconds,
                          ours > 0, let seconds = record.result.seconds else { continue }
                    ratios.append(seconds / ours)
                    if let whole = record.result.external?.processSeconds { processRatios.append(whole / ours) }
                }
                func median(_ values: [Double]) -> String {
                    values.isEmpty ? "—" : String(format: "%.3g×", TimingStatistics.quantile(values.sorted(), 0.5))
                }
                let error = { (value: Double?) in value.map(ResultFormatting.relativeError) ?? "—" }
                out += "| `\(id)` | \(name) | \(ran.count) of \(subset.count) | \(error(errors.isEmpty ? nil : TimingStatistics.quantile(errors, 0.5))) "
                    + "| \(error(errors.first)) | \(error(errors.last)) | \(sold == 0 ? "—" : "\(below) of \(sold)") | \(median(ratios)) | \(median(processRatios)) |\n"
            }
        }
        return out
    }

    /// One row per named layer (float64, from `PointTable`): shape, n, stride, the exact σ,
    /// every method's signed error (✗ where a claimed guarantee broke), and the tightest upper
    /// bound that held (the tables' ★).
    static func layerMarkdown(_ records: [SweepRecord]) -> String {
        let tables = PointTable.tables(records, paperValues: []).filter { $0.precision == .float64 }
        let methods = tables.first?.results.map(\.method).filter { $0 != ReferenceMethod.id } ?? []
        var out = "| # | layer | cout×cin×kh×kw | n | s | σ (exact) | " + methods.joined(separator: " | ") + " | tightest bound |\n"
        out += "|---:|---|---|---:|---:|---:|" + String(repeating: "---:|", count: methods.count) + "---|\n"
        for (index, table) in tables.enumerated() {
            let o = table.operator
            // Groups and transposition beside the kernel; the n column is the forward input.
            let shape = "\(o.cout)×\(o.cin)×\(o.kh)×\(o.kw)" + (o.groups != 1 ? " g\(o.groups)" : "") + (o.transposed ? " (transposed)" : "")
            let sigma: String = table.reference.map { String(format: "%.4g", $0) } ?? "—"
            var cells: [String] = [String(index + 1), "`" + (table.label ?? table.point) + "`", shape, o.inputLabel, "\(o.stride)", sigma]
            for method in methods {
                guard let result = table.results.first(where: { $0.method == method }) else { cells.append("—"); continue }
                switch result.status {
                case .ok: cells.append(ResultFormatting.relativeError(result.relativeError) + (result.guaranteeHeld == false ? " ✗" : ""))
                case .notApplicable: cells.append("n/a")
                default: cells.append(result.status.rawValue)
                }
            }
            cells.append(table.bestBound.map { "`" + $0 + "`" } ?? "—")
            out += "| " + cells.joined(separator: " | ") + " |\n"
        }
        return out
    }
}
