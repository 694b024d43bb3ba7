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
}
