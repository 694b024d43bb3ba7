import NumericCore

/// The largest singular value of a large operator by the plain Lanczos recurrence (no
/// reorthogonalisation) on its Gram operator: the `plain-lanczos` reference tier, the zero-padding
/// tier for one value (`count = 1`, every sweep's default).
///
/// The three-term recurrence `β_j·q_{j+1} = G·q_j − α_j·q_j − β_{j−1}·q_{j−1}` on `G = AᵀA` (or
/// `AAᵀ`, the smaller side) builds the tridiagonal `T_j`; its largest eigenvalue `θ` is the top
/// Ritz value, with residual `‖G·y − θ·y‖ = β_j·|s_j|` (`s` its unit eigenvector of `T_j`). The
/// value is accepted once `β_j·|s_j| ≤ tolerance·θ`: as for the other Lanczos tiers this is the
/// relative residual of the singular triplet `(√θ, y, A·y/√θ)` (see `RestartedLanczos`), 1e-12 by
/// default (docs/methods.md §2).
///
/// Why without reorthogonalisation: in floating point the Lanczos vectors lose orthogonality, but
/// only along Ritz vectors that have converged (Paige 1976, 1980); the only effect is extra
/// ("ghost") copies of converged values, which appear after the top value has converged, and a
/// Ritz value whose bound `β_j·|s_j|` is small is that close to an eigenvalue of `G` (up to
/// O(ε·‖G‖)). Ritz values never exceed `λ_max(G)` (up to the same rounding), and a random start
/// has a component along the top eigenvector, so the accepted value is `σ₁²`. For several
/// values, where ghosts would pass for repeated values, `RestartedLanczos` (ARPACK, full
/// reorthogonalisation within a bounded basis) is used instead. The recurrence keeps no basis:
/// it needs the fewest products of the Lanczos tiers (280 against 301–381 for the restarted
/// basis on a 128-channel 64×64 layer, measured with SciPy's ARPACK) and costs O(N) beyond them.
/// If the Krylov space becomes invariant (`β_j ≈ 0`), it contains every eigen-component of the
/// start, so `θ` is exact.
///
/// Time: (products)·(apply + adjoint) + O(products·N) + O(products) per check of `T_j`;
/// memory: four vectors of the smaller side, one of the larger, one application's buffers.
public enum PlainLanczos {
    /// The largest singular value of `linearOperator` to relative residual `tolerance`, starting
    /// from `start` (a nonzero vector on the Gram operator's side, `gramDimension(of:)`).
    /// Throws `LanczosBidiagonalization.NotConverged` after `productBudget` products.
    public static func largestSingularValue(
        of linearOperator: some LinearOperator, tolerance: Double = 1e-12, productBudget: Int = 3000, start: [Double]
    ) throws -> LanczosBidiagonalization.Result {
        var gram = GramOperator(linearOperator)
        let dimension = gram.dimension
        precondition(start.count == dimension, "PlainLanczos: start vector of the wrong length")
        var current = start
        let startNorm = BLAS.norm(current)
        precondition(startNorm > 0, "PlainLanczos: zero start vector")
        BLAS.scale(&current, by: 1 / startNorm)
        var previous = [Double](repeating: 0, count: dimension)
        var next = [Double](repeating: 0, count: dimension)
        var alphas: [Double] = [], betas: [Double] = []
        var scale = 0.0
        var lastResidual = Double.infinity
        for step in 1...max(1, productBudget) {
            gram.multiply(current, into: &next)
            // The vector updates on one BLAS thread: they are memory-bound, and a threaded ddot or
            // daxpy leaves OpenBLAS's pool spinning (sched_yield) through the next product, which
            // took a third of both cores on a 128-channel layer.
            let (alpha, beta) = ThreadControl.sized(operations: 0) {
                if let beta = betas.last { BLAS.addScaled(-beta, previous, to: &next) }
                let alpha = BLAS.dot(current, next)
                BLAS.addScaled(-alpha, current, to: &next)
                return (alpha, BLAS.norm(next))
            }
            alphas.append(alpha)
            betas.append(beta)
            scale = max(scale, abs(alpha), beta)
            let invariant = beta <= 1e-14 * scale
            if invariant || step % checkInterval(step) == 0 || step == productBudget || step == dimension {
                let (theta, lastComponent) = try LAPACK.largestTridiagonalEigenpair(diagonal: alphas, offDiagonal: betas)
                let residual = invariant ? 0 : beta * abs(lastComponent) / max(theta, .leastNormalMagnitude)
                lastResidual = residual
                if residual <= tolerance || step == dimension {
                    return LanczosBidiagonalization.Result(
                        values: [max(theta, 0).squareRoot()], iterations: step, relativeResidual: residual, converged: true)
                }
            }
            // q_{j+1} = next/β; the old previous vector's storage becomes the next product's.
            ThreadControl.sized(operations: 0) { BLAS.scale(&next, by: 1 / beta) }
            swap(&previous, &current)
            swap(&current, &next)
        }
        throw LanczosBidiagonalization.NotConverged(iterations: productBudget, relativeResidual: lastResidual)
    }

    /// The length of the vectors the Gram operator of `linearOperator` acts on: the smaller of
    /// its input and output dimensions (the input's when equal).
    public static func gramDimension(of linearOperator: some LinearOperator) -> Int {
        min(linearOperator.inputDimension, linearOperator.outputDimension)
    }

    /// Steps between checks of `T_j`: each check is O(j), so every few steps costs nothing
    /// beside a product and ends the run within a few products of convergence.
    private static func checkInterval(_ step: Int) -> Int { step < 100 ? 2 : 5 }
}
