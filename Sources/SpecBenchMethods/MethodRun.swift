import NumericCore
import SpecBenchCore

/// One method resolved once, where its input enters (a sweep config's `methods:` entry, the
/// `--methods`/`--param` flags of `bench estimate`, the `reference:` block): the method with
/// every parameter typed and every default filled, and the precision it computes in. From
/// then on nothing reads parameter text: sweeps plan points with it, the point's child process
/// receives it (encoded with the method's typed fields), and every record — success, crash,
/// timeout or refusal alike — carries `parameters`, the same effective values.
///
/// Built by `MethodCatalog.resolve`; O(1) to copy, encode or decode.
public struct MethodRun: Sendable, Codable {
    /// The method with its effective parameters.
    public let method: any SpectralNormMethod
    /// The precision it computes in (the reference: float64 whatever the run asks).
    public let precision: Precision

    /// A run of `method` in `precision`, or in float64 when the method does not compute in
    /// `precision` (`SpectralNormMethod.effectivePrecision`).
    public init(method: any SpectralNormMethod, precision: Precision) {
        self.method = method
        self.precision = method.effectivePrecision(precision)
    }

    /// The method's id.
    public var id: String { method.runID }

    /// The effective parameters as records write them (`key: text`, every default filled).
    public var parameters: [String: String] { method.parameterValues }

    /// The context the method runs in at a point: the run's seed, the point's top-k, this
    /// precision.
    public func context(seed: UInt64, topK: Int) -> MethodContext {
        MethodContext(seed: seed, topK: topK, precision: precision)
    }

    /// This run at a point whose top-k is `topK` (a parameter that defaults to the run's top-k
    /// follows it: PowerQR's `k` on an operator of smaller rank).
    public func fitted(toTopK topK: Int) -> MethodRun {
        MethodRun(method: method.fitted(toTopK: topK), precision: precision)
    }

    private enum CodingKeys: String, CodingKey { case id, precision, method, external }

    /// Whether the method is an external one (`ExternalMethod`), run as a command.
    public var isExternal: Bool { method is ExternalMethod }

    /// Encodes the id, the precision and the method's typed fields (with `external: true` for
    /// an external method, whose id is not the catalog's).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        if isExternal { try container.encode(true, forKey: .external) }
        try container.encode(precision, forKey: .precision)
        try method.encode(to: container.superEncoder(forKey: .method))
    }

    /// Decodes what `encode(to:)` wrote: the method type from its id, its fields typed.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let external = try container.decodeIfPresent(Bool.self, forKey: .external) ?? false
        let type: any SpectralNormMethod.Type = external
            ? ExternalMethod.self : try MethodCatalog.type(for: try container.decode(String.self, forKey: .id))
        method = try type.init(from: container.superDecoder(forKey: .method))
        precision = try container.decode(Precision.self, forKey: .precision)
    }
}

extension MethodRun: Equatable {
    /// Same method, same effective parameters, same precision.
    public static func == (lhs: MethodRun, rhs: MethodRun) -> Bool {
        lhs.id == rhs.id && lhs.precision == rhs.precision && lhs.parameters == rhs.parameters
    }
}
