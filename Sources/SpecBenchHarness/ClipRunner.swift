import ProcessControl
import SpecBenchResults
import NumericCore
import SpecBenchCore
import SpecBenchMethods

/// Runs and judges one clip (docs/clipping.md): times the clipping method (warm-up runs, then
/// timed repetitions, peak memory above the baseline), then computes the exact top-k singular
/// values of the clipped operator with the reference (`ExactReference`) and records `σ_after/c`,
/// the layer's relative Frobenius change, the top-k before and after, and, on a `conv+bn` layer,
/// the composition's norm after. A failed clip is an `error` record naming the step; nothing
/// escapes. Cost: the method's, plus one exact top-k on the clipped operator (two with a batch norm).
public enum ClipRunner {
    /// The layer a point clips and what is known of it before: its exact top-k per scope.
    public struct Layer: Sendable {
        /// The convolution, and the batch norm after it when the point is a `conv+bn` layer.
        public var operand: ClipOperand
        /// The exact top-k of the composition (the point's operator).
        public var compositionTop: [Double]
        /// The exact top-k of the convolution alone (equal to `compositionTop` without a batch
        /// norm; empty when no job clips the convolution alone).
        public var convolutionTop: [Double]

        /// The layer with its exact values before, computed by `reference` (top `topK`); the
        /// convolution's alone only when `convolutionAlone` (a job of scope `convolution`).
        public init(operand: ClipOperand, reference: ExactReference, topK: Int, seed: UInt64, convolutionAlone: Bool = true) throws {
            self.operand = operand
            compositionTop = try ClipRunner.top(of: try operand.composedKernel(), geometry: operand.geometry, reference: reference, topK: topK, seed: seed)
            if operand.batchNorm == nil {
                convolutionTop = compositionTop
            } else {
                convolutionTop = convolutionAlone
                    ? try ClipRunner.top(of: operand.kernel, geometry: operand.geometry, reference: reference, topK: topK, seed: seed) : []
            }
        }
    }

    /// How a clip is measured.
    public struct Measurement: Sendable {
        /// The run's seed.
        public var seed: UInt64
        /// Top singular values recorded before and after.
        public var topK: Int
        /// The reference's settings.
        public var reference: ExactReference.Settings
        /// Untimed warm-up runs.
        public var warmup: Int
        /// Timed repetitions (at least 1).
        public var repetitions: Int

        /// A protocol; see the properties.
        public init(seed: UInt64, topK: Int, reference: ExactReference.Settings, warmup: Int, repetitions: Int) {
            self.seed = seed
            self.topK = topK
            self.reference = reference
            self.warmup = warmup
            self.repetitions = max(1, repetitions)
        }
    }

    /// Relative slack of the clip guarantees: float64 rounding and the reference's tolerance.
    public static let guaranteeSlack = 1e-9

    /// Runs `job` on `layer`; the record and the clipped operator's kernel (nil on failure).
    public static func run(_ job: ClipJob, on layer: Layer, protocol measure: Measurement) -> (result: MethodResult, kernel: ConvolutionKernel?) {
        let geometry = layer.operand.geometry
        if let refusal = job.refusal(on: geometry, hasBatchNorm: layer.operand.batchNorm != nil) { return (refusal, nil) }
        var result = job.result(status: .ok)
        result.guarantee = job.method.applicability(to: geometry).guarantee
        let operand = job.scope == .composition ? layer.operand : ClipOperand(kernel: layer.operand.kernel, geometry: geometry)
        let before = job.scope == .composition ? layer.compositionTop : layer.convolutionTop
        let context = MethodContext(seed: measure.seed, topK: measure.topK)
        let reference = ExactReference(settings: measure.reference)
        var samples: [Double] = [], cpuSamples: [Double] = []
        var outcome: ClipOutcome?
        var peak = 0
        do {
            for run in 0..<(measure.warmup + measure.repetitions) {
                let baseline = MemoryProbe.resetPeak()
                let watch = Stopwatch()
                outcome = try job.method.clip(operand, target: job.target, context: context)
                let (seconds, cpu) = (watch.elapsedSeconds, watch.elapsedCPUSeconds)
                peak = max(peak, MemoryProbe.peakResidentBytes() - baseline)
                if run >= measure.warmup {
                    samples.append(seconds)
                    cpuSamples.append(cpu)
                }
            }
            let clipped = outcome!
            let target = job.scope == .composition ? clipped.composedKernel : clipped.kernel
            let targetGeometry = try geometry.with(kernelShape: target.shape)
            let after = try top(of: target, geometry: targetGeometry, reference: reference, topK: measure.topK, seed: measure.seed)
            let original = try operand.composedKernel()
            result.sigmaBefore = before.first
            result.topBefore = before
            result.sigmaAfter = after.first
            result.topAfter = after
            result.value = after.first
            result.values = after
            result.frobeniusChange = relativeChange(from: original, to: target)
            if let batchNorm = layer.operand.batchNorm {
                result.compositionSigmaAfter = job.scope == .composition
                    ? after.first
                    : try top(of: try batchNorm.folded(clipped.kernel), geometry: targetGeometry, reference: reference, topK: 1, seed: measure.seed).first
            }
            judge(&result, before: before.first ?? 0)
            result.iterations = clipped.iterations
            result.converged = clipped.converged
            result.diagnostics = clipped.diagnostics
            let timing = TimingStatistics(samples: samples, cpuSamples: cpuSamples)
            result.timing = timing
            result.seconds = timing.median
            result.peakBytes = MemoryProbe.isAvailable ? max(0, peak) : nil
            return (result, target)
        } catch {
            var failed = job.result(status: .error, message: String(describing: error))
            failed.guarantee = result.guarantee
            failed.sigmaBefore = before.first
            failed.topBefore = before
            return (failed, nil)
        }
    }

    /// Fills `relativeError` (`σ_after/c − 1`) and `guaranteeHeld`: `upper` holds when the norm
    /// after is at most `c`, `exact` when it is `min(σ_before, c)`, both within `guaranteeSlack`.
    static func judge(_ result: inout MethodResult, before: Double) {
        guard let after = result.sigmaAfter, let target = result.target else { return }
        result.relativeError = after / target - 1
        let slack = guaranteeSlack * max(target, before)
        switch result.guarantee {
        case .upper: result.guaranteeHeld = after <= target + slack
        case .exact: result.guaranteeHeld = abs(after - min(before, target)) <= slack
        default: result.guaranteeHeld = nil
        }
    }

    /// The exact top `topK` singular values of `kernel` on `geometry` (fewer when the rank is smaller).
    static func top(of kernel: ConvolutionKernel, geometry: ConvolutionGeometry, reference: ExactReference, topK: Int, seed: UInt64) throws -> [Double] {
        let scale = KernelScale(kernel)
        let linearOperator = ConvolutionOperator(kernel: scale.kernel, geometry: geometry)
        let answer = try reference.topSingularValues(of: linearOperator, count: min(topK, geometry.rank), seed: seed)
        return answer.values.map { $0 * scale.factor }
    }

    /// `‖K' − K‖_F / ‖K‖_F`, the original placed in the top-left corner of a larger clipped kernel
    /// (Sedghi's clip without its projection).
    static func relativeChange(from original: ConvolutionKernel, to clipped: ConvolutionKernel) -> Double {
        let norm = original.frobeniusNorm
        guard norm > 0 else { return clipped.frobeniusNorm == 0 ? 0 : .infinity }
        let (a, b) = (original.shape, clipped.shape)
        var sum = 0.0
        for o in 0..<b.outputChannels {
            for i in 0..<b.inputChannels {
                for dy in 0..<b.height {
                    for dx in 0..<b.width {
                        let old = dy < a.height && dx < a.width ? original[o, i, dy, dx] : 0
                        let difference = clipped[o, i, dy, dx] - old
                        sum += difference * difference
                    }
                }
            }
        }
        return sum.squareRoot() / norm
    }
}
