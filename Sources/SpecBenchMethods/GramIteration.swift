import Foundation
import NumericCore

/// The Gram iteration on one complex matrix with the running scale kept in logarithms
/// (Delattre et al. 2023, Algorithm 1; docs/methods.md §2): `W₀ = G`, `W_{t+1} = W_tᴴW_t/‖W_t‖_F²`
/// with `r_{t+1} = 2(r_t + log‖W_t‖_F)`, so that `G_t = e^{r_t}·W_t` where `G_t` is the t-th Gram
/// power (`G₁ = GᴴG`, `G_{t+1} = G_tᴴG_t`). Then `‖G‖₂ ≤ ‖G_t‖_F^{2^−t}` and nothing overflows.
/// The first step forms the Gram matrix on the side chosen by `firstSide`: `WᴴW` (input side) or
/// `WWᴴ` (output side); both have the same non-zero eigenvalues, but later steps and the ℓ1 row
/// sums of `gram-zero` differ. Each step costs one zherk (cherk in float32), 4·side³ real
/// operations, plus O(side²); memory two `side × side` complex matrices, reused from step to step
/// and, through `restart`, from one frequency to the next.
///
/// `‖W_t‖_F²` is read off the product itself, `trace(W_tᴴW_t)`, so a step is the product and a
/// division: `W_{t+1} = (W_tᴴW_t)/trace`. Only `W₀`, the symbol at the kernel's own scale, is
/// first divided by its norm (?nrm2), so that its product cannot overflow float32; every later
/// iterate has Frobenius norm at most 1, hence entries of its product at most 1 in modulus.
///
/// Generic over the scalar: the iterate is held in `Scalar`, the scale `r_t` in float64 logarithms.
struct GramIteration<Scalar: LinearAlgebraScalar> {
    /// The normalised iterate `W_t`, row-major, `side × side` (or the input at t = 0).
    private(set) var matrix: ComplexBuffer<Scalar>
    /// The next iterate's storage.
    private var spare: ComplexBuffer<Scalar>
    /// Rows of the current iterate.
    private(set) var rows: Int
    /// Columns of the current iterate.
    private(set) var columns: Int
    /// `r_t`: `G_t = e^{r_t}·W_t`.
    private(set) var logScale: Double = 0
    /// Steps taken.
    private(set) var steps = 0
    /// Rows and columns of the start matrix.
    private let startRows: Int, startColumns: Int
    /// Which side the first Gram matrix is formed on.
    let firstSide: GramSide

    /// Starts from the complex `rows × columns` matrix at offset `offset` of `elements`; the
    /// first step forms the Gram matrix on `firstSide` (default the smaller one).
    init(rows: Int, columns: Int, elements: ComplexBuffer<Scalar>, offset: Int, firstSide: GramSide = .smaller) {
        self.init(rows: rows, columns: columns, firstSide: firstSide)
        restart(from: elements, offset: offset)
    }

    /// An iteration for `rows × columns` start matrices, with its buffers, before any start is
    /// given (`restart` gives one).
    init(rows: Int, columns: Int, firstSide: GramSide = .smaller) {
        startRows = rows
        startColumns = columns
        self.rows = rows
        self.columns = columns
        self.firstSide = firstSide
        let side = firstSide.order(rows: rows, columns: columns)
        matrix = ComplexBuffer(count: max(rows * columns, side * side))
        spare = ComplexBuffer(count: max(rows * columns, side * side))
    }

    /// Starts again, from the `rows × columns` matrix at offset `offset` of `elements`, in the
    /// same buffers. O(rows·columns).
    mutating func restart(from elements: ComplexBuffer<Scalar>, offset: Int) {
        rows = startRows
        columns = startColumns
        logScale = 0
        steps = 0
        matrix.assign(from: elements, sourceOffset: offset, count: rows * columns, at: 0)
    }

    /// One Gram step with rescaling.
    mutating func step() {
        let count = rows * columns
        if steps == 0 {
            let norm = matrix.norm(count: count)
            guard norm > 0, norm.isFinite else {
                becomeZero()
                return
            }
            logScale = 2 * Foundation.log(Double(norm))
            matrix.scale(by: 1 / norm, count: count)
        }
        // WᴴW is columns × columns (input side), WWᴴ is rows × rows (output side). Smaller side:
        // the input side when equal; larger side: the output side when equal (the authors'
        // `conv2d(kkt, kkt)` of `gram-zero`, docs/methods.md §2). Later steps are square.
        let inputSide = firstSide == .smaller ? columns <= rows : columns > rows
        let side = inputSide ? columns : rows
        BLAS.hermitianGram(order: side, inner: inputSide ? rows : columns, a: matrix, conjugateFirst: inputSide, into: &spare)
        let normSquared = spare.realTrace(order: side)
        guard normSquared > 0, normSquared.isFinite else {
            becomeZero()
            return
        }
        // The first step divided by ‖W₀‖ already (then the trace is 1 up to rounding).
        logScale = (steps == 0 ? logScale : 2 * logScale) + Foundation.log(Double(normSquared))
        spare.scale(by: 1 / normSquared, count: side * side)
        swap(&matrix, &spare)
        rows = side
        columns = side
        steps += 1
    }

    /// A zero iterate: every later Gram power is zero, `r = −∞`.
    private mutating func becomeZero() {
        let side = firstSide.order(rows: rows, columns: columns)
        matrix.setZero(count: side * side)
        rows = side
        columns = side
        logScale = -.infinity
        steps += 1
    }

    /// `log ‖G_t‖_F^{2^−t}`: the logarithm of the bound on the spectral norm of the start matrix.
    var logBound: Double {
        let norm = Double(matrix.norm(count: rows * columns))
        guard norm > 0, logScale > -.infinity else { return -.infinity }
        return (logScale + Foundation.log(norm)) / pow(2, Double(steps))
    }
}

/// The channel side on which a Gram iteration forms its first Gram matrix (docs/methods.md §2).
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
