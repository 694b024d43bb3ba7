import SpecBenchCore
import SpecBenchCompare
import SpecBenchMethods

/// The components the gate watches across methods, from the catalog: the convolution operator
/// (docs/methods.md §1), whose forward and adjoint are nearly all the time of every method whose
/// metadata says so (`MethodMetadata.operatorUse`). O(methods).
public enum SharedComponents {
    /// The convolution operator, with the methods (and tiers) that spend their time in it.
    public static var fromCatalog: [RunComparison.SharedComponent] {
        var users: [String: OperatorUse] = [:]
        var names: [String] = []
        for type in MethodCatalog.all {
            let use = type.metadata.operatorUse
            switch use {
            case .none: continue
            case .always: names.append(type.id)
            case .tiers(let tiers): names.append("\(type.id) by \(tiers.joined(separator: "/"))")
            }
            users[type.id] = use
        }
        let known = users
        return [
            RunComparison.SharedComponent(name: "the convolution operator (\(names.joined(separator: ", ")))") { result in
                known[result.method]?.applies(tier: result.tier) ?? false
            },
        ]
    }
}
