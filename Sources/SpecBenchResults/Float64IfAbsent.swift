import NumericCore

/// A recorded precision (or list of them) that reads as float64 when its key is absent: records,
/// configs and manifests written before the precision axis. The one place that default is read;
/// in memory the value is never optional.
@propertyWrapper
public struct Float64IfAbsent<Value: Float64Defaulted>: Codable, Sendable, Hashable {
    /// The value.
    public var wrappedValue: Value

    /// The value given.
    public init(wrappedValue: Value) { self.wrappedValue = wrappedValue }

    public init(from decoder: any Decoder) throws {
        wrappedValue = try decoder.singleValueContainer().decode(Value.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(wrappedValue)
    }
}

/// A type whose value for "recorded before the precision axis" is float64.
public protocol Float64Defaulted: Codable, Sendable, Hashable {
    /// The value an absent key reads as.
    static var float64Default: Self { get }
}

extension Precision: Float64Defaulted {
    public static var float64Default: Precision { .float64 }
}

extension Array: Float64Defaulted where Element == Precision {
    public static var float64Default: [Precision] { [.float64] }
}

extension KeyedDecodingContainer {
    /// An absent key reads as `Value.float64Default`.
    public func decode<Value>(_ type: Float64IfAbsent<Value>.Type, forKey key: Key) throws -> Float64IfAbsent<Value> {
        try decodeIfPresent(type, forKey: key) ?? Float64IfAbsent(wrappedValue: Value.float64Default)
    }
}
