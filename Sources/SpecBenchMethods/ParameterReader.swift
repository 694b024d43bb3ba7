import SpecBenchCore
import Foundation

/// Reads a method's typed parameters from `key=value` text (the `--param id.key=value` flags of
/// `bench estimate`, or a sweep config's `parameters:` map), applying documented defaults and
/// rejecting unknown keys and bad values with a message that names them and what is accepted.
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

    /// An integer parameter within `range`, or `defaultValue` when absent.
    public mutating func integer(_ key: String, default defaultValue: Int, range: ClosedRange<Int>) throws -> Int {
        known.append(key)
        guard let text = remaining.removeValue(forKey: key) else { return defaultValue }
        guard let value = Int(text.trimmingCharacters(in: .whitespaces)), range.contains(value) else {
            throw InvalidInput("invalid value '\(text)' for parameter \(method).\(key); accepted: an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    /// A real parameter within `range`, or `defaultValue` when absent.
    public mutating func real(_ key: String, default defaultValue: Double, range: ClosedRange<Double>) throws -> Double {
        known.append(key)
        guard let text = remaining.removeValue(forKey: key) else { return defaultValue }
        guard let value = Double(text.trimmingCharacters(in: .whitespaces)), value.isFinite, range.contains(value) else {
            throw InvalidInput("invalid value '\(text)' for parameter \(method).\(key); accepted: a number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    /// A boolean parameter (`true`/`false`), or `defaultValue` when absent.
    public mutating func boolean(_ key: String, default defaultValue: Bool) throws -> Bool {
        known.append(key)
        guard let text = remaining.removeValue(forKey: key) else { return defaultValue }
        switch text.lowercased().trimmingCharacters(in: .whitespaces) {
        case "true", "yes", "1": return true
        case "false", "no", "0": return false
        default:
            throw InvalidInput("invalid value '\(text)' for parameter \(method).\(key); accepted: true or false")
        }
    }

    /// A parameter taking one of a fixed set of names (an enum's raw values), or `defaultValue`.
    public mutating func choice<Choice: RawRepresentable & CaseIterable>(
        _ key: String, default defaultValue: Choice
    ) throws -> Choice where Choice.RawValue == String {
        known.append(key)
        guard let text = remaining.removeValue(forKey: key) else { return defaultValue }
        guard let value = Choice(rawValue: text.trimmingCharacters(in: .whitespaces)) else {
            let accepted = Choice.allCases.map(\.rawValue).joined(separator: ", ")
            throw InvalidInput("invalid value '\(text)' for parameter \(method).\(key); accepted: \(accepted)")
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
