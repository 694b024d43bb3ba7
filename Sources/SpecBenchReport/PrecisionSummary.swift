import SpecBenchCore
import Foundation
import NumericCore
import SpecBenchMethods
import SpecBenchResults

/// What float32 costs and saves, per method, in a run with both precisions (the `precision`
/// axis, docs/precision.md): the largest error of each precision against the float64 reference,
/// the largest difference between a method's two values, and the float32 speed-up (float64
/// median time over float32 median time at the same point) as the median over the points and
/// at the largest operator. O(records).
public struct PrecisionSummary: Sendable, Equatable {
    /// One method's row.
    public struct Row: Sendable, Equatable {
        /// Method id.
        public var method: String
        /// Points where both precisions ran ok.
        public var points: Int
        /// Largest |relative error| of the float64 results.
        public var worstErrorFloat64: Double?
        /// Largest |relative error| of the float32 results.
        public var worstErrorFloat32: Double?
        /// Largest |value₃₂ − value₆₄| / value₆₄.
        public var largestDifference: Double?
        /// Guarantees claimed by float32 results that did not hold (with float32's slack).
        public var brokenFloat32: Int
        /// Median over the points of the float64/float32 time ratio.
        public var medianSpeedup: Double?
        /// The ratio's range over the points where the operator has at least `largeChannels`
        /// channels.
        public var largeSpeedup: ClosedRange<Double>?
    }

    /// The rows, in method order.
    public var rows: [Row]
    /// The channel count from which `largeSpeedup` is taken.
    public var largeChannels: Int

    /// The summary of `records`, or nil when they do not hold both precisions.
    public init?(_ records: [SweepRecord], largeChannels: Int = 64) {
        guard Set(records.map(\.result.precision)).count > 1 else { return nil }
        self.largeChannels = largeChannels
        var byPointAndKey: [String: MethodResult] = [:]
        for record in records { byPointAndKey[record.point + "\u{0}" + record.result.runKey] = record.result }
        let points = Dictionary(grouping: records, by: \.point).mapValues { $0[0].operator }
        rows = FigurePlanner.methodOrder(records).filter { $0 != ReferenceMethod.id }.compactMap { method in
            var row = Row(method: method, points: 0, brokenFloat32: 0)
            var ratios: [Double] = [], large: [Double] = []
            for (point, description) in points {
                let double = byPointAndKey[point + "\u{0}" + MethodResult.runKey(method: method, precision: .float64)]
                let single = byPointAndKey[point + "\u{0}" + MethodResult.runKey(method: method, precision: .float32)]
                if let error = double?.relativeError { row.worstErrorFloat64 = max(row.worstErrorFloat64 ?? 0, abs(error)) }
                if let error = single?.relativeError { row.worstErrorFloat32 = max(row.worstErrorFloat32 ?? 0, abs(error)) }
                if single?.guaranteeHeld == false { row.brokenFloat32 += 1 }
                guard let double, let single, double.status == .ok, single.status == .ok,
                      let value64 = double.value, let value32 = single.value, value64 != 0 else { continue }
                row.points += 1
                row.largestDifference = max(row.largestDifference ?? 0, abs(value32 - value64) / abs(value64))
                if let seconds64 = double.seconds, let seconds32 = single.seconds, seconds32 > 0 {
                    ratios.append(seconds64 / seconds32)
                    if min(description.cout, description.cin) >= largeChannels { large.append(seconds64 / seconds32) }
                }
            }
            guard row.points > 0 else { return nil }
            if !ratios.isEmpty { row.medianSpeedup = TimingStatistics.quantile(ratios.sorted(), 0.5) }
            if let low = large.min(), let high = large.max() { row.largeSpeedup = low...high }
            return row
        }
    }

    /// The Markdown section.
    public var markdown: String {
        var out = "## float32 against float64\n\n"
        out += "Errors against the float64 exact reference; speed-up = float64 median time / float32 median time at the same point "
            + "(the two runs interleaved in one process). float32 guarantees are judged with a rounding slack of 1e-5 (docs/precision.md).\n\n"
        out += "| method | points | worst \\|error\\| float64 | worst \\|error\\| float32 | largest \\|float32 − float64\\| | float32 guarantees broken | speed-up (median) | speed-up at ≥ \(largeChannels) channels |\n"
        out += "|---|---:|---:|---:|---:|---:|---:|---:|\n"
        for row in rows {
            let cells = [
                "`\(row.method)`", String(row.points), Self.scientific(row.worstErrorFloat64), Self.scientific(row.worstErrorFloat32),
                Self.scientific(row.largestDifference), String(row.brokenFloat32),
                row.medianSpeedup.map { String(format: "%.2f×", $0) } ?? "—",
                row.largeSpeedup.map { String(format: "%.2f–%.2f×", $0.lowerBound, $0.upperBound) } ?? "—",
            ]
            out += "| " + cells.joined(separator: " | ") + " |\n"
        }
        return out
    }

    private static func scientific(_ value: Double?) -> String {
        guard let value else { return "—" }
        return value == 0 ? "0" : String(format: "%.2g", value)
    }
}
