import NumericCore
import SpecBenchCore

/// `aol`: the Schur-test bound behind AOL (Prach & Lampert 2022, "Almost-orthogonal layers for
/// efficient general-purpose Lipschitz networks"), as a scalar bound on the convolution:
/// `σ ≤ √(max_i Σ_{j,δ} |(KᵀK)[i, j, δ]|)`, where `(KᵀK)[i, j, δ] = Σ_o Σ_d K[o, i, d]·K[o, j, d + δ]`
/// is the kernel of `AᵀA` on the infinite grid (input side, `cin × cin × (2kh − 1) × (2kw − 1)`).
/// Every row sum of `|AᵀA|` of a finite operator (zero or circular padding, any stride or dilation)
/// is at most that of the infinite one, so the bound is `upper` there (docs/methods.md §3, §5);
/// reflect and replicate pad by copying pixels: `estimate`.
///
/// AOL's layer rescales each input channel by its own row sum (`W·D`); the scalar bound here is
/// the uniform Schur test, what `rescale-aol` divides by (docs/fidelity.md).
/// Cost: `(kh·kw)²` products `cin × cout × cin` (2·cin²·cout·kh²·kw² operations), then
/// `cin²·(2kh − 1)(2kw − 1)` absolute sums.
public struct AOLMethod: SpectralNormMethod {
    public static let metadata = MethodMetadata(
        id: "aol", citation: "AOL Schur-test bound (Prach & Lampert 2022)",
        summary: "√(max_i Σ_{j,δ} |KᵀK[i,j,δ]|): the Schur test on the infinite grid's AᵀA, an upper bound on σ",
        parameters: [],
        style: PlotStyle(color: "#6A3D9A", pointType: 6))

    public init(parameters: inout ParameterReader, context: MethodContext) throws {}

    /// The method (it has no parameters).
    public init() {}

    public var parameterValues: [String: String] { [:] }

    public func applicability(to geometry: ConvolutionGeometry) -> Applicability {
        .infiniteGridBound(on: geometry)
    }

    public func operationCount(on geometry: ConvolutionGeometry, context: MethodContext, outcome: MethodOutcome) -> OperationCount {
        let s = geometry.shape
        let taps = s.taps
        return Double(taps * taps) * .realProduct(s.inputChannels, s.inputChannels, s.outputChannels)
    }

    public func memoryNeed(on geometry: ConvolutionGeometry, context: MethodContext) -> MemoryNeed {
        let s = geometry.shape
        let lags = (2 * s.height - 1) * (2 * s.width - 1)
        return .reals(context.precision, lags, s.inputChannels * s.inputChannels) + .reals(context.precision, s.count)
    }

    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    public func prepare<Scalar: LinearAlgebraScalar>(
        _ linearOperator: ConvolutionOperator<Scalar>, context: MethodContext
    ) throws -> any PreparedComputation {
        let shape = linearOperator.kernel.shape
        let weights = linearOperator.weights
        return ClosureComputation { MethodOutcome(values: [Self.bound(weights: weights, shape: shape)]) }
    }

    /// The bound for row-major `weights` of `shape` (in any precision, accumulated in it).
    static func bound<Scalar: LinearAlgebraScalar>(weights: [Scalar], shape s: KernelShape) -> Double {
        let cout = s.outputChannels, cin = s.inputChannels, kh = s.height, kw = s.width, taps = s.taps
        // Tap matrices K_d (cout × cin), one after another.
        var tapMatrices = [Scalar](repeating: 0, count: taps * cout * cin)
        for o in 0..<cout {
            for i in 0..<cin {
                for d in 0..<taps {
                    tapMatrices[(d * cout + o) * cin + i] = weights[(o * cin + i) * taps + d]
                }
            }
        }
        let lagRows = 2 * kh - 1, lagColumns = 2 * kw - 1
        var gram = [Scalar](repeating: 0, count: lagRows * lagColumns * cin * cin)
        for d in 0..<taps {
            let (dy, dx) = d.quotientAndRemainder(dividingBy: kw)
            for e in 0..<taps {
                let (ey, ex) = e.quotientAndRemainder(dividingBy: kw)
                let lag = (ey - dy + kh - 1) * lagColumns + (ex - dx + kw - 1)
                // G[lag] += K_dᵀ · K_e
                BLAS.multiply(rows: cin, columns: cin, inner: cout,
                              a: tapMatrices, aOffset: d * cout * cin, transposeA: true,
                              b: tapMatrices, bOffset: e * cout * cin,
                              into: &gram, cOffset: lag * cin * cin, beta: 1)
            }
        }
        var largest = 0.0
        for i in 0..<cin {
            var sum = 0.0
            for lag in 0..<(lagRows * lagColumns) {
                let row = lag * cin * cin + i * cin
                for j in 0..<cin { sum += Double(abs(gram[row + j])) }
            }
            largest = max(largest, sum)
        }
        return largest.squareRoot()
    }
}
