import Foundation
import SpecBenchHarness
import SpecBenchMethods

/// The table content of one sweep point: every method's result, which guaranteed bound is the
/// most accurate, which method is the fastest, and any published numbers for the same setup.
public struct PointTable: Sendable, Equatable {
    /// The point's id.
    public var point: String
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
        a.point == b.point && a.results == b.results && a.bestBound == b.bestBound && a.fastest == b.fastest
    }

    /// A heading such as `conv1 · 64×3×7×7 · n = 224 · zero · stride 2 · pad 3`.
    public var heading: String {
        let o = self.operator
        return (label.map { "\($0) · " } ?? "") + "\(o.cout)×\(o.cin)×\(o.kh)×\(o.kw) · n = \(o.inputSize) · \(o.padding.rawValue) · stride \(o.stride)"
            + (o.pad == [o.kh / 2, o.kw / 2] ? "" : " · pad \(o.pad[0])")
    }

    /// The tables of a run's records, one per point in point order.
    public static func tables(_ records: [SweepRecord], paperValues: [SweepConfiguration.PaperValue]) -> [PointTable] {
        let methods = FigurePlanner.methodOrder(records)
        let byPoint = Dictionary(grouping: records, by: \.point)
        return byPoint.values.sorted { $0[0].pointIndex < $1[0].pointIndex }.map { group in
            let results = methods.compactMap { id in group.first { $0.result.method == id }?.result }
            let first = group[0]
            let candidates = results.filter { $0.method != ReferenceMethod.id && $0.status == .ok }
            let bounds = candidates.filter { $0.guarantee == .upper && $0.guaranteeHeld != false }
            let best = bounds.min { ($0.value ?? .infinity) < ($1.value ?? .infinity) }
            let fastest = candidates.filter { $0.seconds != nil }.min { $0.seconds! < $1.seconds! }
            let o = first.operator
            let published = paperValues.filter {
                $0.cout == o.cout && $0.cin == o.cin && $0.kernelSize == o.kh && $0.kernelSize == o.kw
                    && $0.inputSize == o.inputSize && $0.padding == o.padding && $0.stride == o.stride
            }.map { (source: $0.source, errors: $0.relativeErrors) }
            return PointTable(
                point: first.point, label: first.label, operator: o, reference: first.reference,
                tier: results.first { $0.method == ReferenceMethod.id }?.tier, results: results,
                bestBound: best?.method, fastest: fastest?.method, published: published)
        }
    }
}
