import NumericCore
import SpecBenchCore

/// A published method for the spectral norm of a convolution layer.
///
/// A conforming type is a method together with its typed parameters (documented defaults in
/// docs/methods.md §2). It says, per operator, whether it applies and with which guarantee
/// (docs/methods.md §3), and splits its work into a `prepare` step (plans, buffers, tables: timed apart
/// as setup) and a `run` step (what the benchmark times).
public protocol SpectralNormMethod: Sendable, Codable {
    /// The method's id, citation, parameters, style and precisions, declared once
    /// (`MethodMetadata`): everything the catalog, reports, docs and tests read.
    static var metadata: MethodMetadata { get }

    /// Reads the method's parameters (keys without the `id.` prefix), applying defaults. Called
    /// only by `MethodCatalog.resolve`; the typed method is then carried (`MethodRun`, encoded
    /// with its typed fields across processes), never read from text again.
    init(parameters: inout ParameterReader, context: MethodContext) throws

    /// The method at a point whose top-k is `topK`: a parameter whose default is the run's top-k
    /// (PowerQR's `k`) follows it; every other method returns itself. O(1).
    func fitted(toTopK topK: Int) -> Self

    /// The effective parameter values, recorded with every result.
    var parameterValues: [String: String] { get }

    /// Whether the method applies to `geometry`, and with which guarantee (that of its first
    /// value, the spectral-norm estimate).
    func applicability(to geometry: ConvolutionGeometry) -> Applicability

    /// The guarantee of the values after the first (top-k), when the method applies. Default: the
    /// same as the first value's. PowerQR's later values are estimates (docs/methods.md §4, fact 8).
    func guaranteeOfLaterValues(on geometry: ConvolutionGeometry) -> Guarantee?

    /// The memory the method needs on `geometry` beyond the kernel and the operator's tap table
    /// (`ConvolutionGeometry.operatorMemoryNeed`, shared by every method of a point), computed from the
    /// shapes alone before anything is allocated: its largest buffers in prepare and run at once,
    /// in `context.precision`.
    /// For a method whose storage grows with its iterations (the Lanczos reference) it is the
    /// need of the first few iterations, a lower bound. The harness refuses a method whose need
    /// exceeds the point's memory limit (the machine's memory for `bench estimate`). O(1).
    func memoryNeed(on geometry: ConvolutionGeometry, context: MethodContext) -> MemoryNeed

    /// The method's cost model (`OperationCount`): the floating-point operations of one run on
    /// `geometry` in `context`, by kind, counted from the shapes and from what `outcome` says
    /// the run did (iterations, the reference's tier). The harness records it with every result
    /// and the reports set it against the machine's calibrated peaks. O(1).
    func operationCount(on geometry: ConvolutionGeometry, context: MethodContext, outcome: MethodOutcome) -> OperationCount

    /// Whether the method takes a grouped layer whole and solves its groups itself (the exact
    /// reference, whose tier is the layer's); false for every other method, which the `layer…`
    /// forms below run group by group. Default false.
    static var solvesGroupsItself: Bool { get }

    /// The id this method's records carry: the type's id (`Self.id`), except for a method whose
    /// id is given per instance (an external method's entry). O(1).
    var runID: String { get }

    /// The precision the method computes in when `requested` is asked for. Default: `requested`
    /// if the method's type supports it, else float64 (the reference); an external method: the
    /// one its entry declares.
    func effectivePrecision(_ requested: Precision) -> Precision

    /// Prepares a run on `linearOperator` (which the method must apply to), computing in the
    /// operator's precision `Scalar` (float64 or float32: one generic implementation per method,
    /// docs/methods.md §2). Work done here is reported as setup time, not as the method's time. The
    /// outcome's values are float64 whatever the precision.
    func prepare<Scalar: LinearAlgebraScalar>(
        _ linearOperator: ConvolutionOperator<Scalar>, context: MethodContext
    ) throws -> any PreparedComputation
}

extension SpectralNormMethod {
    public func fitted(toTopK topK: Int) -> Self { self }

    public static var solvesGroupsItself: Bool { false }

    public var runID: String { Self.id }

    public func guaranteeOfLaterValues(on geometry: ConvolutionGeometry) -> Guarantee? {
        applicability(to: geometry).guarantee
    }

    /// The stable id used in configs, JSON and plots, e.g. `powerqr`.
    public static var id: String { metadata.id }
    /// Name and source paper, for reports.
    public static var citation: String { metadata.citation }
    /// The precisions the method computes in.
    public static var precisions: [Precision] { metadata.precisions }

    /// The precision the method computes in when `requested` is asked for: `requested` if the
    /// method supports it, else float64 (the reference).
    public func effectivePrecision(_ requested: Precision) -> Precision {
        Self.precisions.contains(requested) ? requested : .float64
    }

    /// The effective parameter values as recorded with every result, from (key, text) pairs.
    public func recordedValues(_ pairs: (key: String, value: String)...) -> [String: String] {
        Dictionary(uniqueKeysWithValues: pairs.map { ($0.key, $0.value) })
    }

    /// `context` with the precision the method will compute in (`effectivePrecision`).
    public func effectiveContext(_ context: MethodContext) -> MethodContext {
        var effective = context
        effective.precision = effectivePrecision(context.precision)
        return effective
    }

    /// The memory need on a layer (`layerMemoryNeed(on:context:)`) in the precision the method
    /// will compute in.
    public func effectiveMemoryNeed(on geometry: ConvolutionGeometry, context: MethodContext) -> MemoryNeed {
        layerMemoryNeed(on: geometry, context: effectiveContext(context))
    }

    // A grouped layer is block-diagonal: every method runs per group and the layer's values are
    // the union of the groups' (docs/methods.md §5). The `layer…` forms below take the layer's
    // geometry (any groups) and ask the method about one group; the method's own requirements
    // always see one group.

    /// Whether the method applies to a layer of any groups: its applicability to one group.
    public func layerApplicability(to geometry: ConvolutionGeometry) -> Applicability {
        applicability(to: Self.solvesGroupsItself ? geometry : geometry.perGroup)
    }

    /// The guarantee of the later values on a layer of any groups.
    public func layerGuaranteeOfLaterValues(on geometry: ConvolutionGeometry) -> Guarantee? {
        guaranteeOfLaterValues(on: Self.solvesGroupsItself ? geometry : geometry.perGroup)
    }

    /// The memory need on a layer of any groups: one group's (the groups run one after another).
    public func layerMemoryNeed(on geometry: ConvolutionGeometry, context: MethodContext) -> MemoryNeed {
        memoryNeed(on: Self.solvesGroupsItself ? geometry : geometry.perGroup, context: context)
    }

    /// The operation count on a layer of any groups: `groups` times one group's (each group's
    /// run is counted with `outcome`, whose iterations are the largest of any group's).
    public func layerOperationCount(on geometry: ConvolutionGeometry, context: MethodContext, outcome: MethodOutcome) -> OperationCount {
        if Self.solvesGroupsItself { return operationCount(on: geometry, context: context, outcome: outcome) }
        return Double(geometry.groups) * operationCount(on: geometry.perGroup, context: context, outcome: outcome)
    }

    /// Prepares the method on `linearOperator` (float64) in `context.precision` (when the method
    /// supports it, else float64): the operator is converted, sharing its tap table. A grouped
    /// operator is prepared group by group (`GroupedComputation`).
    public func prepare(onFloat64 linearOperator: ConvolutionOperator<Double>, context: MethodContext) throws -> any PreparedComputation {
        if !linearOperator.groupOperators.isEmpty && !Self.solvesGroupsItself {
            return GroupedComputation(groups: try linearOperator.groupOperators.map { try prepare(onFloat64: $0, context: context) })
        }
        return switch effectivePrecision(context.precision) {
        case .float64: try prepare(linearOperator, context: context)
        case .float32: try prepare(linearOperator.converted(to: Float.self), context: context)
        }
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

/// A method's computation on a grouped layer (docs/methods.md §5): one prepared computation per
/// group, run one after another; the layer's values are the union of the groups' values, largest
/// first (so its first value is the maximum over groups: an upper bound stays an upper bound, a
/// lower estimate a lower estimate), as many as the most any group gave. Iterations are the most
/// of any group; converged only when every group converged; residual the largest; the tier and
/// diagnostics the first group's. Time: the sum of the groups'.
public struct GroupedComputation: PreparedComputation {
    /// The groups' computations, in group order.
    public let groups: [any PreparedComputation]

    /// Wraps the groups' computations.
    public init(groups: [any PreparedComputation]) { self.groups = groups }

    public func run() throws -> MethodOutcome {
        var values: [Double] = [], count = 0
        var combined = MethodOutcome(values: [])
        for (index, group) in groups.enumerated() {
            let outcome = try group.run()
            values += outcome.values
            count = max(count, outcome.values.count)
            if index == 0 {
                combined = outcome
                continue
            }
            if let steps = outcome.iterations { combined.iterations = max(combined.iterations ?? 0, steps) }
            if let converged = outcome.converged { combined.converged = (combined.converged ?? true) && converged }
            if let residual = outcome.residual { combined.residual = max(combined.residual ?? 0, residual) }
        }
        combined.values = Array(values.sorted(by: >).prefix(count))
        let note = "groups=\(groups.count)"
        combined.diagnostics = combined.diagnostics.map { "\($0); \(note)" } ?? note
        return combined
    }
}
