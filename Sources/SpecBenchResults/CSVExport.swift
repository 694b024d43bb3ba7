import SpecBenchCore
import Foundation

/// The spreadsheet view of a run: one row per (point, method, precision), the operator and the headline
/// numbers in flat columns (RFC 4180 quoting).
public enum CSVExport {
    /// Column names, in order.
    public static let columns = [
        "point", "label", "cout", "cin", "kh", "kw", "inputSize", "padding", "stride", "pad", "kernel", "method", "precision", "status",
        "value", "reference", "relativeError", "guarantee", "guaranteeHeld", "secondsMedian", "secondsMin", "secondsIQR", "cpuSecondsMedian",
        "repetitions", "setupSeconds", "peakBytes", "iterations", "converged", "tier", "message",
        "operations", "fractionOfPeak", "fractionOfNominalPeak", "dilation", "groups", "transposed", "dimensions",
    ]

    /// The columns a run with clips adds after `columns`.
    public static let clipColumns = ["task", "target", "clipScope", "sigmaBefore", "sigmaAfter", "compositionSigmaAfter", "frobeniusChange"]

    /// The CSV text of `records`; `peaks` (the run's calibration) fills `fractionOfPeak`, the
    /// result's operation count at the calibrated peak rates over its median time, and
    /// `fractionOfNominalPeak`, the same at the CPU's nominal peak.
    /// A run measured on several machines (`machines` mixed) gains the column `machine` (`M1`, …,
    /// as its tables name them) and takes each point's fractions from its own machine's rates.
    public static func text(_ records: [SweepRecord], peaks: MachinePeaks? = nil, machines: RunMachines? = nil) -> String {
        // A run with clips (docs/clipping.md) gains their columns; other runs keep the format.
        let clips = records.contains { $0.result.task == MethodResult.clipTask }
        let mixed = machines?.isMixed == true
        var lines = [(columns + (clips ? clipColumns : []) + (mixed ? ["machine"] : [])).joined(separator: ",")]
        for record in records {
            let r = record.result
            let peaks = mixed ? machines?.peaks(ofPoint: record.point) : peaks
            let o = record.operator
            var cells: [String?] = [
                record.point, record.label, String(o.cout), String(o.cin), String(o.kh), String(o.kw),
                o.inputHeight == o.inputWidth ? String(o.inputWidth) : "\(o.inputHeight)x\(o.inputWidth)",
                o.padding.rawValue, o.stride.isUniform ? String(o.stride.height) : "\(o.stride.height)x\(o.stride.width)",
                (o.pads.isSymmetric ? o.pad : o.pads.values).map(String.init).joined(separator: "x"), record.kernel, r.method,
                r.precision.rawValue, r.status.rawValue, r.value.map(number), record.reference.map(number), r.relativeError.map(number),
                r.guarantee?.rawValue, r.guaranteeHeld.map { $0 ? "true" : "false" }, r.timing.map { number($0.median) } ?? r.seconds.map(number),
                r.timing.map { number($0.minimum) }, r.timing.map { number($0.interquartileRange) }, r.timing?.cpuMedian.map(number),
                r.timing.map { String($0.samples.count) },
                r.setupSeconds.map(number), r.peakBytes.map(String.init), r.iterations.map(String.init),
                r.converged.map { $0 ? "true" : "false" }, r.tier, r.message,
                r.operations.map { number($0.total) },
                r.operations.flatMap { operations in
                    (r.timing?.median ?? r.seconds).flatMap { seconds in
                        peaks?.fractionOfPeak(operations, seconds: seconds, precision: r.precision)
                    }
                }.map(number),
                r.operations.flatMap { operations in
                    (r.timing?.median ?? r.seconds).flatMap { seconds in
                        peaks?.fractionOfNominalPeak(operations, seconds: seconds, precision: r.precision)
                    }
                }.map(number),
                o.dilation.isUniform ? String(o.dilation.height) : "\(o.dilation.height)x\(o.dilation.width)",
                String(o.groups), o.outputPadding.map { "op=\($0.height)x\($0.width)" } ?? "false", String(o.dimensions),
            ]
            let clipCells: [String?] = [
                r.task, r.target.map(number), r.clipScope?.rawValue, r.sigmaBefore.map(number), r.sigmaAfter.map(number),
                r.compositionSigmaAfter.map(number), r.frobeniusChange.map(number),
            ]
            cells += clips ? clipCells : []
            if mixed, let machines { cells.append(machines.machine(ofPoint: record.point).label) }
            lines.append(cells.map { quote($0 ?? "") }.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes the CSV of `records` to `url`.
    public static func write(_ records: [SweepRecord], peaks: MachinePeaks? = nil, to url: URL) throws {
        try Data(text(records, peaks: peaks).utf8).write(to: url, options: .atomic)
    }

    /// Writes the CSV of the records of the run `manifest` describes to `url`, each point's
    /// fractions of peak from the machine it was measured on.
    public static func write(_ records: [SweepRecord], of manifest: RunManifest, to url: URL) throws {
        try Data(text(records, peaks: manifest.calibration?.peaks, machines: RunMachines(manifest)).utf8).write(to: url, options: .atomic)
    }

    private static func number(_ value: Double) -> String { "\(value)" }

    private static func quote(_ cell: String) -> String {
        guard cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return cell }
        return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
