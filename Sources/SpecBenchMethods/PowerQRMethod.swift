import NumericCore
import SpecBenchCore

/// `powerqr`: top-k singular values by the block iteration `X ← qr(X + AᵀA·X)` of Ebrahimpour
/// Boroojeny et al. 2024 (PowerQR), run through the operator's forward and adjoint, never the
/// dense matrix, so it applies to every padding and stride. `σ_i = √| |R_ii| − 1 |` from the last
/// QR (the absolute value of `R_ii` makes the estimate independent of LAPACK's sign choice).
/// `R_11 = ‖(I + AᵀA)x_1‖ ≤ 1 + σ₁²`, so the first value never exceeds `σ₁`: `lower`
/// (docs/methods.md §3). The later values `√| |R_ii| − 1 |`, i ≥ 2, are estimates, not lower bounds
/// (docs/methods.md §4, fact 8), and are labelled so in every result (`valueGuarantees`).
///
/// The iterate `X + AᵀA·X` is not scale-invariant before convergence: with σ ≈ 1 (trained or
/// clipped layers) 100 iterations leave an error of about −4e-2 where σ ≈ 9 leaves −3e-4
/// (docs/methods.md §4, fact 9); `bench-configs/unit-norm.yaml` shows it.
///
/// Cost per iteration: k forwards and k adjoints plus a QR of a `(cin·n²) × k` block,
/// O(k·cout·cin·kh·kw·m² + k²·cin·n²); memory O(k·(cin·n² + cout·m²)).
public struct PowerQRMethod: SpectralNormMethod {
    /// Block size: how many top singular values are sought (default: the run's top-k).
    public static let kParameter = MethodParameter(
        "k", default: 1, accepted: 1...4096, meaning: "block size: how many top singular values are sought",
        defaultDescription: "the run's topK")
    /// Iterations (default 100).
    public static let iterationsParameter = MethodParameter(
        "iterations", default: 100, accepted: 1...1_000_000, meaning: "iterations of X ← qr(X + AᵀA·X)")
    /// Early-stop relative change of σ₁ (default 0: run every iteration).
    public static let toleranceParameter = MethodParameter(
        "tolerance", default: 0.0, accepted: 0...1, meaning: "early-stop relative change of σ₁ (0: no early stop)")

    public static let metadata = MethodMetadata(
        id: "powerqr", citation: "PowerQR (Ebrahimpour Boroojeny, Telgarsky & Sundaram 2024)",
        summary: "block iteration X ← qr(X + AᵀA·X), top-k values √| |R_ii| − 1 |; the first is a lower bound",
        parameters: [kParameter.specification, iterationsParameter.specification, toleranceParameter.specification],
        style: PlotStyle(color: "#56B4E9", pointType: 4),
        validationVariants: [["iterations": "3000"]],
        float32Tolerance: 5e-6,
        operatorUse: .always)

    /// Block size: how many top singular values are sought.
    public let k: Int
    /// Iterations.
    public let iterations: Int
    /// Early-stop relative change of σ₁ (0: run every iteration).
    public let tolerance: Double
    /// Whether `k` was left at its default, the run's top-k (and so follows a point's top-k).
    public let kFollowsTopK: Bool

    public init(parameters: inout ParameterReader, context: MethodContext) throws {
        let given = try parameters.read(Self.kParameter, default: 0)
        kFollowsTopK = given == 0
        k = kFollowsTopK ? max(1, context.topK) : given
        iterations = try parameters.read(Self.iterationsParameter)
        tolerance = try parameters.read(Self.toleranceParameter)
    }

    /// With `k` at its default, `k` becomes the point's top-k.
    public func fitted(toTopK topK: Int) -> PowerQRMethod {
        guard kFollowsTopK else { return self }
        return PowerQRMethod(k: max(1, topK), iterations: iterations, tolerance: tolerance, kFollowsTopK: true)
    }

    /// A method with explicit parameters.
    public init(k: Int = kParameter.defaultValue, iterations: Int = iterationsParameter.defaultValue,
                tolerance: Double = toleranceParameter.defaultValue) {
        self.init(k: k, iterations: iterations, tolerance: tolerance, kFollowsTopK: false)
    }

    private init(k: Int, iterations: Int, tolerance: Double, kFollowsTopK: Bool) {
        self.k = k
        self.iterations = iterations
        self.tolerance = tolerance
        self.kFollowsTopK = kFollowsTopK
    }

    public var parameterValues: [String: String] {
        recordedValues(Self.kParameter.recorded(k), Self.iterationsParameter.recorded(iterations),
                       Self.toleranceParameter.recorded(tolerance))
    }

    /// Per iteration, a forward and an adjoint on `k` vectors and the QR of the `N × k` block
    /// (for k = 1 a normalisation, counted as 2N).
    public func operationCount(on geometry: ConvolutionGeometry, context: MethodContext, outcome: MethodOutcome) -> OperationCount {
        let done = Double(outcome.iterations ?? iterations)
        let products = OperationCount(realMatrix: 2 * Double(k) * geometry.operationsPerApplication)
        let qr = k == 1 ? OperationCount(realMatrix: 2 * Double(geometry.columns)) : .orthonormalization(geometry.columns, k)
        return done * (products + qr)
    }

    public func applicability(to geometry: ConvolutionGeometry) -> Applicability {
        if k > geometry.columns {
            return .notApplicable(reason: "powerqr.k = \(k) exceeds the input dimension \(geometry.columns)")
        }
        return .applies(.lower)
    }

    public func guaranteeOfLaterValues(on geometry: ConvolutionGeometry) -> Guarantee? {
        applicability(to: geometry).guarantee == nil ? nil : .estimate
    }

    /// The `k` vectors of the start block, the current block, the next block and its transposed
    /// copy handed to the QR with its `Q` (each `k·cin·n²`), and one batched application of `k`.
    public func memoryNeed(on geometry: ConvolutionGeometry, context: MethodContext) -> MemoryNeed {
        let precision = context.precision
        return 6 * .reals(precision, k, geometry.columns) + geometry.applicationMemory(count: k, precision: precision)
            + geometry.weightMemory(precision: precision)
    }

    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    public func prepare<Scalar: LinearAlgebraScalar>(
        _ linearOperator: ConvolutionOperator<Scalar>, context: MethodContext
    ) throws -> any PreparedComputation {
        let dimension = linearOperator.inputDimension
        let k = self.k, iterations = self.iterations, tolerance = self.tolerance
        var generator = context.generator(Self.id)
        // The block is kept as k vectors one after another: the column-major N × k matrix.
        // The seeded normals fill the N × k start row by row (as they always have, so seeds keep
        // their start blocks), hence the transposition into vector-after-vector order.
        let normals = Scalar.rounding(generator.normals(dimension * k))
        var start = [Scalar](repeating: 0, count: dimension * k)
        for i in 0..<dimension {
            for j in 0..<k { start[j * dimension + i] = normals[i * k + j] }
        }
        _ = try Self.orthonormalize(&start, length: dimension, count: k)
        return ClosureComputation {
            var block = start
            var outputs = [Scalar](repeating: 0, count: k * linearOperator.outputDimension)
            var next = [Scalar](repeating: 0, count: k * dimension)
            var workspace = ConvolutionWorkspace<Scalar>()
            var values = [Double](repeating: 0, count: k)
            var progress = IterationProgress(tolerance: tolerance)
            var done = 0
            for _ in 0..<iterations {
                linearOperator.apply(batch: block, count: k, into: &outputs, workspace: &workspace)
                linearOperator.applyAdjoint(batch: outputs, count: k, into: &next, workspace: &workspace)
                BLAS.addScaled(1, block, to: &next)
                let diagonal = try Self.orthonormalize(&next, length: dimension, count: k)
                swap(&block, &next)
                values = diagonal.map { abs(abs(Double($0)) - 1).squareRoot() }
                done += 1
                if progress.record(values[0]) { break }
            }
            return MethodOutcome(values: values.sorted(by: >), iterations: done, converged: progress.converged,
                                 residual: progress.lastChange)
        }
    }

    /// The QR step `X ← qr(X)` on `count` vectors stored one after the other, returning `R`'s
    /// diagonal. For one vector the Householder QR is the normalisation `q = x/‖x‖`, `|R₁₁| =
    /// ‖x‖` (geqrf's `R₁₁ = −sign(x₁)‖x‖` only flips the sign of `q`, which the next product
    /// carries through to the same `|R₁₁|`), so it is done by BLAS without LAPACK's copies.
    /// O(length·count²).
    static func orthonormalize<Scalar: LinearAlgebraScalar>(_ vectors: inout [Scalar], length: Int, count: Int) throws -> [Scalar] {
        guard count == 1 else { return try LAPACK.orthonormalize(&vectors, length: length, count: count) }
        let norm = BLAS.norm(vectors, count: length)
        if norm > 0 { BLAS.scale(&vectors, by: 1 / norm, count: length) }
        return [norm]
    }
}
