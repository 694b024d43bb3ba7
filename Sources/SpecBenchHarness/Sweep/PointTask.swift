import SpecBenchResults
import NumericCore
import SpecBenchCore
import SpecBenchMethods

/// What a point's child process is asked to do: run some methods on one point, with warm-up and
/// repetitions, and stream what happens (`WorkerEvent`) on stdout. The methods travel typed
/// (`PlannedRun`, each method's fields encoded as they are): the child parses no parameter.
public struct PointTask: Codable, Sendable {
    /// The point.
    public var point: SweepPoint
    /// The method runs, fitted to the point's top-k (all applicable to the point).
    public var methods: [PlannedRun]
    /// The run's seed.
    public var seed: UInt64
    /// Top singular values asked for at this point (the run's, at most the operator's rank).
    public var topK: Int
    /// Thread counts to set before anything runs.
    public var threads: SweepConfiguration.Threads
    /// Rescale the kernel to this exact spectral norm before anything runs (untimed).
    public var normalize: KernelNormalization?
    /// Reference settings used by the normalisation (the run's reference method's).
    public var reference: ExactReference.Settings
    /// The test-only faults to inject (`FaultInjection.none` outside tests).
    public var faults: FaultInjection = .none
    /// The point's limits: an external method's command is held to what is left of them (nil in
    /// tasks written before external methods: no limit of its own, the supervisor's only).
    public var limits: SweepConfiguration.Limits? = nil

    /// The context a run of this task computes in.
    public func context(of planned: PlannedRun) -> MethodContext {
        planned.run.context(seed: seed, topK: topK)
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
