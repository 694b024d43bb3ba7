import Foundation
import NumericCore

/// The Gram iteration on one complex matrix with the running scale kept in logarithms
/// (Delattre et al. 2023, Algorithm 1; methods.md §2): `W₀ = G`, `W_{t+1} = W_tᴴW_t/‖W_t‖_F²`
/// with `r_{t+1} = 2(r_t + log‖W_t‖_F)`, so that `G_t = e^{r_t}·W_t` where `G_t` is the t-th Gram
/// power (`G₁ = GᴴG`, `G_{t+1} = G_tᴴG_t`). Then `‖G‖₂ ≤ ‖G_t‖_F^{2^−t}` and nothing overflows.
/// The first step forms the Gram matrix on the side chosen by `firstSide`: `WᴴW` (input side) or
/// `WWᴴ` (output side); both have the same non-zero eigenvalues, but later steps and the ℓ1 row
/// sums of `gram-zero` differ. Each step costs one zherk (cherk in float32), O(side³); memory two
/// `side × side` complex matrices.
///
/// Generic over the scalar: the iterate is held in `Scalar`, the scale `r_t` in float64
/// logarithms. Each step divides `W_t` by its Frobenius norm before forming the product, so the
/// entries of every iterate stay within [0, 1] in modulus whatever the kernel's scale: float32
/// neither overflows nor underflows at any step count (a product formed first and divided
/// after would overflow float32 once `‖W_t‖_F² > 3.4e38`).
struct GramIteration<Scalar: LinearAlgebraScalar> {
    /// The normalised iterate `W_t`, row-major, `side × side` (or the input at t = 0).
    private(set) var matrix: ComplexBuffer<Scalar>
    /// Rows of the current iterate.
    private(set) var rows: Int
    /// Columns of the current iterate.
    private(set) var columns: Int
    /// `r_t`: `G_t = e^{r_t}·W_t`.
    private(set) var logScale: Double = 0
    /// Steps taken.
    private(set) var steps = 0
    /// Which side the first Gram matrix is formed on.
    let firstSide: GramSide

    /// Starts from the complex `rows × columns` matrix at offset `offset` of `elements`; the
    /// first step forms the Gram matrix on `firstSide` (default the smaller one).
    init(rows: Int, columns: Int, elements: ComplexBuffer<Scalar>, offset: Int, firstSide: GramSide = .smaller) {
        self.rows = rows
        self.columns = columns
        self.firstSide = firstSide
        matrix = elements.slice(from: offset, count: rows * columns)
    }

    /// One Gram step with rescaling.
    mutating func step() {
        let norm = matrix.norm()
        guard norm > 0, norm.isFinite else {
            steps += 1
            return
        }
        logScale = 2 * (logScale + Foundation.log(Double(norm)))
        matrix.scale(by: 1 / norm)
        // WᴴW is columns × columns (input side), WWᴴ is rows × rows (output side). Smaller side:
        // the input side when equal; larger side: the output side when equal (the authors'
        // `conv2d(kkt, kkt)` of `gram-zero`, methods.md §2). Later steps are square.
        let inputSide = firstSide == .smaller ? columns <= rows : columns > rows
        let side = inputSide ? columns : rows
        var gram = ComplexBuffer<Scalar>(count: side * side)
        BLAS.hermitianGram(order: side, inner: inputSide ? rows : columns, a: matrix, conjugateFirst: inputSide, into: &gram)
        matrix = gram
        rows = side
        columns = side
        steps += 1
    }

    /// `log ‖G_t‖_F^{2^−t}`: the logarithm of the bound on the spectral norm of the start matrix.
    var logBound: Double {
        let norm = Double(matrix.norm())
        guard norm > 0 else { return -.infinity }
        return (logScale + Foundation.log(norm)) / pow(2, Double(steps))
    }
}

/// The channel side on which a Gram iteration forms its first Gram matrix (methods.md §2).
public enum GramSide: String, Sendable, CaseIterable, Codable, ChoiceParameterValue {
    /// `max(cout, cin)`; the output side when equal (the authors' `gram-zero`).
    case larger
    /// `min(cout, cin)`; the input side when equal (cheaper; `gram-circular`).
    case smaller

    /// The order of the Gram matrices for a `rows × columns` start on this side.
    func order(rows: Int, columns: Int) -> Int {
        self == .smaller ? min(rows, columns) : max(rows, columns)
    }
}
