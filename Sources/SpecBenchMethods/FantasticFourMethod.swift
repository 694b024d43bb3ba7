import NumericCore
import SpecBenchCore

/// `fantastic-four`: the bound of Singla & Feizi 2021 ("Fantastic four: differentiable bounds on
/// singular values of convolution layers"): `√(kh·kw) · min` of the spectral norms of four
/// reshapes of `K`: `(cout·kh) × (cin·kw)`, `(cout·kw) × (cin·kh)`, `cout × (cin·kh·kw)` and
/// `(cout·kh·kw) × cin` (docs/methods.md §2). It bounds `σ_∞`, hence every operator: `upper`
/// (docs/methods.md §3) once the reshape norms are exact.
///
/// The published algorithm estimates each reshape norm by power iteration (default 50 iterations
/// per reshape, seeded), which approaches the norms from below: the bound holds once those have
/// converged. `exact=true` computes the reshape norms by LAPACK SVD instead.
/// Cost: power iteration O(iterations·cout·cin·kh·kw) in total; exact O(cout·cin·k²·min side).
public struct FantasticFourMethod: SpectralNormMethod {
    /// Power iterations per reshape (default 50).
    public static let iterationsParameter = MethodParameter(
        "iterations", default: 50, accepted: 1...1_000_000, meaning: "power iterations per reshape")
    /// Whether to use exact reshape norms by LAPACK (default false: the published power iteration).
    public static let exactParameter = MethodParameter(
        "exact", default: false, meaning: "false: the published power iteration; true: exact reshape norms by LAPACK")

    public static let metadata = MethodMetadata(
        id: "fantastic-four", citation: "Fantastic Four (Singla & Feizi 2021)",
        summary: "√(kh·kw) · min of the spectral norms of four reshapes of K: an upper bound on σ_∞ once converged",
        parameters: [iterationsParameter.specification, exactParameter.specification],
        style: PlotStyle(color: "#E69F00", pointType: 15),
        validationVariants: [["exact": "true"]])

    /// Power iterations per reshape.
    public let iterations: Int
    /// Whether to use exact reshape norms by LAPACK.
    public let exact: Bool

    public init(parameters: inout ParameterReader, context: MethodContext) throws {
        iterations = try parameters.read(Self.iterationsParameter)
        exact = try parameters.read(Self.exactParameter)
    }

    /// A method with explicit parameters.
    public init(iterations: Int = iterationsParameter.defaultValue, exact: Bool = exactParameter.defaultValue) {
        self.iterations = iterations
        self.exact = exact
    }

    public var parameterValues: [String: String] {
        recordedValues(Self.iterationsParameter.recorded(iterations), Self.exactParameter.recorded(exact))
    }

    /// Power iteration: a product with each reshape and its transpose per iteration (4 operations
    /// per kernel entry), `iterations` per reshape; exact: four values-only SVDs.
    public func operationCount(on geometry: ConvolutionGeometry, context: MethodContext, outcome: MethodOutcome) -> OperationCount {
        let s = geometry.shape
        let entries = Double(s.count)
        if exact {
            return .realSingularValues(s.outputChannels * s.height, s.inputChannels * s.width)
                + .realSingularValues(s.outputChannels * s.width, s.inputChannels * s.height)
                + .realSingularValues(s.outputChannels, s.inputChannels * s.taps)
                + .realSingularValues(s.outputChannels * s.taps, s.inputChannels)
        }
        let done = Double(outcome.iterations ?? 4 * iterations)
        return OperationCount(realMatrix: 4 * entries * done)
    }

    public func applicability(to geometry: ConvolutionGeometry) -> Applicability { .infiniteGridBound(on: geometry) }

    /// The four reshapes of docs/methods.md §2, in order, of a kernel of `shape` with row-major
    /// entries `values` (in any precision).
    static func reshapes<Scalar: LinearAlgebraScalar>(of values: [Scalar], shape s: KernelShape) -> [Matrix<Scalar>] {
        let cout = s.outputChannels, cin = s.inputChannels, kh = s.height, kw = s.width
        var first = Matrix<Scalar>(rows: cout * kh, columns: cin * kw)
        var second = Matrix<Scalar>(rows: cout * kw, columns: cin * kh)
        var fourth = Matrix<Scalar>(rows: cout * kh * kw, columns: cin)
        for o in 0..<cout {
            for i in 0..<cin {
                for dy in 0..<kh {
                    for dx in 0..<kw {
                        let value = values[((o * cin + i) * kh + dy) * kw + dx]
                        first[o * kh + dy, i * kw + dx] = value
                        second[o * kw + dx, i * kh + dy] = value
                        fourth[(o * kh + dy) * kw + dx, i] = value
                    }
                }
            }
        }
        let third = Matrix(rows: cout, columns: cin * kh * kw, elements: values)
        return [first, second, third, fourth]
    }

    /// Three reshaped copies of the kernel (the fourth shares its storage), the start vectors
    /// and iterates; with `exact`, also one reshape's dgesdd copy and workspace.
    public func memoryNeed(on geometry: ConvolutionGeometry, context: MethodContext) -> MemoryNeed {
        let shape = geometry.shape
        let precision = context.precision
        let vectors = MemoryNeed.reals(precision, 4, shape.inputChannels, shape.taps) + .reals(precision, 2, shape.outputChannels, shape.taps)
        let copies = MemoryNeed.reals(precision, 3, shape.count) + geometry.weightMemory(precision: precision)
        guard exact else { return copies + vectors }
        let largest = max(shape.outputChannels * shape.taps, shape.inputChannels * shape.taps)
        let workspace = MemoryNeed.reals(precision, shape.count) + .reals(precision, 66, largest) + .reals(precision, 10, largest)
        return copies + vectors + workspace
    }

    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    public func prepare<Scalar: LinearAlgebraScalar>(
        _ linearOperator: ConvolutionOperator<Scalar>, context: MethodContext
    ) throws -> any PreparedComputation {
        let shape = linearOperator.kernel.shape
        let matrices = Self.reshapes(of: linearOperator.weights, shape: shape)
        let factor = Double(shape.taps).squareRoot()
        if exact {
            return ClosureComputation {
                let norms = try matrices.map { Double(try LAPACK.singularValues(of: $0)[0]) }
                return MethodOutcome(values: [factor * (norms.min() ?? 0)])
            }
        }
        let iterations = self.iterations
        let starts: [[Scalar]] = matrices.enumerated().map { index, matrix in
            var generator = context.generator("\(Self.id)/reshape\(index + 1)")
            return Scalar.rounding(generator.normals(matrix.columns))
        }
        return ClosureComputation {
            var norms: [Double] = []
            var converged = true
            var worstChange = 0.0
            for (matrix, start) in zip(matrices, starts) {
                let (norm, progress) = Self.powerIteration(matrix, start: start, iterations: iterations)
                norms.append(norm)
                converged = converged && progress.converged
                worstChange = max(worstChange, progress.lastChange)
            }
            return MethodOutcome(values: [factor * (norms.min() ?? 0)], iterations: iterations * matrices.count,
                                 converged: converged, residual: worstChange)
        }
    }

    /// Power iteration on `MᵀM` for a dense matrix: returns `‖M·v‖` for the final unit `v`.
    static func powerIteration<Scalar: LinearAlgebraScalar>(
        _ matrix: Matrix<Scalar>, start: [Scalar], iterations: Int
    ) -> (Double, IterationProgress) {
        var v = start
        BLAS.scale(&v, by: 1 / max(BLAS.norm(v), .leastNormalMagnitude))
        var u = [Scalar](repeating: 0, count: matrix.rows)
        var progress = IterationProgress(tolerance: 0)
        var estimate = 0.0
        for _ in 0..<iterations {
            BLAS.multiplyVector(rows: matrix.rows, columns: matrix.columns, a: matrix.elements, x: v, into: &u)
            estimate = Double(BLAS.norm(u))
            BLAS.multiplyVector(rows: matrix.rows, columns: matrix.columns, a: matrix.elements, transpose: true, x: u, into: &v)
            let norm = BLAS.norm(v)
            guard norm > 0 else { break }
            BLAS.scale(&v, by: 1 / norm)
            _ = progress.record(estimate)
        }
        BLAS.multiplyVector(rows: matrix.rows, columns: matrix.columns, a: matrix.elements, x: v, into: &u)
        estimate = Double(BLAS.norm(u))
        _ = progress.record(estimate)
        return (estimate, progress)
    }
}
