import NumericCore
import SpecBenchCore

/// `fastclip`: FastClip (Ebrahimpour Boroojeny, Telgarsky & Sundaram, AISTATS 2024, "Spectrum
/// extraction and clipping for implicitly linear layers"; their `clip_toolbox.py`,
/// `deflate_model_multi`), applied once to a layer:
/// 1. PowerQR with one vector from a seeded Gaussian start (`initialIterations`, their
///    `init_pqr_iter`): `x ← (x + AᵀA·x)/‖x + AᵀA·x‖`, `σ = √| ‖x + AᵀA·x‖ − 1 |`.
/// 2. Clip only when `σ > c`, or also when `c − σ ≥ tolerance` with `exactFlag` (their default:
///    it pulls a norm below `c − 0.05` up to the target).
/// 3. Up to `rounds` rounds (`deflate_iter`): PowerQR for `roundIterations` from the round's
///    vector `v`; stop once `σ ≤ c` and `c − σ ≤ tolerance`; else, with the layer as it was at the
///    round's start `A₀`, `epochs` gradient steps (`clip_opt_iter`, step `stepSize`) on
///    `L = ‖A·v − (c/σ)·A₀·v‖² / m_w` (their loss sums over channels and rows and averages over the
///    output's last axis), the gradient written out: `∂L/∂K = (2/m_w)·corr(r, v)`, `r` the
///    residual (`KernelGradient`); then `v` restarts from uniform noise on [0, 1) (`rand_data`).
/// For a composition (conv + BN, `ClipOperand.batchNorm`) the map is `diag(γ·d)·A` and the steps
/// also update `γ` (their composite branch updates every `weight`, with step 0.01); the running
/// statistics stay. Bias terms cancel in `f(x) − f(0)` and are not modelled.
/// Cost per round: `2·roundIterations + 1 + 2·epochs` operator applications (forward, adjoint or
/// kernel gradient, each `2·cout·cin_g·kh·kw·m_h·m_w` operations), plus `2·initialIterations` once.
public struct FastClip: Codable, Sendable, Equatable {
    /// PowerQR iterations before the first test (`init_pqr_iter`, default 100).
    public static let initialIterationsParameter = MethodParameter(
        "initialIterations", default: 100, accepted: 1...100_000, meaning: "PowerQR iterations from the Gaussian start (init_pqr_iter)")
    /// PowerQR iterations at the start of each round (default 10, `pqr_iters`).
    public static let roundIterationsParameter = MethodParameter(
        "roundIterations", default: 10, accepted: 1...100_000, meaning: "PowerQR iterations per round (pqr_iters)")
    /// Rounds (default 5, `deflate_model_multi`'s `deflate_iter`).
    public static let roundsParameter = MethodParameter(
        "rounds", default: 5, accepted: 1...10_000, meaning: "clipping rounds (deflate_iter)")
    /// Gradient steps per round (default 5, `clip_opt_iter`).
    public static let epochsParameter = MethodParameter(
        "epochs", default: 5, accepted: 1...10_000, meaning: "gradient steps per round (clip_opt_iter)")
    /// Step size on a convolution (default 0.35, `clip_opt_stepsize`).
    public static let stepSizeParameter = MethodParameter(
        "stepSize", default: 0.35, accepted: 1e-12...1e6, meaning: "gradient step on a convolution (clip_opt_stepsize)")
    /// Step size on a composition (default 0.01, their composite branch).
    public static let compositionStepSizeParameter = MethodParameter(
        "compositionStepSize", default: 0.01, accepted: 1e-12...1e6, meaning: "gradient step on a conv + BN composition")
    /// How far below the target a norm may end (default 0.05, absolute).
    public static let toleranceParameter = MethodParameter(
        "tolerance", default: 0.05, accepted: 0...1e6, meaning: "stop once c − tolerance ≤ σ ≤ c (absolute)")
    /// Whether a norm far below the target is raised too (default true, `exact_flag`).
    public static let exactFlagParameter = MethodParameter(
        "exactFlag", default: true, meaning: "true: also clip when σ < c − tolerance (exact_flag, theirs); false: only when σ > c")

    /// The parameters' specifications, in order.
    public static let parameters = [
        initialIterationsParameter.specification, roundIterationsParameter.specification, roundsParameter.specification,
        epochsParameter.specification, stepSizeParameter.specification, compositionStepSizeParameter.specification,
        toleranceParameter.specification, exactFlagParameter.specification,
    ]

    public var initialIterations: Int
    public var roundIterations: Int
    public var rounds: Int
    public var epochs: Int
    public var stepSize: Double
    public var compositionStepSize: Double
    public var tolerance: Double
    public var exactFlag: Bool

    /// Reads the parameters (keys without the `fastclip.` prefix), applying defaults.
    public init(parameters: inout ParameterReader) throws {
        initialIterations = try parameters.read(Self.initialIterationsParameter)
        roundIterations = try parameters.read(Self.roundIterationsParameter)
        rounds = try parameters.read(Self.roundsParameter)
        epochs = try parameters.read(Self.epochsParameter)
        stepSize = try parameters.read(Self.stepSizeParameter)
        compositionStepSize = try parameters.read(Self.compositionStepSizeParameter)
        tolerance = try parameters.read(Self.toleranceParameter)
        exactFlag = try parameters.read(Self.exactFlagParameter)
    }

    /// The effective parameters, as recorded.
    public var parameterValues: [String: String] {
        Dictionary(uniqueKeysWithValues: [
            Self.initialIterationsParameter.recorded(initialIterations), Self.roundIterationsParameter.recorded(roundIterations),
            Self.roundsParameter.recorded(rounds), Self.epochsParameter.recorded(epochs),
            Self.stepSizeParameter.recorded(stepSize), Self.compositionStepSizeParameter.recorded(compositionStepSize),
            Self.toleranceParameter.recorded(tolerance), Self.exactFlagParameter.recorded(exactFlag),
        ].map { ($0.key, $0.value) })
    }

    /// No guarantee on any operator: the steps aim at `c` through a PowerQR estimate.
    public func applicability(to geometry: ConvolutionGeometry) -> Applicability { .applies(.estimate) }

    /// Clips `operand` to `target` as described above; throws `ClipFailure` naming the step when
    /// a PowerQR value or an update is not finite.
    public func clip(_ operand: ClipOperand, target c: Double, context: MethodContext) throws -> ClipOutcome {
        let geometry = operand.geometry
        var kernel = operand.kernel.values
        var gamma = operand.batchNorm?.gamma
        let deviation = operand.batchNorm?.inverseDeviation
        let shape = geometry.shape
        let perChannel = shape.count / shape.outputChannels
        let stepLength = operand.batchNorm == nil ? stepSize : compositionStepSize

        func scales() -> [Double]? { gamma.map { zip($0, deviation!).map { $0 * $1 } } }
        func composedOperator() throws -> ConvolutionOperator<Double> {
            let own = try ConvolutionKernel(shape: shape, values: kernel)
            return ConvolutionOperator(kernel: try scales().map { try own.scalingOutputChannels(by: $0) } ?? own, geometry: geometry)
        }
        func powerQR(_ start: [Double], iterations: Int, step name: String) throws -> (vector: [Double], sigma: Double) {
            let linearOperator = try composedOperator()
            var x = start
            var sigma = 0.0
            for _ in 0..<iterations {
                var next = linearOperator.applyNormal(x)
                BLAS.addScaled(1, x, to: &next)
                let norm = BLAS.norm(next)
                guard norm.isFinite, norm > 0 else { throw ClipFailure(step: name, "PowerQR's iterate has norm \(norm)") }
                sigma = abs(norm - 1).squareRoot()
                BLAS.scale(&next, by: 1 / norm)
                x = next
            }
            return (x, sigma)
        }

        var generator = context.generator("fastclip/start")
        var (vector, sigma) = try powerQR(generator.normals(geometry.columns), iterations: initialIterations, step: "initial PowerQR")
        let firstEstimate = sigma
        let needed = exactFlag ? (sigma > c || c - sigma >= tolerance) : sigma > c
        var roundSigmas: [Double] = []
        var roundsRun = 0
        var converged = !needed
        if needed {
            var noise = context.generator("fastclip/rounds")
            for round in 1...rounds {
                (vector, sigma) = try powerQR(vector, iterations: roundIterations, step: "round \(round) PowerQR")
                roundSigmas.append(sigma)
                if sigma <= c && c - sigma <= tolerance {
                    converged = true
                    break
                }
                let before = try composedOperator()
                var wanted = before.apply(vector)
                BLAS.scale(&wanted, by: c / sigma)
                for epoch in 1...epochs {
                    let step = try Self.loss(kernel: kernel, gamma: gamma, deviation: deviation, geometry: geometry,
                                             input: vector, wanted: wanted)
                    for index in kernel.indices { kernel[index] -= stepLength * step.kernelGradient[index] }
                    if var updated = gamma, let gradient = step.gammaGradient {
                        for o in updated.indices { updated[o] -= stepLength * gradient[o] }
                        gamma = updated
                    }
                    if let bad = kernel.firstIndex(where: { !$0.isFinite }) {
                        throw ClipFailure(step: "round \(round) gradient step \(epoch)",
                                          "kernel entry \(bad) (of \(shape.count); \(perChannel) per output channel) became \(kernel[bad])")
                    }
                    if let gamma, let bad = gamma.firstIndex(where: { !$0.isFinite }) {
                        throw ClipFailure(step: "round \(round) gradient step \(epoch)", "batch-norm weight \(bad) became \(gamma[bad])")
                    }
                }
                roundsRun = round
                vector = (0..<geometry.columns).map { _ in noise.nextUniform() }
            }
        }
        let clippedKernel = try ConvolutionKernel(shape: shape, values: kernel)
        let gain = try operand.batchNorm.map { try BatchNormGain(gamma: gamma!, inverseDeviation: $0.inverseDeviation) }
        var outcome = try ClipOutcome(kernel: clippedKernel, batchNorm: gain, estimate: firstEstimate)
        outcome.iterations = roundsRun
        outcome.converged = converged
        outcome.diagnostics = Self.summary(initial: firstEstimate, rounds: roundSigmas, converged: converged)
        return outcome
    }

    /// The diagnostics line: the first PowerQR value and the σ PowerQR gave at the start of the
    /// first three and the last three rounds (what the stop test saw), formatted once after the clip.
    static func summary(initial: Double, rounds: [Double], converged: Bool) -> String {
        func format(_ values: ArraySlice<Double>, from start: Int) -> String {
            values.enumerated().map { "round \(start + $0.offset + 1): σ = \($0.element)" }.joined(separator: "; ")
        }
        var text = "PowerQR σ = \(initial)"
        if rounds.count <= 6 {
            if !rounds.isEmpty { text += "; " + format(rounds[...], from: 0) }
        } else {
            text += "; " + format(rounds.prefix(3), from: 0) + "; …; " + format(rounds.suffix(3), from: rounds.count - 3)
        }
        return text + (converged ? "; stop test met" : "; stop test not met after \(rounds.count) rounds")
    }

    /// FastClip's loss at `kernel` (and, for a composition, batch-norm weights `gamma` with
    /// inverse deviations `deviation`) and its gradients, written out:
    /// `L = ‖diag(γ·d)·A(K)·x − wanted‖² / m_w` (`m_w` the output width: their Conv2d loss sums
    /// over channels and rows and averages over the last axis; 1 for a 1-D layer),
    /// `∂L/∂K = (2/m_w)·corr(diag(γ·d)·r, x)` (`KernelGradient`), `∂L/∂γ_o = (2/m_w)·d_o·Σ r_o·(A(K)x)_o`,
    /// `r` the residual. Cost: one forward application and one kernel gradient.
    public static func loss(kernel: [Double], gamma: [Double]?, deviation: [Double]?, geometry: ConvolutionGeometry,
                            input: [Double], wanted: [Double]) throws -> (loss: Double, kernelGradient: [Double], gammaGradient: [Double]?) {
        let shape = geometry.shape
        let positions = geometry.outputHeight * geometry.outputWidth
        let averaged = geometry.dimensions == 1 ? 1.0 : Double(geometry.outputWidth)
        let own = ConvolutionOperator(kernel: try ConvolutionKernel(shape: shape, values: kernel), geometry: geometry)
        let output = own.apply(input)
        var residual = output, weighted = output
        var loss = 0.0
        for o in 0..<shape.outputChannels {
            let g = gamma.map { $0[o] * deviation![o] } ?? 1
            for p in (o * positions)..<((o + 1) * positions) {
                residual[p] = g * output[p] - wanted[p]
                weighted[p] = g * residual[p]
                loss += residual[p] * residual[p]
            }
        }
        let factor = 2 / averaged
        var kernelGradient = KernelGradient.correlate(residual: weighted, input: input, geometry: geometry)
        for index in kernelGradient.indices { kernelGradient[index] *= factor }
        var gammaGradient: [Double]?
        if gamma != nil, let deviation {
            gammaGradient = (0..<shape.outputChannels).map { o in
                var sum = 0.0
                for p in (o * positions)..<((o + 1) * positions) { sum += residual[p] * output[p] }
                return factor * sum * deviation[o]
            }
        }
        return (loss / averaged, kernelGradient, gammaGradient)
    }
}
