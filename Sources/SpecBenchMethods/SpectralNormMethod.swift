import SpecBenchCore

/// A published method for the spectral norm of a convolution layer.
///
/// A conforming type is a method together with its typed parameters (documented defaults in
/// methods.md §2). It says, per operator, whether it applies and with which guarantee
/// (methods.md §3), and splits its work into a `prepare` step (plans, buffers, tables: timed apart
/// as setup) and a `run` step (what the benchmark times).
public protocol SpectralNormMethod: Sendable {
    /// The stable id used in configs, JSON and plots, e.g. `powerqr`.
    static var id: String { get }
    /// Name and source paper, for reports.
    static var citation: String { get }

    /// Reads the method's parameters (keys without the `id.` prefix), applying defaults.
    init(parameters: inout ParameterReader, context: MethodContext) throws

    /// The effective parameter values, recorded with every result.
    var parameterValues: [String: String] { get }

    /// Whether the method applies to `geometry`, and with which guarantee (that of its first
    /// value, the spectral-norm estimate).
    func applicability(to geometry: ConvolutionGeometry) -> Applicability

    /// The guarantee of the values after the first (top-k), when the method applies. Default: the
    /// same as the first value's. PowerQR's later values are estimates (methods.md §4, fact 8).
    func guaranteeOfLaterValues(on geometry: ConvolutionGeometry) -> Guarantee?

    /// The memory the method needs on `geometry` beyond the kernel and the operator's tap table
    /// (`ConvolutionOperator.memoryNeed`, shared by every method of a point), computed from the
    /// shapes alone before anything is allocated: its largest buffers in prepare and run at once.
    /// For a method whose storage grows with its iterations (the Lanczos reference) it is the
    /// need of the first few iterations, a lower bound. The harness refuses a method whose need
    /// exceeds the point's memory limit (the machine's memory for `bench estimate`). O(1).
    func memoryNeed(on geometry: ConvolutionGeometry, context: MethodContext) -> MemoryNeed

    /// Prepares a run on `linearOperator` (which the method must apply to). Work done here is
    /// reported as setup time, not as the method's time.
    func prepare(_ linearOperator: ConvolutionOperator, context: MethodContext) throws -> any PreparedComputation
}

extension SpectralNormMethod {
    public func guaranteeOfLaterValues(on geometry: ConvolutionGeometry) -> Guarantee? {
        applicability(to: geometry).guarantee
    }
}

/// The timed part of a method: everything that must be recomputed for every estimate.
public protocol PreparedComputation {
    /// Computes the estimate.
    func run() throws -> MethodOutcome
}

/// A prepared computation that is just a closure (for methods with nothing to prepare).
public struct ClosureComputation: PreparedComputation {
    private let body: () throws -> MethodOutcome

    /// Wraps `body` as the timed computation.
    public init(_ body: @escaping () throws -> MethodOutcome) { self.body = body }

    public func run() throws -> MethodOutcome { try body() }
}
