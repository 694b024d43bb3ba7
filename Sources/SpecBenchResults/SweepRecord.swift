import SpecBenchCore

/// One line of a sweep's `results.jsonl`: one method on one point. The point's fields come
/// first, then every field of `MethodResult` at the same level (so `method`, `status`, `value`,
/// `seconds`, `peakBytes`, `relativeError`, `guaranteeHeld` … are top-level keys).
public struct SweepRecord: Codable, Sendable, Equatable {
    /// Version of this line format.
    public static let schemaVersion = 1

    /// The point's stable id.
    public var point: String
    /// The point's position in the config's expansion.
    public var pointIndex: Int
    /// The layer name, for points given as layers.
    public var label: String?
    /// The operator.
    public var `operator`: OperatorDescription
    /// The kernel's source.
    public var kernel: String
    /// The reference value at this point, when the reference succeeded.
    public var reference: Double?
    /// The method's result.
    public var result: MethodResult

    /// A record of `result` at `point`.
    public init(point: SweepPoint, reference: Double?, result: MethodResult) {
        self.point = point.id
        self.pointIndex = point.index
        self.label = point.label
        self.operator = point.operator
        self.kernel = point.kernel.label
        self.reference = reference
        self.result = result
    }

    private enum CodingKeys: String, CodingKey {
        case schemaVersion, point, pointIndex, label, `operator`, kernel, reference
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        point = try container.decode(String.self, forKey: .point)
        pointIndex = try container.decode(Int.self, forKey: .pointIndex)
        label = try container.decodeIfPresent(String.self, forKey: .label)
        `operator` = try container.decode(OperatorDescription.self, forKey: .operator)
        kernel = try container.decode(String.self, forKey: .kernel)
        reference = try container.decodeIfPresent(Double.self, forKey: .reference)
        result = try MethodResult(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        try result.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Self.schemaVersion, forKey: .schemaVersion)
        try container.encode(point, forKey: .point)
        try container.encode(pointIndex, forKey: .pointIndex)
        try container.encode(label, forKey: .label)
        try container.encode(`operator`, forKey: .operator)
        try container.encode(kernel, forKey: .kernel)
        try container.encode(reference, forKey: .reference)
    }
}
