import SpecBenchCore
import Foundation

/// Reads a method's typed parameters (`MethodParameter`, declared with the method) from
/// `key=value` text (the `--param id.key=value` flags of `bench estimate`, or a sweep config's
/// `parameters:` map), applying their defaults and rejecting unknown keys and bad values with a
/// message that names them and what is accepted.
public struct ParameterReader: Sendable {
    /// The method whose parameters are read (used in messages).
    public let method: String
    private var remaining: [String: String]
    private var known: [String] = []

    /// A reader over the raw values given for `method` (keys without the `method.` prefix).
    public init(method: String, values: [String: String]) {
        self.method = method
        self.remaining = values
    }

    /// The value of `parameter`: the given text parsed and checked against what the parameter
    /// accepts, or `defaultValue` (the declared default unless another is given, as PowerQR's
    /// `k` takes the run's `topK`) when absent.
    public mutating func read<Value>(_ parameter: MethodParameter<Value>, default defaultValue: Value? = nil) throws -> Value {
        known.append(parameter.key)
        guard let text = remaining.removeValue(forKey: parameter.key) else { return defaultValue ?? parameter.defaultValue }
        guard let value = Value.parse(text, accepted: parameter.accepted) else {
            throw InvalidInput("invalid value '\(text)' for parameter \(method).\(parameter.key); accepted: \(Value.describe(parameter.accepted))")
        }
        return value
    }

    /// Throws if a key was given that the method does not know.
    public func finish() throws {
        if let unknown = remaining.keys.sorted().first {
            let accepted = known.isEmpty ? "none (this method takes no parameters)" : known.map { "\(method).\($0)" }.joined(separator: ", ")
            throw InvalidInput("unknown parameter '\(method).\(unknown)'; accepted: \(accepted)")
        }
    }
}
