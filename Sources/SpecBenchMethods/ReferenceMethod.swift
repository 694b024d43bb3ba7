import NumericCore
import SpecBenchCore

/// `reference`: the exact top singular values of the operator (`ExactReference`): dense LAPACK
/// SVD of the unrolled matrix up to the dense limit, then `fft-block-svd` (circular) or
/// `plain-lanczos` / `restarted-lanczos` (zero padding: the Lanczos recurrence for the top value,
/// ARPACK for several, on the Gram operator, bounded memory). Exact for every operator (docs/methods.md §3). Cost: see `ExactReference`.
/// Always float64, whatever the run's precision: float32 results are judged against it.
public struct ReferenceMethod: SpectralNormMethod {
    /// Largest side of the unrolled matrix computed densely (default 4096).
    public static let denseLimitParameter = MethodParameter(
        "denseLimit", default: ExactReference.Settings().denseLimit, accepted: 1...65536,
        meaning: "largest side of the unrolled matrix computed by dense LAPACK SVD; above it fft-block-svd (circular) or plain-lanczos / restarted-lanczos (zero)")
    /// Relative residual of the Lanczos tiers (default 1e-12).
    public static let toleranceParameter = MethodParameter(
        "tolerance", default: ExactReference.Settings().lanczosTolerance, accepted: 1e-15...1e-6,
        meaning: "relative residual of the lanczos tiers")
    /// Budget of Gram products per solve of the Lanczos tiers (default 3000).
    public static let maxIterationsParameter = MethodParameter(
        "maxIterations", default: ExactReference.Settings().lanczosMaximumIterations, accepted: 1...100_000,
        meaning: "budget of Gram products (one forward and one adjoint each) of one lanczos solve")

    /// Vectors kept by the `restarted-lanczos` tier (default 40): its memory is this many
    /// vectors of the operator's smaller side.
    public static let basisSizeParameter = MethodParameter(
        "basisSize", default: ExactReference.Settings().lanczosBasisSize, accepted: 4...1000,
        meaning: "vectors kept by the restarted-lanczos tier (its memory in vectors of the smaller side)")

    public static let metadata = MethodMetadata(
        id: "reference",
        citation: "Exact reference: LAPACK dgesdd on the unrolled matrix (fft-block-svd / plain-lanczos / restarted-lanczos above the dense limit)",
        summary: "exact top singular values, always in float64: dense SVD of the unrolled matrix, or fft-block-svd / Lanczos on the Gram operator above the dense limit",
        parameters: [denseLimitParameter.specification, toleranceParameter.specification, maxIterationsParameter.specification,
                     basisSizeParameter.specification],
        style: PlotStyle(color: "#000000", pointType: 7),
        precisions: [.float64],
        operatorUse: .tiers([ReferenceTier.plainLanczos.rawValue, ReferenceTier.restartedLanczos.rawValue, ReferenceTier.lanczos.rawValue]))

    /// The reference settings (dense limit, Lanczos tolerance and budget).
    public let settings: ExactReference.Settings
    /// Forces a tier instead of choosing by size (for tier comparisons).
    public let forcedTier: ReferenceTier?

    public init(parameters: inout ParameterReader, context: MethodContext) throws {
        var settings = ExactReference.Settings()
        settings.denseLimit = try parameters.read(Self.denseLimitParameter)
        settings.lanczosTolerance = try parameters.read(Self.toleranceParameter)
        settings.lanczosMaximumIterations = try parameters.read(Self.maxIterationsParameter)
        settings.lanczosBasisSize = try parameters.read(Self.basisSizeParameter)
        self.settings = settings
        self.forcedTier = nil
    }

    /// A reference with explicit settings.
    public init(settings: ExactReference.Settings = .init(), forcedTier: ReferenceTier? = nil) {
        self.settings = settings
        self.forcedTier = forcedTier
    }

    public var parameterValues: [String: String] {
        recordedValues(Self.denseLimitParameter.recorded(settings.denseLimit),
                       Self.toleranceParameter.recorded(settings.lanczosTolerance),
                       Self.maxIterationsParameter.recorded(settings.lanczosMaximumIterations),
                       Self.basisSizeParameter.recorded(settings.lanczosBasisSize))
    }

    /// By tier: dense, the values-only SVD of the `rows × columns` unrolled matrix; fft-block-svd,
    /// `sedghi`'s count on the full grid; plain-lanczos, a forward and an adjoint per Gram product
    /// plus the recurrence's `10·N`; restarted-lanczos, a forward and an adjoint per Gram
    /// product plus ARPACK's reorthogonalisation and restarts (about `6·N·basis` per product on
    /// the smaller side `N`); lanczos, a forward and an adjoint per step plus full
    /// reorthogonalisation against the growing bases (`2·j·(rows + columns)` per side at step j).
    /// A grouped layer: each group in the layer's tier, so the dense and fft counts are `groups`
    /// times one group's, and the Lanczos products (summed over the groups) cost one group's
    /// application each.
    public func operationCount(on layer: ConvolutionGeometry, context: MethodContext, outcome: MethodOutcome) -> OperationCount {
        let geometry = layer.perGroup, groups = Double(layer.groups)
        switch outcome.tier.flatMap(ReferenceTier.init(rawValue:)) {
        case .dense:
            return groups * .realSingularValues(geometry.rows, geometry.columns)
        case .fftBlockSVD:
            return groups * SedghiMethod().operationCount(on: geometry, context: context, outcome: outcome)
        case .plainLanczos:
            let products = Double(outcome.iterations ?? 0)
            return OperationCount(realMatrix: products * (2 * geometry.operationsPerApplication
                                                          + 10 * Double(min(geometry.rows, geometry.columns))))
        case .restartedLanczos:
            let products = Double(outcome.iterations ?? 0)
            let smaller = Double(min(geometry.rows, geometry.columns))
            let basis = Double(min(geometry.rank, max(settings.lanczosBasisSize, 2 * context.topK + 1)))
            return OperationCount(realMatrix: products * (2 * geometry.operationsPerApplication + 6 * smaller * basis))
        case .lanczos:
            let steps = Double(outcome.iterations ?? 0)
            let sides = Double(geometry.rows + geometry.columns)
            return OperationCount(realMatrix: 2 * steps * geometry.operationsPerApplication + 4 * steps * steps * sides)
        case nil:
            return OperationCount()
        }
    }

    /// The reference solves a grouped layer group by group itself, in the layer's tier
    /// (`ExactReference`).
    public static var solvesGroupsItself: Bool { true }

    public func applicability(to geometry: ConvolutionGeometry) -> Applicability {
        if forcedTier == .fftBlockSVD && geometry.padding != .circular {
            return .notApplicable(reason: "the fft-block-svd tier is exact for circular padding only")
        }
        return .applies(.exact)
    }

    /// `ExactReference.memoryNeed` in the tier this operator gets.
    public func memoryNeed(on geometry: ConvolutionGeometry, context: MethodContext) -> MemoryNeed {
        ExactReference(settings: settings).memoryNeed(on: geometry, count: min(context.topK, geometry.rank), forcing: forcedTier)
    }

    /// Prepares the float64 reference; an operator in another precision is rebuilt in float64
    /// from the kernel as given (the harness hands the reference the float64 operator).
    public func prepare<Scalar: LinearAlgebraScalar>(
        _ given: ConvolutionOperator<Scalar>, context: MethodContext
    ) throws -> any PreparedComputation {
        let linearOperator = given as? ConvolutionOperator<Double> ?? given.converted(to: Double.self)
        let reference = ExactReference(settings: settings)
        let count = min(context.topK, linearOperator.geometry.rank)
        let tier = forcedTier
        return ClosureComputation {
            let answer = try reference.topSingularValues(
                of: linearOperator, count: count, seed: context.seed, forcing: tier)
            return MethodOutcome(
                values: answer.values, iterations: answer.iterations,
                converged: answer.iterations != nil ? true : nil,
                residual: answer.relativeResidual, tier: answer.tier.rawValue)
        }
    }
}
