import Foundation
import NumericCore

/// The Gram iteration on one complex matrix with the running scale kept in logarithms
/// (Delattre et al. 2023, Algorithm 1; methods.md §2): `W₀ = G`, `W_{t+1} = W_tᴴW_t/‖W_t‖_F²`
/// with `r_{t+1} = 2(r_t + log‖W_t‖_F)`, so that `G_t = e^{r_t}·W_t` where `G_t` is the t-th Gram
/// power (`G₁ = GᴴG`, `G_{t+1} = G_tᴴG_t`). Then `‖G‖₂ ≤ ‖G_t‖_F^{2^−t}` and nothing overflows.
/// The first step forms the Gram matrix on the smaller side. Each step costs one zherk,
/// O(side³); memory two `side × side` complex matrices.
struct GramIteration {
    /// The normalised iterate `W_t`, interleaved row-major, `side × side` (or the input at t = 0).
    private(set) var matrix: [Double]
    /// Rows of the current iterate.
    private(set) var rows: Int
    /// Columns of the current iterate.
    private(set) var columns: Int
    /// `r_t`: `G_t = e^{r_t}·W_t`.
    private(set) var logScale: Double = 0
    /// Steps taken.
    private(set) var steps = 0

    /// Starts from the complex `rows × columns` matrix at complex offset `offset` of `elements`.
    init(rows: Int, columns: Int, elements: [Double], offset: Int) {
        self.rows = rows
        self.columns = columns
        matrix = Array(elements[(2 * offset)..<(2 * (offset + rows * columns))])
    }

    /// One Gram step with rescaling.
    mutating func step() {
        let norm = BLAS.norm(matrix)
        guard norm > 0 else {
            steps += 1
            return
        }
        logScale = 2 * (logScale + Foundation.log(norm))
        // Gram on the smaller side: WᴴW is columns × columns, WWᴴ is rows × rows.
        let side = min(rows, columns)
        var gram = [Double](repeating: 0, count: 2 * side * side)
        BLAS.hermitianGram(order: side, inner: max(rows, columns), a: matrix, conjugateFirst: columns <= rows, into: &gram)
        BLAS.scale(&gram, by: 1 / (norm * norm))
        matrix = gram
        rows = side
        columns = side
        steps += 1
    }

    /// `log ‖G_t‖_F^{2^−t}`: the logarithm of the bound on the spectral norm of the start matrix.
    var logBound: Double {
        let norm = BLAS.norm(matrix)
        guard norm > 0 else { return -.infinity }
        return (logScale + Foundation.log(norm)) / pow(2, Double(steps))
    }
}
