import SpecBenchCore
import Foundation


/// Human-readable renderings of numbers and results (text tables, reports).
public enum ResultFormatting {
    /// A number as short as it reads back exactly: `1` for 1.0, `0.5`, `1e-06`. For run keys and
    /// labels of targets.
    public static func shortNumber(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return String(value)
    }

    /// A value with 10 significant digits.
    public static func value(_ value: Double?) -> String {
        guard let value else { return "—" }
        return String(format: "%.10g", value)
    }

    /// A signed relative error as a percentage with 3 significant digits, e.g. `+0.0312%`.
    public static func relativeError(_ error: Double?) -> String {
        guard let error else { return "—" }
        if error == 0 { return "0" }
        return String(format: "%+.3g%%", error * 100)
    }

    /// Seconds with a unit: `12.3 µs`, `4.56 ms`, `1.23 s`.
    public static func seconds(_ seconds: Double?) -> String {
        guard let seconds else { return "—" }
        if seconds < 1e-3 { return String(format: "%.3g µs", seconds * 1e6) }
        if seconds < 1 { return String(format: "%.3g ms", seconds * 1e3) }
        return String(format: "%.3g s", seconds)
    }

    /// A fraction as a percentage with two significant digits at most: `62 %`, `4.1 %`, `0.35 %`.
    public static func percentage(_ fraction: Double) -> String {
        let percent = 100 * fraction
        if percent >= 10 { return String(format: "%.0f %%", percent) }
        if percent >= 1 { return String(format: "%.1f %%", percent) }
        return String(format: "%.2g %%", percent)
    }

    /// An operation count with a decimal unit: `830 kFLOP`, `12.4 GFLOP`.
    public static func operations(_ count: Double) -> String {
        let units = [(1e12, "TFLOP"), (1e9, "GFLOP"), (1e6, "MFLOP"), (1e3, "kFLOP")]
        for (scale, unit) in units where count >= scale {
            let scaled = count / scale
            return (scaled >= 100 ? String(format: "%.0f", scaled) : String(format: "%.3g", scaled)) + " " + unit
        }
        return String(format: "%.0f FLOP", count)
    }

    /// Bytes with a binary unit: `512 B`, `1.5 KiB`, `20.3 MiB`, `1.2 GiB`, or `—` for nil.
    public static func bytes(_ bytes: Int?) -> String {
        guard let bytes else { return "—" }
        let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        var amount = Double(bytes)
        var unit = 0
        while amount >= 1024 && unit < units.count - 1 {
            amount /= 1024
            unit += 1
        }
        return unit == 0 ? "\(bytes) B" : String(format: "%.3g ", amount) + units[unit]
    }

    /// `yes`, `NO` (a broken guarantee stands out) or `—`.
    public static func held(_ held: Bool?) -> String {
        guard let held else { return "—" }
        return held ? "yes" : "NO"
    }

    /// The text table of `bench clip --format text`: per method its guarantee, the exact norm
    /// after, `σ_after/c`, whether the guarantee held, the layer's change, time and memory.
    public static func clipTable(_ report: EstimateReport) -> String {
        var table = TextTable(
            headers: ["method", "status", "σ before", "σ after", "σ after / c", "guarantee", "held", "‖ΔK‖/‖K‖", "time", "memory", "note"],
            rightAligned: [2, 3, 4, 7, 8, 9])
        for result in report.results {
            let ratio = result.relativeError.map { String(format: "%.6f", 1 + $0) } ?? "—"
            table.append([
                result.method, result.status.rawValue, value(result.sigmaBefore), value(result.sigmaAfter), ratio,
                result.guarantee?.rawValue ?? "—", held(result.guaranteeHeld),
                result.frobeniusChange.map { String(format: "%.4g", $0) } ?? "—", seconds(result.seconds), bytes(result.peakBytes),
                result.message ?? "",
            ])
        }
        let target = report.target.map(shortNumber) ?? "—"
        return "operator \(report.operator.label), kernel \(report.kernel), seed \(report.seed), target c = \(target)\n\n" + table.render()
    }

    /// The text table of `bench estimate --format text`.
    public static func table(_ report: EstimateReport) -> String {
        var table = TextTable(
            headers: ["method", "precision", "status", "value", "rel. error", "guarantee", "held", "time", "setup", "memory", "iters", "note"],
            rightAligned: [3, 4, 7, 8, 9, 10])
        for result in report.results {
            var note = result.message ?? ""
            if let tier = result.tier { note = "tier \(tier)" + (note.isEmpty ? "" : "; " + note) }
            if result.converged == false { note = "not converged" + (note.isEmpty ? "" : "; " + note) }
            table.append([
                result.method, result.precision.rawValue, result.status.rawValue, value(result.value), relativeError(result.relativeError),
                result.guarantee?.rawValue ?? "—", held(result.guaranteeHeld), seconds(result.seconds),
                seconds(result.setupSeconds), bytes(result.peakBytes), result.iterations.map(String.init) ?? "—", note,
            ])
        }
        let header = "operator \(report.operator.label), kernel \(report.kernel), seed \(report.seed)"
        var text = header + "\n\n" + table.render()
        let topValues = report.results.filter { $0.values.count > 1 }
        for result in topValues {
            let labels = result.valueGuarantees ?? []
            let entries = result.values.indices.map { index in
                value(result.values[index]) + (index < labels.count ? " (\(labels[index].rawValue))" : "")
            }
            text += "\n\(result.method) top-\(result.values.count): " + entries.joined(separator: ", ")
        }
        if let core = report.blasCore {
            text += "\nOpenBLAS core: \(core.inUse) (\(core.origin.rawValue)\(core.detected.map { $0 == core.inUse ? "" : ", detected \($0)" } ?? ""))"
        }
        for warning in report.warnings ?? [] { text += "\nwarning: " + warning }
        return text + "\n"
    }
}
