import SpecBenchCore

/// Whether a method applies to an operator, and with which guarantee (docs/methods.md §3).
public enum Applicability: Sendable, Equatable {
    /// The method runs, and its value carries this guarantee.
    case applies(Guarantee)
    /// The method refuses this operator, for the stated reason.
    case notApplicable(reason: String)

    /// The guarantee, when the method applies.
    public var guarantee: Guarantee? {
        if case .applies(let guarantee) = self { return guarantee }
        return nil
    }

    /// The guarantee of a bound on the infinite-grid norm `σ_∞` (gram-zero, lipbound,
    /// fantastic-four, tn-bound) on `geometry` (docs/methods.md §5): upper for zero and circular
    /// padding (any pads, strides, dilation and groups), an estimate for reflect and replicate,
    /// whose padding map can make `σ(A)` exceed `σ_∞`.
    public static func infiniteGridBound(on geometry: ConvolutionGeometry) -> Applicability {
        switch geometry.padding {
        case .zero, .circular: .applies(.upper)
        case .reflect, .replicate: .applies(.estimate)
        }
    }
}
