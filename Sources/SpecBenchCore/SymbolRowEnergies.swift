import NumericCore
#if canImport(Glibc)
import Glibc
#endif

/// The energy of every row of a kernel's symbol, `e_r(ω) = Σ_j |K̂(ω)_{rj}|²` (docs/methods.md §1),
/// on a product grid of frequencies, without forming the symbol.
///
/// LipBound (Araujo et al. 2021, docs/methods.md §2) needs only these energies. With `δ = t − t'` a
/// difference of two taps, `|K̂(ω)_{rj}|² = Σ_{t,t'} K[r,j,t]·K[r,j,t']·e^{−iω·δ}`, so
/// `e_r(ω) = R_r(0) + 2·Σ_{δ in a half plane} R_r(δ)·cos(ω·δ)`, where
/// `R_r(δ) = Σ_j Σ_{t'} K[r,j,t'+δ]·K[r,j,t']` is the row's autocorrelation over its
/// `(2kh − 1)(2kw − 1)` lags (an even function of `δ`). The energies of a chunk of frequencies are
/// then one gemm of a cosine table (frequencies × half-plane lags) with the autocorrelations
/// (lags × rows): `2·F·L·r` operations for `F` frequencies, `L = ((2kh−1)(2kw−1)+1)/2` lags and
/// `r` rows, against `4·F·taps·r·other` to evaluate the symbol itself. Equal to the squared
/// moduli of the symbol up to rounding: at a grid maximum, `|R_r(δ)| ≤ R_r(0) ≤ e_r`, so the
/// relative rounding is at most about `L` units of the last place.
///
/// The autocorrelations come from one Gram matrix per row, `G_r = M_rᵀ·M_r` with `M_r` the
/// row's `other × taps` slice (a gemm each, `2·r·other·taps²` operations in all). Rows are the
/// output channels (`rowsAreOutputs`) or the input channels. Memory: the Grams and
/// autocorrelations (`r·(taps² + L)` reals), one chunk of the cosine table and energies, and the
/// per-axis phases.
public struct SymbolRowEnergies: Sendable {
    /// The kernel whose symbol's row energies are evaluated.
    public let kernel: ConvolutionKernel
    /// Rows are output channels (true) or input channels (false).
    public let rowsAreOutputs: Bool

    /// Energies for `kernel`'s rows on the chosen side.
    public init(kernel: ConvolutionKernel, rowsAreOutputs: Bool) {
        self.kernel = kernel
        self.rowsAreOutputs = rowsAreOutputs
    }

    /// Number of rows: output channels or input channels.
    public var rowCount: Int { rowsAreOutputs ? kernel.shape.outputChannels : kernel.shape.inputChannels }

    /// The half-plane lags `(dy, dx)`: `(0, 0)` first, then `dy = 0, dx > 0`, then `dy > 0` with
    /// every `dx` in `−(kw − 1)…(kw − 1)`. Together with their negatives they are every difference
    /// of two taps.
    public static func lags(height: Int, width: Int) -> [(rows: Int, columns: Int)] {
        var lags: [(rows: Int, columns: Int)] = [(0, 0)]
        for dx in stride(from: 1, to: width, by: 1) { lags.append((0, dx)) }
        for dy in stride(from: 1, to: height, by: 1) {
            for dx in (1 - width)..<width { lags.append((dy, dx)) }
        }
        return lags
    }

    /// The number of half-plane lags, `((2kh − 1)(2kw − 1) + 1)/2`, computed without listing them
    /// (saturating, for memory needs of any validated shape). O(1).
    public static func lagCount(height: Int, width: Int) -> Int {
        let all = MemoryNeed.product([2 * height - 1, 2 * width - 1])
        return all == Int.max ? Int.max : (all + 1) / 2
    }

    /// Operations of `maxima` over `frequencies` frequencies: the Grams, the
    /// autocorrelations, the cosine table and the energy product.
    public static func operations(shape: KernelShape, rowsAreOutputs: Bool, frequencies: Int) -> Double {
        let rows = Double(rowsAreOutputs ? shape.outputChannels : shape.inputChannels)
        let other = Double(rowsAreOutputs ? shape.inputChannels : shape.outputChannels)
        let taps = Double(shape.taps)
        let lags = Double(lagCount(height: shape.height, width: shape.width))
        return 2 * rows * other * taps * taps + 2 * rows * taps * lags
            + Double(frequencies) * (3 * lags + 2 * lags * rows)
    }

    /// Frequencies per chunk: the cosine table and energies of a chunk stay within 256 KiB (in
    /// cache while they are reduced), at least 16.
    static func chunkSize(lags: Int, rows: Int, frequencies: Int, precision: Precision) -> Int {
        let perFrequency = max(1, (MemoryNeed.reals(precision, lags) + .reals(precision, rows)).bytes)
        return max(1, min(frequencies, max(16, (256 << 10) / perFrequency)))
    }

    /// The memory `maxima` needs in `precision` for `frequencies` frequencies on an axis grid
    /// of `axisPoints` angles per axis: Grams, autocorrelations, the kernel rounded (and
    /// transposed when rows are input channels), one chunk of table and energies, and the
    /// per-axis phases of every lag (float64). Saturating; nothing is allocated. O(1).
    public static func memoryNeed(shape: KernelShape, rowsAreOutputs: Bool, frequencies: Int, axisPoints: Int, precision: Precision) -> MemoryNeed {
        let rows = rowsAreOutputs ? shape.outputChannels : shape.inputChannels
        let lags = lagCount(height: shape.height, width: shape.width)
        let chunk = chunkSize(lags: lags, rows: rows, frequencies: frequencies, precision: precision)
        return .reals(precision, rows, shape.taps, shape.taps) + .reals(precision, rows, lags)
            + .reals(precision, shape.count)
            + (rowsAreOutputs ? .zero : .reals(precision, shape.count))
            + .reals(precision, chunk, lags) + .reals(precision, chunk, rows)
            + .doubles(4, axisPoints, lags) + .elements(lags, size: 16)
    }

    /// Over the product grid `rowAngles × columnAngles`: each row's largest energy
    /// `max_ω e_r(ω)` and the largest total `max_ω Σ_r e_r(ω)` (the squared Frobenius norm of
    /// `K̂(ω)`). The kernel is rounded to `Scalar` and every product runs in `Scalar`'s BLAS;
    /// phases are formed in float64. Chunks of frequencies keep the table and energies in cache.
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    public func maxima<Scalar: LinearAlgebraScalar>(
        rowAngles: [Double], columnAngles: [Double], in precision: Scalar.Type
    ) -> (rows: [Scalar], total: Scalar) {
        let s = kernel.shape
        let rows = rowCount
        let autocorrelations = autocorrelations(in: Scalar.self)
        let lags = Self.lags(height: s.height, width: s.width)
        let lagCount = lags.count
        // Per angle and lag: cos and sin of angle·dy (rows) and of angle·dx (columns, signed).
        func phases(_ angles: [Double], _ offset: (Int) -> Int) -> (cosines: [Double], sines: [Double]) {
            var cosines = [Double](repeating: 0, count: angles.count * lagCount), sines = cosines
            for (index, angle) in angles.enumerated() {
                for l in 0..<lagCount {
                    cosines[index * lagCount + l] = cos(angle * Double(offset(l)))
                    sines[index * lagCount + l] = sin(angle * Double(offset(l)))
                }
            }
            return (cosines, sines)
        }
        let rowPhases = phases(rowAngles) { lags[$0].rows }
        let columnPhases = phases(columnAngles) { lags[$0].columns }
        let columnCount = columnAngles.count
        let total = rowAngles.count * columnCount
        let chunk = Self.chunkSize(lags: lagCount, rows: rows, frequencies: total, precision: Scalar.precision)
        var table = [Scalar](repeating: 0, count: chunk * lagCount)
        var energies = [Scalar](repeating: 0, count: chunk * rows)
        var rowMaxima = [Scalar](repeating: 0, count: rows)
        var largestTotal = Scalar(0)
        var first = 0
        while first < total {
            let count = min(chunk, total - first)
            for f in 0..<count {
                // cos(ω₁·dy + ω₂·dx) = cos·cos − sin·sin of the per-axis phases.
                let a = (first + f) / columnCount, b = (first + f) % columnCount
                for l in 0..<lagCount {
                    let rowIndex = a * lagCount + l, columnIndex = b * lagCount + l
                    table[f * lagCount + l] = Scalar(rowPhases.cosines[rowIndex] * columnPhases.cosines[columnIndex]
                                                     - rowPhases.sines[rowIndex] * columnPhases.sines[columnIndex])
                }
            }
            // (count × lags) · (lags × rows): the autocorrelations are rows × lags, row-major.
            BLAS.multiply(rows: count, columns: rows, inner: lagCount,
                          a: table, b: autocorrelations, transposeB: true, into: &energies)
            for f in 0..<count {
                var sum = Scalar(0)
                for r in 0..<rows {
                    let energy = energies[f * rows + r]
                    sum += energy
                    rowMaxima[r] = max(rowMaxima[r], energy)
                }
                largestTotal = max(largestTotal, sum)
            }
            first += count
        }
        return (rowMaxima, largestTotal)
    }

    /// `rows × lags` row-major: `R_r(0)` and `2·R_r(δ)` for the other half-plane lags, in `Scalar`.
    func autocorrelations<Scalar: LinearAlgebraScalar>(in: Scalar.Type) -> [Scalar] {
        let s = kernel.shape
        let taps = s.taps
        let rows = rowCount
        let other = rowsAreOutputs ? s.inputChannels : s.outputChannels
        // Each row's slice as an other × taps block, one block per row.
        var slices = Scalar.rounding(kernel.values)
        if !rowsAreOutputs {
            let values = slices
            for o in 0..<s.outputChannels {
                for i in 0..<s.inputChannels {
                    for t in 0..<taps { slices[(i * other + o) * taps + t] = values[(o * s.inputChannels + i) * taps + t] }
                }
            }
        }
        var grams = [Scalar](repeating: 0, count: rows * taps * taps)
        for r in 0..<rows {
            BLAS.multiply(rows: taps, columns: taps, inner: other,
                          a: slices, aOffset: r * other * taps, transposeA: true,
                          b: slices, bOffset: r * other * taps,
                          into: &grams, cOffset: r * taps * taps)
        }
        let lags = Self.lags(height: s.height, width: s.width)
        var result = [Scalar](repeating: 0, count: rows * lags.count)
        for r in 0..<rows {
            for (index, lag) in lags.enumerated() {
                // R_r(δ) = Σ_{t'} G_r[t' + δ, t'] over taps t' = (y, x) with t' + δ inside the kernel.
                var sum = Scalar(0)
                for y in max(0, -lag.rows)..<min(s.height, s.height - lag.rows) {
                    for x in max(0, -lag.columns)..<min(s.width, s.width - lag.columns) {
                        let shifted = (y + lag.rows) * s.width + x + lag.columns, tap = y * s.width + x
                        sum += grams[(r * taps + shifted) * taps + tap]
                    }
                }
                result[r * lags.count + index] = index == 0 ? sum : 2 * sum
            }
        }
        return result
    }
}
