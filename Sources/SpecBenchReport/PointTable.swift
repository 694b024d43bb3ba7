import SpecBenchCore
import Foundation
import NumericCore
import SpecBenchResults
import SpecBenchMethods

/// The table content of one sweep point in one precision: every method's result in that
/// precision (and the float64 reference), which guaranteed bound is the most accurate, which
/// method is the fastest, and any published numbers for the same setup.
public struct PointTable: Sendable, Equatable {
    /// The point's id.
    public var point: String
    /// The precision of the methods' results (the reference is float64).
    public var precision: Precision = .float64
    /// Whether the run has more than one precision (then headings and rows name it).
    public var mixedPrecisions = false
    /// The layer name, if any.
    public var label: String?
    /// The operator.
    public var `operator`: OperatorDescription
    /// The reference value, if it succeeded.
    public var reference: Double?
    /// The reference tier.
    public var tier: String?
    /// Results by method, in column order.
    public var results: [MethodResult]
    /// The method with the smallest upper bound that held (or was claimed, without a reference).
    public var bestBound: String?
    /// The method with the smallest median time (the reference excluded).
    public var fastest: String?
    /// Published relative errors for this setup: (source, method → relative error).
    public var published: [(source: String, errors: [String: Double])]

    public static func == (a: PointTable, b: PointTable) -> Bool {
        a.point == b.point && a.precision == b.precision && a.results == b.results && a.bestBound == b.bestBound && a.fastest == b.fastest
    }

    /// A heading such as `conv1 · 64×3×7×7 · n = 224 · zero · stride 2 · pad 3`; a general
    /// operator (docs/methods.md §5) adds its input `H×W`, pads, dilation, groups, transposition.
    public var heading: String {
        let o = self.operator
        guard o.isClassic else {
            let defaultPads = Pads(height: o.dilation.height * (o.kh / 2), width: o.dilation.width * (o.kw / 2))
            var parts = ["\(o.cout)×\(o.cin)×\(o.kh)×\(o.kw)", "n = \(o.inputLabel)", o.padding.rawValue, "stride \(o.stride)"]
            if o.pads != defaultPads { parts.append("pads \(o.pads)") }
            if o.dilation != .one { parts.append("dilation \(o.dilation)") }
            if o.groups != 1 { parts.append("groups \(o.groups)") }
            if let op = o.outputPadding { parts.append("transposed (output padding \(op); n is the forward input)") }
            if o.dimensions == 1 { parts.append("1-D") }
            return (label.map { "\($0) · " } ?? "") + parts.joined(separator: " · ")
        }
        return (label.map { "\($0) · " } ?? "") + "\(o.cout)×\(o.cin)×\(o.kh)×\(o.kw) · n = \(o.inputSize) · \(o.padding.rawValue) · stride \(o.stride)"
            + (o.pad == [o.kh / 2, o.kw / 2] ? "" : " · pad \(o.pad[0])")
    }

    /// The heading of the point's own table: `heading`, with the precision when the run mixes them.
    public var sectionHeading: String { heading + (mixedPrecisions ? " · \(precision.rawValue)" : "") }

    /// The tables of a run's records, one per point and precision, in point order, float64
    /// first; every table of a point shows the point's (float64) reference.
    public static func tables(_ records: [SweepRecord], paperValues: [SweepConfiguration.PaperValue]) -> [PointTable] {
        let methods = FigurePlanner.methodOrder(records)
        let precisions = FigurePlanner.precisions(records.filter { $0.result.method != ReferenceMethod.id })
        let mixed = precisions.count > 1
        let byPoint = Dictionary(grouping: records, by: \.point)
        let groups = byPoint.values.sorted { $0[0].pointIndex < $1[0].pointIndex }
        return groups.flatMap { group in (precisions.isEmpty ? [.float64] : precisions).map { (group, $0) } }.map { group, precision in
            let results = methods.compactMap { id in
                group.first { $0.result.method == id && (id == ReferenceMethod.id || $0.result.precision == precision) }?.result
            }
            let first = group[0]
            let candidates = results.filter { $0.method != ReferenceMethod.id && $0.status == .ok }
            let bounds = candidates.filter { $0.guarantee == .upper && $0.guaranteeHeld != false }
            let best = bounds.min { ($0.value ?? .infinity) < ($1.value ?? .infinity) }
            let fastest = candidates.filter { $0.seconds != nil }.min { $0.seconds! < $1.seconds! }
            let o = first.operator
            let published = paperValues.filter {
                $0.cout == o.cout && $0.cin == o.cin && $0.kernelSize == o.kh && $0.kernelSize == o.kw
                    && o.isClassic && $0.inputSize == o.inputSize && $0.padding == o.padding && AxisPair($0.stride) == o.stride
            }.map { (source: $0.source, errors: $0.relativeErrors) }
            return PointTable(
                point: first.point, precision: precision, mixedPrecisions: mixed, label: first.label, operator: o, reference: first.reference,
                tier: results.first { $0.method == ReferenceMethod.id }?.tier, results: results,
                bestBound: best?.method, fastest: fastest?.method, published: published)
        }
    }
}
