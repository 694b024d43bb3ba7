/// A reusable FFTW plan for the 2-D inverse real transform (complex half spectrum → real grid),
/// in either precision (`fftw_` plans for `Double`, `fftwf_` for `Float`).
///
/// Used to bring per-frequency products back to the spatial domain (Delattre et al. 2024's
/// zero-padding Gram iteration, docs/methods.md §2). The plan is made once (`FFTW_ESTIMATE` by
/// default, `FFTW_MEASURE` on request: `FFTPlanning`) on aligned buffers owned by this object
/// and executed many times. Not safe to share between
/// threads (it owns its buffers). Execution: O(rows·columns·log(rows·columns)).
/// How FFTW chooses a plan's algorithm: by its estimate of the cost (`FFTW_ESTIMATE`, instant)
/// or by timing candidates (`FFTW_MEASURE`: 1.33× faster at 256² and 512² with Debian's FFTW
/// 3.3.10, 0–12 % at the 33²–98² grids of `gram-zero`; docs/performance.md).
public enum FFTPlanning: Sendable {
    case estimate, measure
}

public final class RealInverseFFT2D<Scalar: LinearAlgebraScalar> {
    /// Rows of the real grid.
    public let rows: Int
    /// Columns of the real grid.
    public let columns: Int
    /// Complex columns of the half spectrum: `⌊columns/2⌋ + 1`.
    public var halfColumns: Int { columns / 2 + 1 }

    private let spectrum: UnsafeMutablePointer<Scalar>
    private let grid: UnsafeMutablePointer<Scalar>
    private let plan: OpaquePointer

    /// A plan for a `rows × columns` real grid. O(plan), once: `.measure` times candidate
    /// algorithms (about 170 ms at 512², 5 ms at 33²), `.estimate` does not.
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    public init(rows: Int, columns: Int, planning: FFTPlanning = .estimate) {
        precondition(rows > 0 && columns > 0, "FFT sides must be positive")
        _ = FFTWSetup.ready(Scalar.self)
        self.rows = rows
        self.columns = columns
        spectrum = Scalar.fftAllocate(2 * rows * (columns / 2 + 1))
        grid = Scalar.fftAllocate(rows * columns)
        plan = Scalar.fftPlanComplexToReal(Int32(rows), Int32(columns), spectrum, grid, measure: planning == .measure)
    }

    deinit {
        Scalar.fftDestroy(plan)
        Scalar.fftFree(spectrum)
        Scalar.fftFree(grid)
    }

    /// The unnormalised inverse transform `x[r, c] = Σ_{u,v} X[u, v]·e^{+2πi(ur/rows + vc/columns)}`
    /// of a Hermitian spectrum given by its half `X[u, v]`, `v ≤ columns/2`, row-major in
    /// `halfSpectrum` from (complex) offset `offset`. Returns the real grid row-major.
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    public func inverse(halfSpectrum: ComplexBuffer<Scalar>, offset: Int = 0) -> [Scalar] {
        let count = rows * halfColumns
        precondition(offset >= 0 && offset + count <= halfSpectrum.count, "inverse FFT: spectrum out of range")
        halfSpectrum.withUnsafeScalars { source in
            spectrum.update(from: source.baseAddress! + 2 * offset, count: 2 * count)
        }
        Scalar.fftExecuteComplexToReal(plan, spectrum, grid)
        return Array(UnsafeBufferPointer(start: grid, count: rows * columns))
    }

    /// `Σ_{r,c} |x[r, c]|` for the inverse transform `x` (as `inverse`) of the half spectrum at
    /// `offset` of `halfSpectrum` with element `f` first multiplied by the real `factors[f]`;
    /// nothing is allocated. O(rows·columns·log(rows·columns)).
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    public func absoluteSumOfInverse(halfSpectrum: ComplexBuffer<Scalar>, offset: Int = 0, scaledBy factors: [Scalar]) -> Scalar {
        let count = rows * halfColumns
        precondition(offset >= 0 && offset + count <= halfSpectrum.count, "inverse FFT: spectrum out of range")
        precondition(factors.count == count, "inverse FFT: one factor per frequency")
        halfSpectrum.withUnsafeScalars { source in
            factors.withUnsafeBufferPointer { factor in
                let from = source.baseAddress! + 2 * offset
                for f in 0..<count {
                    spectrum[2 * f] = from[2 * f] * factor[f]
                    spectrum[2 * f + 1] = from[2 * f + 1] * factor[f]
                }
            }
        }
        Scalar.fftExecuteComplexToReal(plan, spectrum, grid)
        return Scalar.blasAbsoluteSum(Int32(rows * columns), grid)
    }
}
