/// What one run of a method produced: its estimate and the diagnostics that tell how far to trust
/// it (iterations run, convergence, a residual where that means something).
public struct MethodOutcome: Sendable, Equatable {
    /// Singular value estimates, descending; the first is the spectral-norm estimate. Methods that
    /// only bound the norm return one value.
    public var values: [Double]
    /// Iterations run (summed over restarts or reshapes), when the method iterates.
    public var iterations: Int?
    /// Whether the method's own stopping test was met, when it has one.
    public var converged: Bool?
    /// A residual, when that means something: relative change of the last step for iterative
    /// estimates, relative Lanczos residual for the reference.
    public var residual: Double?
    /// The reference tier, for `reference` only.
    public var tier: String?
    /// What the convergence diagnostics measured, where `converged` alone would mislead (HOPM).
    public var diagnostics: String?

    /// An outcome from its values and optional diagnostics.
    public init(values: [Double], iterations: Int? = nil, converged: Bool? = nil, residual: Double? = nil, tier: String? = nil) {
        self.values = values
        self.iterations = iterations
        self.converged = converged
        self.residual = residual
        self.tier = tier
    }

    /// The spectral-norm estimate (the first value).
    public var value: Double { values.first ?? .nan }
}
