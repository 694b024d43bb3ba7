import SpecBenchCore
import Foundation

/// Every method the benchmark knows, by stable id (methods.md §2), and the one way to build a
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

    /// A method instance from its id and raw parameters (keys without the `id.` prefix).
    public static func make(id: String, parameters: [String: String], context: MethodContext) throws -> any SpectralNormMethod {
        let type = try type(for: id)
        var reader = ParameterReader(method: id, values: parameters)
        let method = try type.init(parameters: &reader, context: context)
        try reader.finish()
        return method
    }

    /// Expands a comma-separated method list, where `all` stands for every id, keeping order and
    /// dropping repeats; unknown ids are an `InvalidInput`.
    public static func parseList(_ text: String) throws -> [String] {
        var result: [String] = []
        for item in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !item.isEmpty {
            let expanded = item == "all" ? ids : [try type(for: item).id]
            for id in expanded where !result.contains(id) { result.append(id) }
        }
        guard !result.isEmpty else {
            throw InvalidInput("no method given; accepted: \(ids.joined(separator: ", ")), or all")
        }
        return result
    }
}
