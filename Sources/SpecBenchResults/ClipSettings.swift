/// Which operator of a layer a clip is for (docs/clipping.md): the one the point measures (the
/// composition, batch norm folded in, on a `conv+bn` layer; the convolution elsewhere), or, on a
/// `conv+bn` layer, the convolution alone with its batch norm left as it is.
public enum ClipScope: String, Codable, Sendable, Hashable, CaseIterable {
    /// The point's operator: the composition where the layer has a batch norm.
    case composition
    /// The convolution alone; the composition's norm after it is recorded beside.
    case convolution
}

/// A sweep's `clip:` key (docs/clipping.md): every clipping method at every target, on every
/// point, each judged by the exact norm after the clip. As the manifest records it.
public struct ClipSettings: Codable, Sendable, Hashable {
    /// The targets `c > 0`.
    public var targets: [Double]
    /// The clipping methods with their raw parameters (validated by `ClippingCatalog`).
    public var methods: [SweepConfiguration.MethodSpecification]
    /// The scopes clipped on a `conv+bn` layer (`composition` always; `convolution` for the comparison).
    public var scopes: [ClipScope]
    /// How far above the target a clipped norm may end and still count as clipped correctly
    /// (relative; default 1e-3): the reports' "correct" column.
    public var tolerance: Double

    /// Settings; see the properties.
    public init(targets: [Double], methods: [SweepConfiguration.MethodSpecification], scopes: [ClipScope] = [.composition],
                tolerance: Double = ClipSettings.defaultTolerance) {
        self.targets = targets
        self.methods = methods
        self.scopes = scopes
        self.tolerance = tolerance
    }

    /// The default `tolerance`.
    public static let defaultTolerance = 1e-3

    /// The run keys of this clip plan, in report order (method, then target, then scope).
    public var runKeys: [String] {
        methods.flatMap { method in
            targets.flatMap { target in
                scopes.map { MethodResult.clipRunKey(method: method.name, target: target, scope: $0) }
            }
        }
    }
}
