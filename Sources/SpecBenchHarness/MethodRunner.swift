import ProcessControl
import SpecBenchResults
import NumericCore
import SpecBenchCore
import SpecBenchMethods

/// Runs one method on one operator in this process and measures it: applicability, setup time,
/// run time, peak memory above the idle baseline (the `VmHWM` reset recipe of platform.md), and
/// the outcome's diagnostics. Failures become results with status `error`; nothing escapes.
public enum MethodRunner {
    /// A method prepared on an operator, ready to be run repeatedly.
    public struct Prepared {
        /// The method.
        public let method: any SpectralNormMethod
        /// The prepared computation.
        public let computation: any PreparedComputation
        /// Its guarantee for this operator (of the first value).
        public let guarantee: Guarantee
        /// The guarantee of its values after the first.
        public let laterValuesGuarantee: Guarantee
        /// Seconds spent preparing.
        public let setupSeconds: Double
        /// The operator's geometry.
        public let geometry: ConvolutionGeometry
        /// The context it was prepared in.
        public let context: MethodContext
        /// What the operator's kernel was divided by (`KernelScale`): the values are multiplied
        /// by it.
        public let valueScale: Double
    }

    /// The result skeleton for `run` on `geometry`: not-applicable with its reason, or nil
    /// when the method applies.
    public static func refusal(of run: MethodRun, on geometry: ConvolutionGeometry) -> MethodResult? {
        if case .notApplicable(let reason) = run.method.layerApplicability(to: geometry) {
            return run.result(status: .notApplicable, message: reason)
        }
        return nil
    }

    /// Prepares `method` (timed as setup) in `context.precision` (float64 for the reference; the
    /// conversion of the operator counts as setup). The method must apply to the operator, whose
    /// kernel is the layer's divided by `valueScale` (`KernelScale`; 1: the layer's own).
    public static func prepare(
        _ method: any SpectralNormMethod, on linearOperator: ConvolutionOperator<Double>, context: MethodContext,
        valueScale: Double = 1
    ) throws -> Prepared {
        guard let guarantee = method.layerApplicability(to: linearOperator.geometry).guarantee else {
            preconditionFailure("prepare called for a method that does not apply")
        }
        let watch = Stopwatch()
        let computation = try method.prepare(onFloat64: linearOperator, context: context)
        let later = method.layerGuaranteeOfLaterValues(on: linearOperator.geometry) ?? guarantee
        return Prepared(method: method, computation: computation, guarantee: guarantee,
                        laterValuesGuarantee: later, setupSeconds: watch.elapsedSeconds,
                        geometry: linearOperator.geometry, context: method.effectiveContext(context), valueScale: valueScale)
    }

    /// Runs a prepared method once, returning the outcome, its wall-clock seconds and the CPU
    /// seconds of the process meanwhile. Rejects non-finite or missing values as an error.
    /// `slowdown` (test-only, `FaultInjection`) is the factor the run's time is stretched to, by
    /// spinning after the work, given the outcome (the reference's tier decides whether it used
    /// the operator); 1 outside tests.
    public static func run(
        _ prepared: Prepared, slowdown: (MethodOutcome) -> Double = { _ in 1 }
    ) throws -> (outcome: MethodOutcome, seconds: Double, cpuSeconds: Double) {
        let watch = Stopwatch()
        var outcome = try prepared.computation.run()
        let factor = slowdown(outcome)
        if factor > 1 {
            let target = watch.elapsedSeconds * factor
            while watch.elapsedSeconds < target {}
        }
        let seconds = watch.elapsedSeconds
        let cpuSeconds = watch.elapsedCPUSeconds
        if prepared.valueScale != 1 { outcome.values = outcome.values.map { $0 * prepared.valueScale } }
        guard !outcome.values.isEmpty, outcome.values.allSatisfy({ $0.isFinite }) else {
            throw MethodFailure("the method returned a non-finite or empty value (\(outcome.values.prefix(3)))")
        }
        return (outcome, seconds, cpuSeconds)
    }

    /// Measures `run` once in `context`: prepare, one timed run (slowed by `slowdown`, test-only),
    /// peak memory of both.
    public static func measureOnce(
        _ run: MethodRun, on linearOperator: ConvolutionOperator<Double>, context: MethodContext,
        valueScale: Double = 1, slowdown: (MethodOutcome) -> Double = { _ in 1 }
    ) -> MethodResult {
        let method = run.method
        if let refusal = refusal(of: run, on: linearOperator.geometry) { return refusal }
        var result = run.result(status: .ok)
        let baseline = MemoryProbe.resetPeak()
        do {
            let prepared = try prepare(method, on: linearOperator, context: context, valueScale: valueScale)
            let (outcome, seconds, _) = try Self.run(prepared, slowdown: slowdown)
            result.guarantee = prepared.guarantee
            result.setupSeconds = prepared.setupSeconds
            result.seconds = seconds
            result.record(outcome, guarantees: prepared)
        } catch {
            result.status = .error
            result.message = String(describing: error)
        }
        result.peakBytes = MemoryProbe.isAvailable ? max(0, MemoryProbe.peakResidentBytes() - baseline) : nil
        return result
    }
}

/// A method failed in a way the harness detected (non-finite values and the like).
public struct MethodFailure: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public let description: String
    /// A failure with a message.
    public init(_ description: String) { self.description = description }
}

extension MethodResult {
    /// The prepared state a result's guarantees come from.
    public typealias Prepared = MethodRunner.Prepared

    /// Copies an outcome's values and diagnostics into the result, labelling each value with its
    /// guarantee (the first with the method's, the later ones with `laterValuesGuarantee`).
    public mutating func record(_ outcome: MethodOutcome, guarantees prepared: Prepared) {
        value = outcome.value
        values = outcome.values
        valueGuarantees = outcome.values.indices.map { $0 == 0 ? prepared.guarantee : prepared.laterValuesGuarantee }
        iterations = outcome.iterations
        converged = outcome.converged
        residual = outcome.residual
        tier = outcome.tier
        diagnostics = outcome.diagnostics
        operations = prepared.method.layerOperationCount(on: prepared.geometry, context: prepared.context, outcome: outcome)
    }
}
