/// What a method's value promises about the exact spectral norm `σ(A)` for a given operator
/// (docs/methods.md §3).
public enum Guarantee: String, Codable, Sendable, CaseIterable {
    /// Equals `σ(A)` (to rounding).
    case exact
    /// Never below `σ(A)` (for iterative bounds: once converged).
    case upper
    /// Never above `σ(A)`.
    case lower
    /// No guarantee for this operator.
    case estimate

    /// Whether `value` keeps the promise against the exact `reference`, with a relative slack
    /// `tolerance` for rounding; nil for `estimate`, which promises nothing.
    public func isHeld(value: Double, reference: Double, tolerance: Double = 1e-9) -> Bool? {
        let slack = tolerance * abs(reference)
        switch self {
        case .exact: return abs(value - reference) <= slack
        case .upper: return value >= reference - slack
        case .lower: return value <= reference + slack
        case .estimate: return nil
        }
    }
}
