import NumericCore
import SpecBenchCore

/// `rescale-<estimator>`: divide the kernel by an estimate of its norm when that exceeds the
/// target, `K' = K · min(1, c / estimate(K))`: the spectral rescaling of the Gram-iteration papers
/// (Delattre et al. 2023, 2024) with a bound, Gouk et al. 2021 / Miyato et al. 2018 with a power
/// iteration or the reshaped kernel's norm, and the ideal `rescale-exact` with the exact σ.
/// With an upper bound the clipped norm never exceeds `c` (at the price of over-shrinking by
/// `bound/σ`); with a lower estimate it can end above `c`. A composition (conv + BN) is rescaled
/// through its convolution, the batch norm left as is: the composition scales by the same factor.
/// Cost: one run of the estimator on the layer, then O(entries).
public struct RescaleClip: Codable, Sendable, Equatable {
    /// The estimator, typed with its parameters (computing in float64).
    public var estimator: MethodRun
    /// The clipping id (`rescale-gram-zero`, `rescale-exact`, `rescale-reshape`).
    public var id: String

    /// A rescaling by `estimator` under `id`.
    public init(id: String, estimator: MethodRun) {
        self.id = id
        self.estimator = estimator
    }

    /// The guarantee on `σ_after ≤ c`: `upper` when the estimator is an upper bound on this
    /// operator, `exact` when it is exact (the clip lands on `min(σ, c)`), else `estimate`.
    public func applicability(to geometry: ConvolutionGeometry) -> Applicability {
        switch estimator.method.layerApplicability(to: geometry) {
        case .notApplicable(let reason): .notApplicable(reason: reason)
        case .applies(let guarantee):
            switch guarantee {
            case .exact: .applies(.exact)
            case .upper: .applies(.upper)
            default: .applies(.estimate)
            }
        }
    }

    /// Rescales `operand` to `target` with the estimator's value on the composition.
    public func clip(_ operand: ClipOperand, target: Double, context: MethodContext) throws -> ClipOutcome {
        let composed = try operand.composedKernel()
        let scale = KernelScale(composed)
        let linearOperator = ConvolutionOperator(kernel: scale.kernel, geometry: operand.geometry)
        var estimatorContext = context
        estimatorContext.precision = .float64
        let computation = try estimator.method.prepare(onFloat64: linearOperator, context: estimatorContext)
        let outcome = try computation.run()
        let estimate = outcome.value * scale.factor
        guard estimate.isFinite, estimate >= 0 else {
            throw ClipFailure(step: "\(estimator.id) estimate", "gave \(estimate); accepted: a finite non-negative norm")
        }
        let factor = estimate > target ? target / estimate : 1
        var result = try ClipOutcome(kernel: try operand.kernel.scaled(by: factor), batchNorm: operand.batchNorm, estimate: estimate)
        result.iterations = outcome.iterations
        result.converged = outcome.converged
        result.diagnostics = "\(estimator.id) = \(estimate); factor \(factor)"
        return result
    }
}
