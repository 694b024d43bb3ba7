import SpecBenchCore
import Foundation
import NumericCore
import SpecBenchResults

/// The data file beside each figure (gnuplot format): one block per method, separated by two
/// blank lines (gnuplot's `index`), one row per point with the record's own numbers.
///
/// Columns: `x`, `seconds`, `peak_MiB`, `relative_error_percent`, `guarantee_held` (1, 0, or NaN
/// when nothing was claimed), the point id, the status, and `fraction_of_peak_percent` (the
/// cost model at the calibrated peak rates over the time). Missing numbers are `NaN` (gnuplot
/// skips them).
public enum FigureData {
    /// The file's text.
    public static func text(_ plan: FigurePlan) -> String {
        if plan.axis == .layerHeatmap { return heatmapText(plan) }
        var lines = [
            "# \(plan.title)",
            "# x = \(plan.axisLabel); one block per method (gnuplot index = block number)",
            "# columns: x seconds peak_MiB relative_error_percent guarantee_held point status fraction_of_peak_percent fraction_of_nominal_peak_percent"
                + (plan.kind == .clip ? " layer_change_percent (clips: relative_error_percent is 100·(σ_after/c − 1))" : ""),
        ]
        for (index, series) in plan.series.enumerated() {
            if index > 0 { lines += ["", ""] }
            lines.append("# method: \(series.method)" + (series.precision == .float64 ? "" : " (\(series.precision.rawValue))"))
            for point in series.points {
                let cells = [
                    String(point.x),
                    number(point.seconds),
                    number(point.peakBytes.map { Double($0) / 1_048_576 }),
                    number(point.relativeError.map { $0 * 100 }),
                    point.guaranteeHeld.map { $0 ? "1" : "0" } ?? "NaN",
                    point.point,
                    point.status.rawValue,
                    number(point.fractionOfPeak.map { $0 * 100 }),
                    number(point.fractionOfNominalPeak.map { $0 * 100 }),
                ] + (plan.kind == .clip ? [number(point.layerChange.map { $0 * 100 })] : [])
                lines.append(cells.joined(separator: " "))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A heatmap's data: one block per layer (rows of the image, separated by a blank line), one
    /// row per method and precision (its column), every cell present (NaN where the method did
    /// not run): `layer method_index relative_error_percent guarantee_held seconds point status`.
    static func heatmapText(_ plan: FigurePlan) -> String {
        var lines = [
            "# \(plan.title): heatmap of layers × methods",
            "# columns: layer method_index relative_error_percent guarantee_held (1, 0, or -1: nothing claimed) seconds point status",
            "# methods: " + plan.series.enumerated().map { "\($0)=\($1.title)" }.joined(separator: " "),
        ]
        for layer in plan.categories.indices {
            if layer > 0 { lines.append("") }
            for (column, series) in plan.series.enumerated() {
                let point = series.points.first { $0.x == layer }
                lines.append([
                    String(layer), String(column), number(point?.relativeError.map { $0 * 100 }),
                    point?.guaranteeHeld.map { $0 ? "1" : "0" } ?? "-1", number(point?.seconds),
                    point?.point ?? "-", point?.status.rawValue ?? "-",
                ].joined(separator: " "))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Full precision (round-trips), or NaN.
    static func number(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "NaN" }
        return "\(value)"
    }
}
