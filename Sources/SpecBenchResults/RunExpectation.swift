import SpecBenchCore

/// What a finished run of a configuration must hold, as only the code that runs sweeps knows it
/// (the method catalog's precisions, the expansion of the config into points): given to
/// `RunDirectory.loadFinished`, so that reading a run needs no method, model or sweep code.
/// `SweepExpectation.standard` (SpecBenchHarness) is the one the command line uses.
public struct RunExpectation: Sendable {
    /// The run keys every point records (`powerqr`, `powerqr@float32`), in report order.
    public var runKeys: @Sendable (SweepConfiguration) -> [String]
    /// The ids of every point the configuration produces, or nil where they cannot be known
    /// without files the run named (models).
    public var pointIds: @Sendable (SweepConfiguration) -> Set<String>?

    /// An expectation; see the properties.
    public init(runKeys: @escaping @Sendable (SweepConfiguration) -> [String],
                pointIds: @escaping @Sendable (SweepConfiguration) -> Set<String>?) {
        self.runKeys = runKeys
        self.pointIds = pointIds
    }
}
