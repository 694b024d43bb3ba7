import Foundation
import SpecBenchCore

/// Every clipping method by stable id, and the one way to build one from its id and raw
/// `key=value` parameters (docs/clipping.md).
public enum ClippingCatalog {
    /// `fastclip`.
    public static let fastClipID = "fastclip"
    /// `sedghi-clip`.
    public static let sedghiClipID = "sedghi-clip"
    /// The estimate method each `rescale-…` id divides by, in report order.
    public static let rescalings: [(id: String, estimator: String)] = [
        ("rescale-gram-zero", GramZeroMethod.id), ("rescale-gram-circular", GramCircularMethod.id),
        ("rescale-lipbound", LipBoundMethod.id), ("rescale-fantastic-four", FantasticFourMethod.id),
        ("rescale-tn-bound", TensorNormMethod.id), ("rescale-aol", AOLMethod.id),
        ("rescale-power-iteration", PowerIterationMethod.id), ("rescale-reshape", ReshapeNormMethod.id),
        ("rescale-exact", ReferenceMethod.id),
    ]

    /// Every id, in report order.
    public static var ids: [String] { [fastClipID, sedghiClipID] + rescalings.map(\.id) }

    /// Name and source of `id`'s method, for reports.
    public static func citation(of id: String) -> String {
        switch id {
        case fastClipID: return "FastClip (Ebrahimpour Boroojeny et al. 2024)"
        case sedghiClipID: return "per-frequency clip (Sedghi et al. 2019)"
        default:
            guard let estimator = rescalings.first(where: { $0.id == id })?.estimator,
                  let type = try? MethodCatalog.type(for: estimator) else { return id }
            return "K·min(1, c/\(estimator)): \(type.citation)"
        }
    }

    /// `id`'s method with `parameters` (keys without the `id.` prefix; a rescaling's are its
    /// estimator's), defaults filled, unknown ids, keys and bad values refused naming them and
    /// what is accepted. The estimator of a rescaling computes in float64. O(parameters).
    public static func resolve(id: String, parameters: [String: String], context: MethodContext) throws -> ClippingMethod {
        switch id {
        case fastClipID:
            var reader = ParameterReader(method: id, values: parameters)
            let method = try FastClip(parameters: &reader)
            try reader.finish()
            return .fastClip(method)
        case sedghiClipID:
            var reader = ParameterReader(method: id, values: parameters)
            let method = try SedghiClip(parameters: &reader)
            try reader.finish()
            return .sedghiClip(method)
        default:
            guard let estimator = rescalings.first(where: { $0.id == id })?.estimator else {
                throw InvalidInput("unknown clipping method '\(id)'; accepted: \(ids.joined(separator: ", ")), or all")
            }
            var float64 = context
            float64.precision = .float64
            let run = try MethodCatalog.resolve(id: estimator, parameters: parameters, context: float64)
            return .rescale(RescaleClip(id: id, estimator: run))
        }
    }

    /// The methods named by a comma-separated list or `all`, in the order named (`all`: report
    /// order), with `assignments` (`id.key=value`; one naming a method not chosen is refused).
    public static func selection(_ text: String, assignments: [ParameterAssignment] = [], context: MethodContext) throws -> [ClippingMethod] {
        let items = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !items.isEmpty else {
            throw InvalidInput("no clipping method given; accepted: \(ids.joined(separator: ", ")), or all")
        }
        var chosen: [String] = []
        for item in items {
            for id in item == "all" ? ids : [item] where !chosen.contains(id) {
                guard ids.contains(id) else {
                    throw InvalidInput("unknown clipping method '\(id)'; accepted: \(ids.joined(separator: ", ")), or all")
                }
                chosen.append(id)
            }
        }
        if let stray = assignments.first(where: { !chosen.contains($0.method) }) {
            throw InvalidInput("--param \(stray.method).\(stray.key) names a clipping method not asked for; accepted: one of \(chosen.joined(separator: ", "))")
        }
        return try chosen.map { id in
            let parameters = Dictionary(assignments.filter { $0.method == id }.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
            return try resolve(id: id, parameters: parameters, context: context)
        }
    }
}
