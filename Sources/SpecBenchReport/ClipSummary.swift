import SpecBenchCore
import SpecBenchResults

/// The clipping table of a run (docs/clipping.md): for every scope and target, one row per
/// clipping method over the run's points: its guarantee, how many clips ended at or below the
/// target (within the run's tolerance), how many over-clipped (below `min(σ_before, c)` by more
/// than the tolerance), `σ_after/c` (median, lowest, highest), the layer's relative Frobenius
/// change (median), how far the top-k values that were already below `c` moved (median), broken
/// guarantees, errors and the median time. Nil for a run without clip records. O(records).
public struct ClipSummary: Sendable {
    /// The clip records.
    public let records: [SweepRecord]
    /// The run's tolerance (`ClipSettings.tolerance`).
    public let tolerance: Double

    /// The summary of `records`' clip records, nil when there are none.
    public init?(_ records: [SweepRecord], tolerance: Double) {
        let clips = records.filter { $0.result.task == MethodResult.clipTask }
        guard !clips.isEmpty else { return nil }
        self.records = clips
        self.tolerance = tolerance
    }

    /// Whether a record clipped correctly: `σ_after ≤ c·(1 + tolerance)`.
    public func clippedCorrectly(_ result: MethodResult) -> Bool? {
        guard result.status == .ok, let after = result.sigmaAfter, let target = result.target else { return nil }
        return after <= target * (1 + tolerance)
    }

    /// Whether a record over-clipped: `σ_after < min(σ_before, c)·(1 − tolerance)`.
    public func overClipped(_ result: MethodResult) -> Bool? {
        guard result.status == .ok, let after = result.sigmaAfter, let before = result.sigmaBefore, let target = result.target else { return nil }
        return after < min(before, target) * (1 - tolerance)
    }

    /// The Markdown tables, one per scope and target.
    public var markdown: String {
        var out = "Clipping: σ after is the exact norm of the clipped operator (the reference); correct = σ after ≤ c·(1 + \(ResultFormatting.shortNumber(tolerance))); "
            + "over-clipped = σ after < min(σ before, c)·(1 − \(ResultFormatting.shortNumber(tolerance))); ΔK = ‖K′ − K‖_F/‖K‖_F; "
            + "untouched = the median relative move of the top-k values that were already below c (a perfect clip leaves them).\n"
        var groups: [(scope: ClipScope, target: Double)] = []
        for record in records {
            let key = (record.result.clipScope ?? .composition, record.result.target ?? .nan)
            if !groups.contains(where: { $0.scope == key.0 && $0.target == key.1 }) { groups.append(key) }
        }
        for (scope, target) in groups {
            let group = records.filter { ($0.result.clipScope ?? .composition) == scope && $0.result.target == target }
            let hasBatchNorm = group.contains { $0.result.compositionSigmaAfter != nil }
            out += "\n#### Target c = \(ResultFormatting.shortNumber(target))" + (scope == .convolution ? ", the convolution alone (batch norm left as is)" : (hasBatchNorm ? ", the composition conv + BN" : "")) + "\n\n"
            out += "| method | guarantee | clipped | correct | over-clipped | σ after / c: median | lowest | highest | ΔK median | untouched moved | broken | time (median) |"
                + (hasBatchNorm ? " composition σ / c: median | highest |" : "") + "\n"
            out += "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|" + (hasBatchNorm ? "---:|---:|" : "") + "\n"
            var methods: [String] = []
            for record in group where !methods.contains(record.result.method) { methods.append(record.result.method) }
            for method in methods {
                let results = group.map(\.result).filter { $0.method == method }
                let ran = results.filter { $0.status == .ok }
                let applicable = results.filter { $0.status != .notApplicable }
                let ratios = ran.compactMap { r in r.sigmaAfter.map { $0 / target } }.sorted()
                let changes = ran.compactMap(\.frobeniusChange).sorted()
                let times = ran.compactMap(\.seconds).sorted()
                var untouched: [Double] = []
                for r in ran {
                    guard let before = r.topBefore, let after = r.topAfter else { continue }
                    for (b, a) in zip(before, after).dropFirst() where b < target && b > 0 { untouched.append(abs(a - b) / b) }
                }
                let correct = ran.filter { clippedCorrectly($0) == true }.count
                let over = ran.filter { overClipped($0) == true }.count
                let broken = results.filter { $0.guaranteeHeld == false }.count
                let errors = results.filter { $0.status != .ok && $0.status != .notApplicable }.count
                let guarantees = Set(applicable.compactMap(\.guarantee?.rawValue)).sorted().joined(separator: "/")
                func ratio(_ value: Double?) -> String {
                    value.map { $0 < 1e4 ? String(format: "%.4f", $0) : String(format: "%.3g", $0) } ?? "—"
                }
                func median(_ values: [Double]) -> Double? { values.isEmpty ? nil : TimingStatistics.quantile(values, 0.5) }
                func percent(_ value: Double?) -> String { value.map { ResultFormatting.percentage($0) } ?? "—" }
                var row = "| `\(method)` | \(guarantees.isEmpty ? "—" : guarantees) | \(ran.count) of \(results.count)"
                    + (errors > 0 ? " (\(errors) failed)" : "")
                    + " | \(ran.isEmpty ? "—" : "\(correct) of \(ran.count)") | \(ran.isEmpty ? "—" : "\(over) of \(ran.count)")"
                    + " | \(ratio(median(ratios))) | \(ratio(ratios.first)) | \(ratio(ratios.last))"
                    + " | \(percent(median(changes))) | \(percent(median(untouched))) | \(broken) | \(median(times).map(ResultFormatting.seconds) ?? "—") |"
                if hasBatchNorm {
                    let composed = ran.compactMap { r in r.compositionSigmaAfter.map { $0 / target } }.sorted()
                    row += " \(ratio(median(composed))) | \(ratio(composed.last)) |"
                }
                out += row + "\n"
            }
        }
        return out
    }
}
