import NumericCore
import SpecBenchCore

/// `reshape-norm`: the spectral norm of the kernel reshaped to the `cout × (cin·kh·kw)` matrix,
/// what PyTorch's `torch.nn.utils.spectral_norm` (Miyato et al. 2018, "Spectral normalization for
/// generative adversarial networks") divides a convolution's weight by. PyTorch estimates it by
/// power iteration carried across training steps; here it is the value that iteration converges
/// to, computed by LAPACK SVD (docs/fidelity.md). It is not the operator's norm: below σ on many
/// layers, above it on others, exact for a 1×1 stride-1 convolution (docs/results.md, "The
/// libraries people use"). Guarantee: `estimate` on every operator.
/// Cost: one values-only SVD of a `cout × (cin·kh·kw)` matrix.
public struct ReshapeNormMethod: SpectralNormMethod {
    public static let metadata = MethodMetadata(
        id: "reshape-norm", citation: "reshaped-kernel norm (Miyato et al. 2018; PyTorch spectral_norm)",
        summary: "‖K reshaped to cout × (cin·kh·kw)‖₂: what PyTorch's spectral_norm divides by; not a bound on σ",
        parameters: [],
        style: PlotStyle(color: "#B15928", pointType: 12))

    public init(parameters: inout ParameterReader, context: MethodContext) throws {}

    /// The method (it has no parameters).
    public init() {}

    public var parameterValues: [String: String] { [:] }

    public func applicability(to geometry: ConvolutionGeometry) -> Applicability { .applies(.estimate) }

    public func operationCount(on geometry: ConvolutionGeometry, context: MethodContext, outcome: MethodOutcome) -> OperationCount {
        let s = geometry.shape
        return .realSingularValues(s.outputChannels, s.inputChannels * s.taps)
    }

    public func memoryNeed(on geometry: ConvolutionGeometry, context: MethodContext) -> MemoryNeed {
        let s = geometry.shape
        let side = min(s.outputChannels, s.inputChannels * s.taps)
        return .reals(context.precision, 2, s.count) + .reals(context.precision, 80, side)
    }

    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    public func prepare<Scalar: LinearAlgebraScalar>(
        _ linearOperator: ConvolutionOperator<Scalar>, context: MethodContext
    ) throws -> any PreparedComputation {
        let s = linearOperator.kernel.shape
        let matrix = Matrix(rows: s.outputChannels, columns: s.inputChannels * s.taps, elements: linearOperator.weights)
        return ClosureComputation { MethodOutcome(values: [Double(try LAPACK.singularValues(of: matrix)[0])]) }
    }
}
