import NumericCore

/// Top singular values of a large operator by implicitly restarted Lanczos on its Gram operator
/// (the `restarted-lanczos` reference tier): the eigenvalues `σ²` of `AᵀA` (or `AAᵀ`, whichever
/// side is smaller), by ARPACK's `dsaupd` (`SymmetricEigensolver`).
///
/// Why: the full-reorthogonalisation bidiagonalisation (`LanczosBidiagonalization`) keeps every
/// basis vector; on a 128-channel 64×64 layer it needed 500 steps, 4.2 GB and 126 s, most of it
/// reorthogonalising against the growing bases. Restarting keeps `basisSize` vectors (40 by
/// default: 168 MB there) at the price of more products.
///
/// Exactness: for a unit Ritz vector `x` with Ritz value `θ = σ̃²`, the singular triplet
/// `(σ̃, x, A·x/σ̃)` satisfies `A·x = σ̃·u` exactly and `‖Aᵀu − σ̃·x‖/σ̃ = ‖AᵀA·x − θ·x‖/θ`: the
/// relative residual of the Gram eigenpair is the relative residual of the singular triplet, the
/// same criterion as the bidiagonalisation's (docs/methods.md §2, 1e-12). After ARPACK stops, that
/// residual is recomputed explicitly with one more product per value (not taken from ARPACK's
/// estimate) and reported. Rounding in `AᵀA·x` is about `ε·σ₁²`, so only the top values (the
/// ones asked for) are resolved to full relative accuracy. Repeated values: when `count > 1`, a
/// deflated solve on the complement of the found vectors checks that no copy was missed, as the
/// bidiagonalisation does. Operators too small for a restarted basis (`count ≥ N − 1` on the
/// smaller side `N`) go to the bidiagonalisation, which is exact after `N` steps there.
///
/// Time: (products)·(apply + adjoint) + O(products·N·basisSize); memory O(N·(basisSize + count))
/// plus one application's buffers.
public enum RestartedLanczos {
    /// Basis size when none is given: 40 vectors (the product count was 301 at 40 and 381 at 20
    /// on a 128-channel 64×64 zero-padded layer, 141 at both on 64 channels at 32×32).
    public static let defaultBasisSize = 40

    /// The largest `count` singular values of `linearOperator`, each with relative residual at
    /// most `tolerance`, from a start vector drawn from `seed`. `productBudget` bounds the Gram
    /// products of one solve. Throws `LanczosBidiagonalization.NotConverged` when the budget runs
    /// out before convergence.
    public static func topSingularValues(
        of linearOperator: some LinearOperator, count: Int, tolerance: Double = 1e-12,
        productBudget: Int = 3000, basisSize: Int = defaultBasisSize, seed: UInt64
    ) throws -> LanczosBidiagonalization.Result {
        precondition(count >= 1, "count must be positive")
        let gram = DeflatedGram(linearOperator)
        let dimension = gram.dimension
        if count >= dimension - 1 {
            return try LanczosBidiagonalization.topSingularValues(
                of: linearOperator, count: count, tolerance: tolerance, maximumIterations: productBudget, seed: seed)
        }
        var generator = SeededGenerator(seed: seed, stream: "restarted-lanczos")
        var solve = try gram.solve(count: count, tolerance: tolerance, productBudget: productBudget,
                                   basisSize: basisSize, start: generator.normals(dimension), deflation: [])
        var values = solve.values
        var locked = solve.vectors
        var products = solve.products
        var residual = solve.relativeResidual
        // One Krylov sequence sees one copy of a repeated value; look in the complement of what
        // was found for anything above the current count-th value.
        while count > 1 && locked.count / dimension < dimension - 2 {
            solve = try gram.solve(count: 1, tolerance: tolerance, productBudget: productBudget,
                                   basisSize: basisSize, start: generator.normals(dimension), deflation: locked)
            products += solve.products
            guard let extra = solve.values.first, extra > values[count - 1] * (1 + 1e-12) else { break }
            values.append(extra)
            values.sort(by: >)
            values.removeLast(values.count - count)
            residual = max(residual, solve.relativeResidual)
            locked += solve.vectors
        }
        return LanczosBidiagonalization.Result(values: values, iterations: products, relativeResidual: residual, converged: true)
    }

    /// The Gram operator and what one deflated solve on it needs.
    private struct DeflatedGram<Operator: LinearOperator> {
        var gram: GramOperator<Operator>
        var dimension: Int { gram.dimension }

        init(_ base: Operator) { gram = GramOperator(base) }

        struct Solve {
            var values: [Double]
            var vectors: [Double]
            var products: Int
            var relativeResidual: Double
        }

        /// One ARPACK solve on the Gram operator projected off `deflation` (orthonormal vectors,
        /// one after another), then the explicit residual of each returned pair.
        func solve(count: Int, tolerance: Double, productBudget: Int, basisSize: Int, start: [Double],
                   deflation: [Double]) throws -> Solve {
            var gram = gram
            let deflated = deflation.count / dimension
            var coefficients = [Double](repeating: 0, count: max(deflated, 1))
            func project(_ x: inout [Double]) {
                guard deflated > 0 else { return }
                BLAS.multiplyVector(rows: deflated, columns: dimension, a: deflation, x: x, into: &coefficients)
                BLAS.multiplyVector(rows: deflated, columns: dimension, a: deflation, transpose: true, x: coefficients,
                                    into: &x, alpha: -1, beta: 1)
            }
            func multiply(_ x: [Double], _ y: inout [Double]) {
                var input = x
                project(&input)
                gram.multiply(input, into: &y)
                project(&y)
            }
            var first = start
            project(&first)
            let result: SymmetricEigensolver.Result
            do {
                result = try SymmetricEigensolver.largestEigenvalues(
                    dimension: dimension, count: count, basisSize: max(basisSize, 2 * count + 1), tolerance: tolerance,
                    productBudget: productBudget, start: first, computeVectors: true, multiply: multiply)
            } catch let failure as SymmetricEigensolver.Failure {
                throw LanczosBidiagonalization.NotConverged(iterations: failure.products, relativeResidual: .nan)
            }
            // The residual ‖G·x − θ·x‖/θ of each pair, measured rather than estimated.
            var worst = 0.0
            var image = [Double](repeating: 0, count: dimension)
            for index in 0..<count {
                let vector = Array(result.vectors[(index * dimension)..<((index + 1) * dimension)])
                multiply(vector, &image)
                BLAS.addScaled(-result.values[index], vector, to: &image)
                worst = max(worst, BLAS.norm(image) / max(abs(result.values[index]), .leastNormalMagnitude))
            }
            return Solve(values: result.values.map { max($0, 0).squareRoot() }, vectors: result.vectors,
                         products: result.products + count, relativeResidual: worst)
        }
    }
}
