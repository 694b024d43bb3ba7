import NumericCore
import SpecBenchCore

/// `power-iteration`: the power method on `AᵀA` through the operator's forward and adjoint
/// (Ryu et al. 2019; Gouk et al. 2021), from a seeded Gaussian start. The value is `‖A·x‖` for
/// the final unit vector `x`, the square root of a Rayleigh quotient of `AᵀA`, hence never above
/// `σ(A)`: a `lower` estimate for every operator (docs/methods.md §3, fact 8).
///
/// Cost per iteration: one forward and one adjoint, O(cout·cin·kh·kw·m²); memory O(cin·n² +
/// cout·m²) besides the operator.
public struct PowerIterationMethod: SpectralNormMethod {
    /// Iterations of `x ← AᵀA·x/‖AᵀA·x‖` (default 100).
    public static let iterationsParameter = MethodParameter(
        "iterations", default: 100, accepted: 1...1_000_000, meaning: "iterations of x ← AᵀA·x/‖AᵀA·x‖")
    /// Early-stop relative change (default 0: run every iteration).
    public static let toleranceParameter = MethodParameter(
        "tolerance", default: 0.0, accepted: 0...1, meaning: "early-stop relative change of the estimate (0: no early stop)")

    public static let metadata = MethodMetadata(
        id: "power-iteration", citation: "Power iteration (Ryu et al. 2019; Gouk et al. 2021)",
        summary: "power method on AᵀA through the operator; the value ‖Ax‖ is a Rayleigh estimate, a lower bound",
        parameters: [iterationsParameter.specification, toleranceParameter.specification],
        style: PlotStyle(color: "#0072B2", pointType: 5),
        validationVariants: [["iterations": "3000"]],
        float32Tolerance: 5e-6,
        operatorUse: .always)

    /// Iterations of `x ← AᵀA·x/‖AᵀA·x‖`.
    public let iterations: Int
    /// Early-stop relative change (0: run every iteration).
    public let tolerance: Double

    public init(parameters: inout ParameterReader, context: MethodContext) throws {
        iterations = try parameters.read(Self.iterationsParameter)
        tolerance = try parameters.read(Self.toleranceParameter)
    }

    /// A method with explicit parameters.
    public init(iterations: Int = iterationsParameter.defaultValue, tolerance: Double = toleranceParameter.defaultValue) {
        self.iterations = iterations
        self.tolerance = tolerance
    }

    public var parameterValues: [String: String] {
        recordedValues(Self.iterationsParameter.recorded(iterations), Self.toleranceParameter.recorded(tolerance))
    }

    /// `2·iterations + 1` applications (a forward and an adjoint per iteration, one final
    /// forward) of `2·cout·cin·kh·kw·m²` operations each.
    public func operationCount(on geometry: ConvolutionGeometry, context: MethodContext, outcome: MethodOutcome) -> OperationCount {
        let done = Double(outcome.iterations ?? iterations)
        return OperationCount(realMatrix: (2 * done + 1) * geometry.operationsPerApplication)
    }

    public func applicability(to geometry: ConvolutionGeometry) -> Applicability { .applies(.lower) }

    /// The start vector and the iterates `x`, `z` (`cin·n²` each), `y` (`cout·m²`), and one
    /// forward and adjoint application's gathered columns.
    public func memoryNeed(on geometry: ConvolutionGeometry, context: MethodContext) -> MemoryNeed {
        let precision = context.precision
        return .reals(precision, 3, geometry.columns) + .reals(precision, geometry.rows)
            + geometry.applicationMemory(precision: precision) + geometry.weightMemory(precision: precision)
    }

    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    public func prepare<Scalar: LinearAlgebraScalar>(
        _ linearOperator: ConvolutionOperator<Scalar>, context: MethodContext
    ) throws -> any PreparedComputation {
        var generator = context.generator(Self.id)
        var start = Scalar.rounding(generator.normals(linearOperator.inputDimension))
        BLAS.scale(&start, by: 1 / BLAS.norm(start))
        let iterations = self.iterations, tolerance = self.tolerance
        return ClosureComputation {
            var x = start
            var y = [Scalar](repeating: 0, count: linearOperator.outputDimension)
            var z = [Scalar](repeating: 0, count: linearOperator.inputDimension)
            var workspace = ConvolutionWorkspace<Scalar>()
            var progress = IterationProgress(tolerance: tolerance)
            var done = 0
            var estimate = 0.0
            for _ in 0..<iterations {
                linearOperator.apply(batch: x, count: 1, into: &y, workspace: &workspace)
                estimate = Double(BLAS.norm(y))
                linearOperator.applyAdjoint(batch: y, count: 1, into: &z, workspace: &workspace)
                let norm = BLAS.norm(z)
                done += 1
                guard norm > 0 else { break }  // x is in the null space: nothing more to find
                BLAS.scale(&z, by: 1 / norm)
                swap(&x, &z)
                if progress.record(estimate) { break }
            }
            linearOperator.apply(batch: x, count: 1, into: &y, workspace: &workspace)
            estimate = Double(BLAS.norm(y))
            _ = progress.record(estimate)
            return MethodOutcome(values: [estimate], iterations: done, converged: progress.converged,
                                 residual: progress.lastChange)
        }
    }
}
