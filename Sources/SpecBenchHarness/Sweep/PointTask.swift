import SpecBenchResults
import NumericCore
import SpecBenchCore
import SpecBenchMethods

/// What a point's child process is asked to do: run some methods on one point, with warm-up and
/// repetitions, and stream what happens (`WorkerEvent`) on stdout.
public struct PointTask: Codable, Sendable {
    /// The point.
    public var point: SweepPoint
    /// The methods to run (all applicable to the point).
    public var methods: [MethodPlan]
    /// The run's seed.
    public var seed: UInt64
    /// Top singular values asked for.
    public var topK: Int
    /// Thread counts to set before anything runs.
    public var threads: SweepConfiguration.Threads
    /// Rescale the kernel to this exact spectral norm before anything runs (untimed).
    public var normalize: KernelNormalization?
    /// Reference settings used by the normalisation.
    public var reference: ExactReference.Settings?

    /// One method's measurement plan.
    public struct MethodPlan: Codable, Sendable, Hashable {
        /// Method id.
        public var id: String
        /// Raw parameters for `MethodCatalog.make`.
        public var parameters: [String: String]
        /// Test-only: how many times the timed run repeats the method's work.
        public var repeatWork: Int
        /// Untimed warm-up runs.
        public var warmup: Int
        /// Timed repetitions.
        public var repetitions: Int
        /// The precision to compute in (nil: float64).
        public var precision: Precision?

        /// The plan's identity within the point, as its result's `runKey` (`powerqr@float32`).
        public var key: String { MethodResult.runKey(method: id, precision: precision ?? .float64) }
    }
}

/// One line of a point child's stdout: a method starts or finishes a phase, or its result is final.
public struct WorkerEvent: Codable, Sendable {
    /// `start`, `finish` or `result`.
    public var event: String
    /// The method concerned, as its plan's key (`powerqr`, `powerqr@float32`).
    public var method: String
    /// `setup`, `warmup` or `repetition` (start and finish events).
    public var phase: String?
    /// Seconds of the finished phase.
    public var seconds: Double?
    /// The final result (result events).
    public var result: MethodResult?

    /// An event.
    public init(event: String, method: String, phase: String? = nil, seconds: Double? = nil, result: MethodResult? = nil) {
        self.event = event
        self.method = method
        self.phase = phase
        self.seconds = seconds
        self.result = result
    }
}
