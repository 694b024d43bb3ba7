import NumericCore

/// Top singular values of a large operator by Golub–Kahan–Lanczos bidiagonalisation with full
/// reorthogonalisation (the `lanczos` reference tier, docs/methods.md §2).
///
/// `A·V_j = U_j·B_j` and `Aᵀ·U_j = V_j·B_jᵀ + β_j·v_{j+1}·e_jᵀ` with `B_j` upper bidiagonal. For
/// a singular triplet `(θ, p, q)` of `B_j`, `‖Aᵀ(U_j p) − θ·V_j q‖ = β_j·|p_j|` while the other
/// relation is exact: the Ritz value is accepted once `β_j·|p_j| ≤ tolerance·θ` for each of the
/// top `count` triplets (the relative residual). Both bases are kept orthonormal by classical
/// Gram–Schmidt, with a second pass when the DGKS test asks for one (rarely: the recurrence keeps
/// each new vector nearly orthogonal already). When `count > 1`, a deflated pass checks that no copy of a
/// repeated singular value was missed (a single Krylov sequence sees one copy of each).
/// Time O(j·(apply + adjoint) + j²·(rows + columns)); memory O(j·(rows + columns)) for `j` steps.
public enum LanczosBidiagonalization {
    /// What a Lanczos run found.
    public struct Result: Sendable {
        /// The top singular values found, descending.
        public var values: [Double]
        /// Lanczos steps taken (summed over passes).
        public var iterations: Int
        /// The largest relative residual `β_j·|p_j|/θ` among the accepted triplets.
        public var relativeResidual: Double
        /// Whether every requested value met the tolerance.
        public var converged: Bool
    }

    /// Errors specific to this solver.
    public struct NotConverged: Error, Sendable, CustomStringConvertible {
        /// Steps taken before giving up.
        public let iterations: Int
        /// The relative residual reached.
        public let relativeResidual: Double
        public var description: String {
            "Lanczos did not reach the residual tolerance after \(iterations) steps (relative residual \(relativeResidual))"
        }
    }

    /// The largest `count` singular values of `operator`, each with relative residual below
    /// `tolerance`; the start vector is drawn from `seed`. Throws `NotConverged` after
    /// `maximumIterations` steps without convergence.
    public static func topSingularValues(
        of linearOperator: some LinearOperator, count: Int, tolerance: Double = 1e-12,
        maximumIterations: Int = 3000, seed: UInt64
    ) throws -> Result {
        precondition(count >= 1, "count must be positive")
        // Start on the smaller side: after min(rows, columns) steps the basis V then spans the
        // whole input space and the Ritz values are exact, even when repeated values forced
        // restarts. Aᵀ has the same singular values.
        if linearOperator.outputDimension < linearOperator.inputDimension {
            return try topSingularValues(
                of: TransposedOperator(base: linearOperator), count: count, tolerance: tolerance,
                maximumIterations: maximumIterations, seed: seed)
        }
        var generator = SeededGenerator(seed: seed, stream: "lanczos")
        let pass = try run(linearOperator, count: count, tolerance: tolerance, maximumIterations: maximumIterations,
                           deflation: [], generator: &generator)
        var values = pass.values
        var iterations = pass.iterations
        var residual = pass.relativeResidual
        var locked = pass.rightVectors
        // A Krylov sequence finds one copy of a repeated singular value. Look in the orthogonal
        // complement of what was found for anything larger than the current k-th value.
        let rank = min(linearOperator.inputDimension, linearOperator.outputDimension)
        while count > 1 && locked.count / linearOperator.inputDimension < rank {
            let check = try run(linearOperator, count: 1, tolerance: tolerance, maximumIterations: maximumIterations,
                                deflation: locked, generator: &generator)
            iterations += check.iterations
            guard let extra = check.values.first, extra > values[count - 1] * (1 + 1e-12) else { break }
            values.append(extra)
            values.sort(by: >)
            values.removeLast(values.count - count)
            residual = max(residual, check.relativeResidual)
            locked += check.rightVectors
        }
        return Result(values: values, iterations: iterations, relativeResidual: residual, converged: true)
    }

    private struct Pass {
        var values: [Double]
        var rightVectors: [Double]
        var iterations: Int
        var relativeResidual: Double
    }

    private static func run(
        _ op: some LinearOperator, count: Int, tolerance: Double, maximumIterations: Int,
        deflation: [Double], generator: inout SeededGenerator
    ) throws -> Pass {
        let columns = op.inputDimension
        let rows = op.outputDimension
        let deflated = deflation.count / columns
        let available = min(rows, columns - deflated)
        let steps = min(maximumIterations, available)
        precondition(count <= available, "more values requested than the operator has")
        var rightBasis: [Double] = []  // V, one vector after another
        var leftBasis: [Double] = []   // U
        var alphas: [Double] = []
        var betas: [Double] = []
        var v = randomUnitVector(columns, orthogonalTo: [deflation], generator: &generator)
        var lastResidual = Double.infinity
        var scale = 0.0
        var workspace = ConvolutionWorkspace<Double>()
        var u = [Double](repeating: 0, count: rows)
        var w = [Double](repeating: 0, count: columns)
        for j in 0..<steps {
            rightBasis += v
            // u_j = A v_j − β_{j−1} u_{j−1}, orthogonalised against U.
            op.apply(batch: v, count: 1, into: &u, workspace: &workspace)
            if j > 0 {
                BLAS.addScaled(-betas[j - 1], leftBasis, xOffset: (j - 1) * rows, to: &u, count: rows)
            }
            orthogonalize(&u, against: leftBasis, count: j)
            var alpha = BLAS.norm(u)
            scale = max(scale, alpha)
            if alpha <= 1e-14 * max(scale, 1e-300) {
                alpha = 0
                u = randomUnitVector(rows, orthogonalTo: [leftBasis], generator: &generator)
            } else {
                BLAS.scale(&u, by: 1 / alpha)
            }
            alphas.append(alpha)
            leftBasis += u
            // w = Aᵀ u_j − α_j v_j, orthogonalised against V and the deflated vectors.
            op.applyAdjoint(batch: u, count: 1, into: &w, workspace: &workspace)
            BLAS.addScaled(-alpha, v, to: &w)
            orthogonalize(&w, against: rightBasis, count: j + 1)
            if deflated > 0 { orthogonalize(&w, against: deflation, count: deflated) }
            var beta = BLAS.norm(w)
            scale = max(scale, beta)
            let invariant = beta <= 1e-14 * max(scale, 1e-300)
            if invariant { beta = 0 }
            betas.append(beta)

            let size = j + 1
            let isLast = j == steps - 1
            if size >= count && (invariant || isLast || size % checkInterval(size) == 0) {
                let (values, residuals, _) = try ritz(
                    alphas: alphas, betas: betas, count: count, rightBasis: rightBasis, columns: columns,
                    computeVectors: false)
                let worst = zip(values, residuals).map { $1 / max($0, 1e-300) }.max() ?? 0
                lastResidual = worst
                if worst <= tolerance || isLast && size == available {
                    let (finalValues, finalResiduals, vectors) = try ritz(
                        alphas: alphas, betas: betas, count: count, rightBasis: rightBasis, columns: columns,
                        computeVectors: true)
                    let finalWorst = zip(finalValues, finalResiduals).map { $1 / max($0, 1e-300) }.max() ?? 0
                    return Pass(values: finalValues, rightVectors: vectors, iterations: size,
                                relativeResidual: finalWorst)
                }
            }
            if isLast { break }
            if invariant {
                v = randomUnitVector(columns, orthogonalTo: [rightBasis, deflation], generator: &generator)
            } else {
                BLAS.scale(&w, by: 1 / beta)
                swap(&v, &w)  // w's storage is overwritten by the next adjoint
            }
        }
        throw NotConverged(iterations: steps, relativeResidual: lastResidual)
    }

    /// How often (in steps) the projected problem is solved: often early, rarer later, so its
    /// O(j³) cost stays below the reorthogonalisation's O(j²·N).
    private static func checkInterval(_ size: Int) -> Int {
        size < 50 ? 5 : (size < 400 ? 10 : 25)
    }

    /// Singular values of the bidiagonal `B`, their residuals `β_j·|p_j|` and (optionally) the
    /// Ritz vectors `V·q` of the top `count`.
    private static func ritz(
        alphas: [Double], betas: [Double], count: Int, rightBasis: [Double], columns: Int, computeVectors: Bool
    ) throws -> ([Double], [Double], [Double]) {
        let size = alphas.count
        var bidiagonal = DenseMatrix(rows: size, columns: size)
        for i in 0..<size {
            bidiagonal[i, i] = alphas[i]
            if i + 1 < size { bidiagonal[i, i + 1] = betas[i] }
        }
        let svd = try LAPACK.singularValueDecomposition(of: bidiagonal)
        let lastBeta = betas[size - 1]
        let take = min(count, size)
        let values = Array(svd.values[0..<take])
        let residuals = (0..<take).map { lastBeta * abs(svd.left[size - 1, $0]) }
        guard computeVectors else { return (values, residuals, []) }
        // Ritz right vectors V·q_i: rows of Vᵀ(q) — V is stored as `size` rows of length `columns`.
        var vectors = [Double](repeating: 0, count: take * columns)
        var coefficients = [Double](repeating: 0, count: take * size)
        for i in 0..<take {
            for l in 0..<size { coefficients[i * size + l] = svd.rightTransposed[i, l] }
        }
        BLAS.multiply(rows: take, columns: columns, inner: size, a: coefficients, b: rightBasis, into: &vectors)
        return (values, residuals, vectors)
    }

    /// Removes from `x` its components along the first `count` vectors of `basis` (orthonormal,
    /// stored one after another), by classical Gram–Schmidt, repeated once when the DGKS test asks.
    private static func orthogonalize(_ x: inout [Double], against basis: [Double], count: Int) {
        guard count > 0 else { return }
        let length = x.count
        var coefficients = [Double](repeating: 0, count: count)
        // Classical Gram–Schmidt with the DGKS test (Daniel, Gragg, Kaufman & Stewart 1976): a
        // second pass only when the first removed more than 1 − 1/√2 of the vector's norm, i.e.
        // when cancellation may have left components along the basis. "Twice is enough".
        var before = BLAS.norm(x)
        for _ in 0..<2 {
            BLAS.multiplyVector(rows: count, columns: length, a: basis, x: x, into: &coefficients)
            BLAS.multiplyVector(rows: count, columns: length, a: basis, transpose: true, x: coefficients,
                                into: &x, alpha: -1, beta: 1)
            let after = BLAS.norm(x)
            if after > before * 0.5.squareRoot() { break }
            before = after
        }
    }

    private static func randomUnitVector(
        _ length: Int, orthogonalTo bases: [[Double]], generator: inout SeededGenerator
    ) -> [Double] {
        while true {
            var x = generator.normals(length)
            for basis in bases where !basis.isEmpty {
                orthogonalize(&x, against: basis, count: basis.count / length)
            }
            let norm = BLAS.norm(x)
            if norm > 1e-8 {
                BLAS.scale(&x, by: 1 / norm)
                return x
            }
        }
    }
}

/// `Aᵀ` as an operator: forward and adjoint swapped.
struct TransposedOperator<Base: LinearOperator>: LinearOperator {
    let base: Base
    var inputDimension: Int { base.outputDimension }
    var outputDimension: Int { base.inputDimension }
    func apply(batch input: [Double], count: Int) -> [Double] { base.applyAdjoint(batch: input, count: count) }
    func applyAdjoint(batch output: [Double], count: Int) -> [Double] { base.apply(batch: output, count: count) }
    func apply(batch input: [Double], count: Int, into output: inout [Double], workspace: inout ConvolutionWorkspace<Double>) {
        base.applyAdjoint(batch: input, count: count, into: &output, workspace: &workspace)
    }
    func applyAdjoint(batch output: [Double], count: Int, into input: inout [Double], workspace: inout ConvolutionWorkspace<Double>) {
        base.apply(batch: output, count: count, into: &input, workspace: &workspace)
    }
}
