import SpecBenchCore
import NumericCore
import SpecBenchMachine

/// The answer of `bench estimate` (one result per method) and of `bench clip` (one clipping
/// record per method, `target` set): the operator, the seed, the results.
public struct EstimateReport: Codable, Sendable {
    /// The operator the methods ran on.
    public var `operator`: OperatorDescription
    /// The run's seed.
    public var seed: UInt64
    /// The kernel's source (`normal(seed 3)`, or a file path).
    public var kernel: String
    /// Number of top singular values asked for.
    public var topK: Int
    /// The precision asked for (each result records the one it computed in).
    public var precision: Precision
    /// One result per method, in the requested order.
    public var results: [MethodResult]
    /// The OpenBLAS core the methods ran on, what OpenBLAS detected and the self-test's verdict.
    public var blasCore: BLASCoreReport?
    /// What this machine's times should be read with (`MachineWarnings`).
    public var warnings: [String]?
    /// The clip target of `bench clip`; nil for `bench estimate`.
    public var target: Double?

    /// A value with every field given (those with a default may be left out).
    public init(`operator`: OperatorDescription, seed: UInt64, kernel: String, topK: Int, precision: Precision, results: [MethodResult],
                blasCore: BLASCoreReport?, warnings: [String]?) {
        self.`operator` = `operator`
        self.seed = seed
        self.kernel = kernel
        self.topK = topK
        self.precision = precision
        self.results = results
        self.blasCore = blasCore
        self.warnings = warnings
    }
}
