import NumericCore
import SpecBenchCore

/// `sedghi`: every singular value of the circular operator by per-frequency SVD (Sedghi, Gupta &
/// Long 2019, "The singular values of convolutional layers"); strided operators through the
/// polyphase reshape of Senderovich et al. 2022 (a `cout × cin·s²` block per frequency of the
/// `(n/s)×(n/s)` grid). This is the same computation as the `fft-block-svd` reference tier.
///
/// Guarantee (docs/methods.md §3): `exact` for circular padding; for zero padding the circular values
/// are reported as an `estimate` (fact 3: not a bound), at `n` or, when the stride does not divide
/// `n`, at the next multiple of the stride. All singular values are available for top-k.
/// Cost O((n/s)²·(cout·cin·k² + cout·cin·s²·min(cout, cin·s²))).
public struct SedghiMethod: SpectralNormMethod {
    public static let metadata = MethodMetadata(
        id: "sedghi", citation: "FFT-SVD (Sedghi, Gupta & Long 2019); strided: Senderovich, Bulatova, Eremeev & Baran 2022",
        summary: "per-frequency SVD: every singular value of the circular operator (exact for circular padding)",
        parameters: [],
        style: PlotStyle(color: "#CC79A7", pointType: 13))

    public init(parameters: inout ParameterReader, context: MethodContext) throws {}

    /// The method (it has no parameters).
    public init() {}

    public var parameterValues: [String: String] { [:] }

    /// The polyphase symbol on the `m × (m/2 + 1)` half grid (`m = n/s`) and one values-only
    /// complex SVD of `cout × cin·s²` per frequency.
    public func operationCount(on geometry: ConvolutionGeometry, context: MethodContext, outcome: MethodOutcome) -> OperationCount {
        let problem = CircularProblem(geometry)
        let block = problem.blockShape
        let frequencies = problem.gridHeight * (problem.gridWidth / 2 + 1)
        return .kernelSymbol(frequencies: frequencies, taps: block.taps, entries: block.outputChannels * block.inputChannels)
            + Double(frequencies) * .complexSingularValues(block.outputChannels, block.inputChannels)
    }

    public func applicability(to geometry: ConvolutionGeometry) -> Applicability {
        geometry.padding == .circular ? .applies(.exact) : .applies(.estimate)
    }

    /// `CircularSpectrum.memoryNeed` at `n` rounded up to a multiple of the stride.
    public func memoryNeed(on geometry: ConvolutionGeometry, context: MethodContext) -> MemoryNeed {
        CircularSpectrum.memoryNeed(problem: CircularProblem(geometry), top: context.topK, precision: context.precision)
    }

    public func prepare<Scalar: LinearAlgebraScalar>(
        _ linearOperator: ConvolutionOperator<Scalar>, context: MethodContext
    ) throws -> any PreparedComputation {
        let problem = CircularProblem(linearOperator.geometry)
        let top = context.topK
        let kernel = linearOperator.kernel
        return ClosureComputation {
            let values = try CircularSpectrum.singularValues(kernel: kernel, problem: problem, top: top, in: Scalar.self)
            return MethodOutcome(values: values)
        }
    }
}
