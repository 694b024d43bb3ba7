import SpecBenchCore
import NumericCore


/// One method's result on one operator: the object of `bench estimate`'s `results` array and the
/// core of every sweep result line. Absent values are written as JSON `null`, so every key is
/// always present.
public struct MethodResult: Codable, Sendable, Equatable {
    /// Method id (docs/methods.md §2).
    public var method: String
    /// The precision the method computed in. The reference is always float64; records written
    /// before the precision axis, which lack the key, are float64 (the decoder's default, the
    /// one place that reads a missing precision).
    @Float64IfAbsent public var precision: Precision = .float64
    /// How the run ended.
    public var status: MethodStatus
    /// The spectral-norm estimate (largest singular value), when status is `ok`.
    public var value: Double?
    /// Top-k values where the method has them (else just the value).
    public var values: [Double]
    /// The guarantee of each entry of `values` (docs/methods.md §3–4): PowerQR's values after the
    /// first are `estimate`. Nil in records written before this field existed.
    public var valueGuarantees: [Guarantee]?
    /// The method's guarantee for this operator (docs/methods.md §3), when it applies.
    public var guarantee: Guarantee?
    /// The reference tier (`dense`, `fft-block-svd`, `lanczos`), for `reference` only.
    public var tier: String?
    /// Seconds of the timed run (the median over repetitions in a sweep).
    public var seconds: Double?
    /// Seconds spent preparing (plans, buffers), outside the timed run.
    public var setupSeconds: Double?
    /// Peak resident memory of prepare + run above the idle baseline, in bytes.
    public var peakBytes: Int?
    /// The method's own memory need as estimated from the shapes before it ran
    /// (`SpectralNormMethod.memoryNeed`: beyond the kernel and the operator's tables, so
    /// comparable with `peakBytes`). Nil where the method does not apply, and in older records.
    public var memoryNeedBytes: Int?
    /// Why it is not applicable, or what went wrong.
    public var message: String?
    /// `(value − reference)/reference`, when a reference ran in the same call or point.
    public var relativeError: Double?
    /// Whether an `exact`, `upper` or `lower` claim held against the reference.
    public var guaranteeHeld: Bool?
    /// Iterations run, when the method iterates.
    public var iterations: Int?
    /// Whether the method's own stopping test was met.
    public var converged: Bool?
    /// A residual, when the method has one.
    public var residual: Double?
    /// What the convergence diagnostics measured, where `converged` alone would mislead (HOPM
    /// of `tn-bound`: a stationary objective is a local maximum, not a certified one).
    public var diagnostics: String?
    /// The effective parameters.
    public var parameters: [String: String]
    /// Sweep timing statistics over repetitions (nil in `bench estimate`).
    public var timing: TimingStatistics?
    /// The method's cost model for this run (`OperationCount`): what its time is set against
    /// the machine's peaks (nil for results recorded before cost models, and where nothing ran).
    public var operations: OperationCount?
    /// For an external method (docs/external-methods.md): whose each time is, the whole
    /// process's time and memory, the command's result fields the harness does not read. Nil for
    /// the methods of the catalog.
    public var external: ExternalRunRecord?
    /// `clip` for a clipping record (docs/clipping.md), whose `value` is the exact norm after the
    /// clip and `relativeError` is `σ_after/c − 1`; nil for an estimate (the key is then absent).
    public var task: String?
    /// The clip's target `c`.
    public var target: Double?
    /// Which operator the clip was for (`composition` or `convolution`).
    public var clipScope: ClipScope?
    /// The exact norm of the clipped operator before the clip.
    public var sigmaBefore: Double?
    /// The exact norm of the clipped operator after the clip.
    public var sigmaAfter: Double?
    /// On a `conv+bn` layer, the exact norm of the composition after the clip (for scope
    /// `convolution`, the batch norm left as it was).
    public var compositionSigmaAfter: Double?
    /// `‖K' − K‖_F / ‖K‖_F` of the clipped operator's kernel: how much of the layer changed.
    public var frobeniusChange: Double?
    /// The exact top-k singular values before the clip.
    public var topBefore: [Double]?
    /// The exact top-k singular values after the clip (a perfect clip changes only those above `c`).
    public var topAfter: [Double]?

    /// A result with every optional field empty.
    public init(method: String, status: MethodStatus, parameters: [String: String] = [:]) {
        self.method = method
        self.status = status
        self.values = []
        self.parameters = parameters
    }

    /// The result's identity within a point: the method id, followed by `@float32` when the
    /// method computed in float32 (`powerqr@float32`). Float64 results keep the bare id, so runs
    /// recorded before the precision axis and runs with it match key for key.
    public var runKey: String {
        if task == Self.clipTask, let target {
            return Self.clipRunKey(method: method, target: target, scope: clipScope ?? .composition)
        }
        return Self.runKey(method: method, precision: precision)
    }

    /// The `task` of a clipping record.
    public static let clipTask = "clip"

    /// The run key of clipping `method` to `target` in `scope`: `clip:fastclip@1`,
    /// `clip:fastclip@0.5/convolution`.
    public static func clipRunKey(method: String, target: Double, scope: ClipScope) -> String {
        "clip:\(method)@\(ResultFormatting.shortNumber(target))" + (scope == .composition ? "" : "/" + scope.rawValue)
    }

    /// The run key of `method` computed in `precision` (see `runKey`).
    public static func runKey(method: String, precision: Precision) -> String {
        precision == .float64 ? method : method + "@" + precision.rawValue
    }

    private enum CodingKeys: String, CodingKey {
        case method, precision, status, value, values, valueGuarantees, guarantee, tier, seconds, setupSeconds, peakBytes, memoryNeedBytes, message
        case relativeError, guaranteeHeld, iterations, converged, residual, diagnostics, parameters, timing, operations, external
        case task, target, clipScope, sigmaBefore, sigmaAfter, compositionSigmaAfter, frobeniusChange, topBefore, topAfter
    }

    /// The keys a record written by an earlier version may lack although this one writes them
    /// always (`precision`, before the precision axis): reading fills their default.
    public static let keysOlderRecordsOmit: Set<String> = [CodingKeys.precision.rawValue]

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(method, forKey: .method)
        try container.encode(precision, forKey: .precision)
        try container.encode(status, forKey: .status)
        try container.encode(value, forKey: .value)
        try container.encode(values, forKey: .values)
        try container.encode(valueGuarantees, forKey: .valueGuarantees)
        try container.encode(guarantee, forKey: .guarantee)
        try container.encode(tier, forKey: .tier)
        try container.encode(seconds, forKey: .seconds)
        try container.encode(setupSeconds, forKey: .setupSeconds)
        try container.encode(peakBytes, forKey: .peakBytes)
        try container.encodeIfPresent(memoryNeedBytes, forKey: .memoryNeedBytes)
        try container.encode(message, forKey: .message)
        try container.encode(relativeError, forKey: .relativeError)
        try container.encode(guaranteeHeld, forKey: .guaranteeHeld)
        try container.encode(iterations, forKey: .iterations)
        try container.encode(converged, forKey: .converged)
        try container.encode(residual, forKey: .residual)
        try container.encodeIfPresent(diagnostics, forKey: .diagnostics)
        try container.encode(parameters, forKey: .parameters)
        try container.encodeIfPresent(timing, forKey: .timing)
        try container.encodeIfPresent(operations, forKey: .operations)
        try container.encodeIfPresent(external, forKey: .external)
        try container.encodeIfPresent(task, forKey: .task)
        try container.encodeIfPresent(target, forKey: .target)
        try container.encodeIfPresent(clipScope, forKey: .clipScope)
        try container.encodeIfPresent(sigmaBefore, forKey: .sigmaBefore)
        try container.encodeIfPresent(sigmaAfter, forKey: .sigmaAfter)
        try container.encodeIfPresent(compositionSigmaAfter, forKey: .compositionSigmaAfter)
        try container.encodeIfPresent(frobeniusChange, forKey: .frobeniusChange)
        try container.encodeIfPresent(topBefore, forKey: .topBefore)
        try container.encodeIfPresent(topAfter, forKey: .topAfter)
    }

    /// Fills `relativeError` and `guaranteeHeld` against an exact (float64) reference value,
    /// with the rounding slack of the result's precision (`Precision.guaranteeSlack`).
    public mutating func compare(toReference reference: Double) {
        guard task == nil, status == .ok, let value, reference.isFinite, reference != 0 else { return }
        relativeError = (value - reference) / reference
        guaranteeHeld = guarantee?.isHeld(value: value, reference: reference, tolerance: precision.guaranteeSlack)
    }
}

/// Timing statistics of a sweep measurement over its repetitions.
public struct TimingStatistics: Codable, Sendable, Equatable {
    /// Every repetition's wall-clock seconds, in the order run.
    public var samples: [Double]
    /// Fastest repetition.
    public var minimum: Double
    /// Median repetition.
    public var median: Double
    /// Interquartile range (third minus first quartile).
    public var interquartileRange: Double
    /// Every repetition's CPU seconds (all threads of the point's process), in the order run.
    public var cpuSamples: [Double]?
    /// Median CPU seconds.
    public var cpuMedian: Double?

    /// Statistics of wall-clock `samples` (at least one) and, optionally, their CPU times.
    public init(samples: [Double], cpuSamples: [Double]? = nil) {
        precondition(!samples.isEmpty, "timing needs at least one sample")
        self.samples = samples
        let sorted = samples.sorted()
        minimum = sorted[0]
        median = Self.quantile(sorted, 0.5)
        interquartileRange = Self.quantile(sorted, 0.75) - Self.quantile(sorted, 0.25)
        if let cpuSamples, !cpuSamples.isEmpty {
            self.cpuSamples = cpuSamples
            cpuMedian = Self.quantile(cpuSamples.sorted(), 0.5)
        }
    }

    /// Linear-interpolation quantile of sorted data (NumPy's default method).
    public static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        guard sorted.count > 1 else { return sorted.first ?? .nan }
        let position = q * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        let fraction = position - Double(lower)
        return sorted[lower] + fraction * (sorted[upper] - sorted[lower])
    }
}
