import SpecBenchResults
import NumericCore
import SpecBenchCore
import SpecBenchMethods

/// Everything `bench estimate` is asked to do, typed where it entered (the command line): one
/// operator, the method runs resolved once (`MethodCatalog.resolve`), the run's options.
public struct EstimateRequest: Sendable {
    /// Where the kernel comes from.
    public var kernel: KernelSource
    /// The operator as given (input size, padding, stride, dilation, pads, groups, transposed).
    public var layer: OperatorSpecification
    /// 1 for a rank-3 (1-D) kernel, else 2.
    public var dimensions: Int
    /// The method runs, in the order to report them, each with its effective parameters and
    /// the precision it computes in (the reference: float64).
    public var runs: [MethodRun]
    /// Number of top singular values asked for.
    public var topK: Int
    /// The run's seed (random kernel and every random start).
    public var seed: UInt64
    /// Rescale the kernel so that the operator's exact spectral norm is this value (untimed).
    public var normalize: KernelNormalization?
    /// Bytes a method may need (with the kernel and the operator's tables) before it is refused
    /// as `out-of-memory` without running; nil for this machine's available memory.
    public var memoryLimit: ByteCount?
    /// Also write the kernel, as drawn or read, to this `.npy` file (once the request is checked).
    public var exportKernelPath: String?
    /// The precision asked for (the report's; each run says the one it computes in).
    public var precision: Precision
    /// Wall-clock seconds an external method's command may run before it is stopped (`timeout`).
    public var externalTimeLimit: Double = 300
    /// Test-only faults (`FaultInjection.fromEnvironment()`, read by the command line).
    public var faults: FaultInjection = .none

    /// A request; see the properties.
    public init(
        kernel: KernelSource, layer: OperatorSpecification, dimensions: Int = 2,
        runs: [MethodRun], topK: Int = 1, seed: UInt64 = 0,
        normalize: KernelNormalization? = nil, memoryLimit: ByteCount? = nil, precision: Precision = .float64
    ) {
        self.precision = precision
        self.memoryLimit = memoryLimit
        self.normalize = normalize
        self.kernel = kernel
        self.layer = layer
        self.dimensions = dimensions
        self.runs = runs
        self.topK = topK
        self.seed = seed
    }

    /// A request on a square operator (docs/methods.md §1).
    public init(
        kernel: KernelSource, inputSize: Int, padding: Padding, stride: Int = 1, pad: Int? = nil,
        runs: [MethodRun], topK: Int = 1, seed: UInt64 = 0,
        normalize: KernelNormalization? = nil, memoryLimit: ByteCount? = nil, precision: Precision = .float64
    ) {
        self.init(kernel: kernel,
                  layer: OperatorSpecification(inputSize: AxisPair(inputSize), padding: padding, stride: AxisPair(stride),
                                               pads: pad.map { Pads(height: $0, width: $0) }),
                  runs: runs, topK: topK, seed: seed, normalize: normalize, memoryLimit: memoryLimit, precision: precision)
    }

    /// The runs of external methods (`ExternalMethodEntries`), each in the precision its entry
    /// declares.
    public static func runs(external methods: [ExternalMethod]) -> [MethodRun] {
        methods.map { MethodRun(method: $0, precision: $0.declaredPrecision) }
    }

    /// The runs of `selection` with `assignments`, in a context of this seed, top-k and
    /// precision: the one place `bench estimate`'s parameters are read.
    public static func runs(
        _ selection: MethodSelection, assignments: [ParameterAssignment], seed: UInt64, topK: Int, precision: Precision
    ) throws -> [MethodRun] {
        guard topK >= 1 else {
            throw InvalidInput("invalid --top-k \(topK); it must be a positive integer no larger than the operator's rank")
        }
        return try MethodCatalog.resolve(selection, assignments: assignments,
                                         context: MethodContext(seed: seed, topK: topK, precision: precision))
    }
}
