import CFFTW3

/// A reusable FFTW plan for the 2-D inverse real transform (complex half spectrum → real grid).
///
/// Used to bring per-frequency products back to the spatial domain (Delattre et al. 2024's
/// zero-padding Gram iteration, methods.md §2). The plan is made once with `FFTW_ESTIMATE` on
/// aligned buffers owned by this object and executed many times. Not safe to share between
/// threads (it owns its buffers). Execution: O(rows·columns·log(rows·columns)).
public final class RealInverseFFT2D {
    /// Rows of the real grid.
    public let rows: Int
    /// Columns of the real grid.
    public let columns: Int
    /// Columns of the half spectrum: `columns / 2 + 1`.
    public var halfColumns: Int { columns / 2 + 1 }

    private let spectrum: UnsafeMutablePointer<fftw_complex>
    private let grid: UnsafeMutablePointer<Double>
    private let plan: fftw_plan

    /// Plans a `rows × columns` inverse real transform. O(planning), done once.
    public init(rows: Int, columns: Int) {
        precondition(rows > 0 && columns > 0, "FFT sides must be positive")
        _ = FFTWSetup.ready
        self.rows = rows
        self.columns = columns
        let half = columns / 2 + 1
        spectrum = fftw_alloc_complex(rows * half)!
        grid = fftw_alloc_real(rows * columns)!
        plan = fftw_plan_dft_c2r_2d(Int32(rows), Int32(columns), spectrum, grid, UInt32(FFTW_ESTIMATE))!
    }

    deinit {
        fftw_destroy_plan(plan)
        fftw_free(spectrum)
        fftw_free(grid)
    }

    /// The unnormalised inverse transform `x[r, c] = Σ_{u,v} X[u, v]·e^{+2πi(ur/rows + vc/columns)}`
    /// of a Hermitian spectrum given by its half `X[u, v]`, `v ≤ columns/2`, interleaved (re, im)
    /// row-major in `halfSpectrum` from complex offset `offset`. Returns the real grid row-major.
    public func inverse(halfSpectrum: [Double], offset: Int = 0) -> [Double] {
        let count = rows * halfColumns
        precondition(2 * (offset + count) <= halfSpectrum.count, "inverse FFT: spectrum out of range")
        halfSpectrum.withUnsafeBufferPointer { source in
            UnsafeMutableRawPointer(spectrum).copyMemory(
                from: source.baseAddress! + 2 * offset, byteCount: 2 * count * MemoryLayout<Double>.size)
        }
        fftw_execute_dft_c2r(plan, spectrum, grid)
        return Array(UnsafeBufferPointer(start: grid, count: rows * columns))
    }
}
