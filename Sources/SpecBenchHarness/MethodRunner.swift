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

    /// The result skeleton for `method` on `geometry`: not-applicable with its reason, or nil
    /// when the method applies.
    public static func refusal(of method: any SpectralNormMethod, on geometry: ConvolutionGeometry, context: MethodContext) -> MethodResult? {
        if case .notApplicable(let reason) = method.applicability(to: geometry) {
            var result = MethodResult(method: type(of: method).id, status: .notApplicable, parameters: method.parameterValues)
            result.precision = method.effectivePrecision(context.precision)
            result.message = reason
            return result
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
        guard let guarantee = method.applicability(to: linearOperator.geometry).guarantee else {
            preconditionFailure("prepare called for a method that does not apply")
        }
        let watch = Stopwatch()
        let computation = try method.prepare(onFloat64: linearOperator, context: context)
        let later = method.guaranteeOfLaterValues(on: linearOperator.geometry) ?? guarantee
        return Prepared(method: method, computation: computation, guarantee: guarantee,
                        laterValuesGuarantee: later, setupSeconds: watch.elapsedSeconds,
                        geometry: linearOperator.geometry, context: method.effectiveContext(context), valueScale: valueScale)
    }

    /// Runs a prepared method once, returning the outcome, its wall-clock seconds and the CPU
    /// seconds of the process meanwhile. Rejects non-finite or missing values as an error.
    public static func run(_ prepared: Prepared, repeatWork: Int = 1) throws -> (outcome: MethodOutcome, seconds: Double, cpuSeconds: Double) {
        let watch = Stopwatch()
        var outcome = try prepared.computation.run()
        for _ in 1..<max(1, repeatWork) { outcome = try prepared.computation.run() }
        let seconds = watch.elapsedSeconds
        let cpuSeconds = watch.elapsedCPUSeconds
        if prepared.valueScale != 1 { outcome.values = outcome.values.map { $0 * prepared.valueScale } }
        guard !outcome.values.isEmpty, outcome.values.allSatisfy({ $0.isFinite }) else {
            throw MethodFailure("the method returned a non-finite or empty value (\(outcome.values.prefix(3)))")
        }
        return (outcome, seconds, cpuSeconds)
    }

    /// Measures `method` once: prepare, one timed run, peak memory of both.
    public static func measureOnce(
        _ method: any SpectralNormMethod, on linearOperator: ConvolutionOperator<Double>, context: MethodContext,
        valueScale: Double = 1, repeatWork: Int = 1
    ) -> MethodResult {
        if let refusal = refusal(of: method, on: linearOperator.geometry, context: context) { return refusal }
        var result = MethodResult(method: type(of: method).id, status: .ok, parameters: method.parameterValues)
        result.precision = method.effectivePrecision(context.precision)
        let baseline = MemoryProbe.resetPeak()
        do {
            let prepared = try prepare(method, on: linearOperator, context: context, valueScale: valueScale)
            let (outcome, seconds, _) = try run(prepared, repeatWork: repeatWork)
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
        operations = prepared.method.operationCount(on: prepared.geometry, context: prepared.context, outcome: outcome)
    }
}
