import Foundation

/// One parameter of a method, declared once beside the method: its key, default, accepted values
/// and meaning (docs/methods.md §2 gives each default). The method reads it (`ParameterReader.read`),
/// uses `defaultValue` in its explicit initialiser, records it (`recorded`), and the catalog
/// documents it (`specification`: `bench methods`, `bench estimate --help` and the parameter
/// table of `bench-configs/README.md` are generated from it). Reading is O(length of the text).
public struct MethodParameter<Value: MethodParameterValue>: Sendable {
    /// The key, without the method's id (`iterations` in `powerqr.iterations=200`).
    public let key: String
    /// The documented default.
    public let defaultValue: Value
    /// Which values are accepted.
    public let accepted: Value.Accepted
    /// What the parameter does, for the generated docs.
    public let meaning: String
    /// How the default reads in the docs when it is not a fixed value (PowerQR's `k`: the run's
    /// `topK`); nil to show `defaultValue`.
    public let defaultDescription: String?

    /// A parameter; see the properties.
    public init(_ key: String, default defaultValue: Value, accepted: Value.Accepted, meaning: String,
                defaultDescription: String? = nil) {
        self.key = key
        self.defaultValue = defaultValue
        self.accepted = accepted
        self.meaning = meaning
        self.defaultDescription = defaultDescription
    }

    /// `value` as the (key, text) pair recorded with every result.
    public func recorded(_ value: Value) -> (key: String, value: String) { (key, value.parameterText) }

    /// The type-erased description used by the generated docs.
    public var specification: ParameterSpecification {
        ParameterSpecification(
            key: key, defaultText: defaultDescription ?? defaultValue.parameterText,
            acceptedText: Value.describe(accepted), meaning: meaning)
    }
}

/// A parameter as the docs show it: key, default, accepted values, meaning.
public struct ParameterSpecification: Sendable, Equatable {
    /// The key.
    public let key: String
    /// The default, as text.
    public let defaultText: String
    /// The accepted values in words (`an integer from 1 to 1000000`, `larger, smaller`).
    public let acceptedText: String
    /// What it does.
    public let meaning: String
}

/// A type a method parameter can have: integers and reals in a range, booleans, and enums of
/// named choices.
public protocol MethodParameterValue: Sendable, Equatable {
    /// What is accepted: a range, or nothing for booleans and choices.
    associatedtype Accepted: Sendable
    /// The value of `text`, or nil when it is not acceptable.
    static func parse(_ text: String, accepted: Accepted) -> Self?
    /// The accepted values in words, for messages and docs.
    static func describe(_ accepted: Accepted) -> String
    /// The value as parameter text (what `parse` reads back).
    var parameterText: String { get }
}

extension Int: MethodParameterValue {
    public static func parse(_ text: String, accepted: ClosedRange<Int>) -> Int? {
        Int(text.trimmingCharacters(in: .whitespaces)).flatMap { accepted.contains($0) ? $0 : nil }
    }
    public static func describe(_ accepted: ClosedRange<Int>) -> String {
        "an integer from \(accepted.lowerBound) to \(accepted.upperBound)"
    }
    public var parameterText: String { String(self) }
}

extension Double: MethodParameterValue {
    public static func parse(_ text: String, accepted: ClosedRange<Double>) -> Double? {
        Double(text.trimmingCharacters(in: .whitespaces)).flatMap { $0.isFinite && accepted.contains($0) ? $0 : nil }
    }
    public static func describe(_ accepted: ClosedRange<Double>) -> String {
        "a number from \(accepted.lowerBound) to \(accepted.upperBound)"
    }
    public var parameterText: String { String(self) }
}

extension Bool: MethodParameterValue {
    public static func parse(_ text: String, accepted: Void?) -> Bool? {
        switch text.lowercased().trimmingCharacters(in: .whitespaces) {
        case "true", "yes", "1": true
        case "false", "no", "0": false
        default: nil
        }
    }
    public static func describe(_ accepted: Void?) -> String { "true or false" }
    public var parameterText: String { String(self) }
}

/// An enum of named choices as a parameter type (its raw values are the accepted texts).
public protocol ChoiceParameterValue: MethodParameterValue, RawRepresentable, CaseIterable
    where RawValue == String, Accepted == Void? {}

extension ChoiceParameterValue {
    public static func parse(_ text: String, accepted: Void?) -> Self? {
        Self(rawValue: text.trimmingCharacters(in: .whitespaces))
    }
    public static func describe(_ accepted: Void?) -> String { allCases.map(\.rawValue).joined(separator: ", ") }
    public var parameterText: String { rawValue }
}

extension MethodParameter where Value.Accepted == Void? {
    /// A boolean or choice parameter (every value of the type is accepted).
    public init(_ key: String, default defaultValue: Value, meaning: String) {
        self.init(key, default: defaultValue, accepted: nil, meaning: meaning)
    }
}
