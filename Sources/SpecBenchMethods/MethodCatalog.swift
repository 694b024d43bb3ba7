import SpecBenchCore
import Foundation

/// Every method the benchmark knows, by stable id (docs/methods.md §2), and the one way to build a
/// method from its id and raw `key=value` parameters.
public enum MethodCatalog {
    /// The method types, in the order reports list them.
    public static let all: [any SpectralNormMethod.Type] = [
        ReferenceMethod.self,
        PowerIterationMethod.self,
        PowerQRMethod.self,
        GramCircularMethod.self,
        GramZeroMethod.self,
        SedghiMethod.self,
        LipBoundMethod.self,
        FantasticFourMethod.self,
        TensorNormMethod.self,
        AOLMethod.self,
        ReshapeNormMethod.self,
    ]

    /// The ids of `all`, in order.
    public static var ids: [String] { all.map { $0.id } }

    /// The method type with `id`, or an `InvalidInput` listing the accepted ids.
    public static func type(for id: String) throws -> any SpectralNormMethod.Type {
        guard let type = all.first(where: { $0.id == id }) else {
            throw InvalidInput("unknown method id '\(id)'; accepted: \(ids.joined(separator: ", ")), or all")
        }
        return type
    }

    /// The one place parameter text becomes typed values: `id`'s method with `parameters`
    /// (raw `key → text`, keys without the `id.` prefix) read by its `ParameterReader`, every
    /// default filled (PowerQR's `k` from `context.topK`), unknown keys and bad values refused
    /// with an `InvalidInput` naming them and what is accepted; computing in `context.precision`
    /// when the method supports it (else float64). O(parameters).
    public static func resolve(id: String, parameters: [String: String], context: MethodContext) throws -> MethodRun {
        let type = try type(for: id)
        var reader = ParameterReader(method: id, values: parameters)
        let method = try type.init(parameters: &reader, context: context)
        try reader.finish()
        return MethodRun(method: method, precision: context.precision)
    }

    /// Every method with its default parameters in `context`, in catalog order: what `all`
    /// stands for, and what the generated docs and the tests enumerate.
    public static func defaultRuns(context: MethodContext = MethodContext(seed: 0)) -> [MethodRun] {
        all.map { type in
            // The defaults are valid by construction (the catalog's tests resolve them).
            try! resolve(id: type.id, parameters: [:], context: context)
        }
    }
}
