import RealModule
import CFFTW3
import CLAPACKE
import COpenBLAS
import CDirectCorrelation

/// `Double` in the numerics layer: BLAS `d`/`z` routines, LAPACKE `d`/`z`, FFTW `fftw_` plans
/// (see `LinearAlgebraScalar`). Complex pointers are the same memory as interleaved `Double` pairs.
extension Double: LinearAlgebraScalar {
    public static func directCorrelation(
        _ input: UnsafePointer<Double>, channelStride: Int, rowStride: Int, packed: UnsafePointer<Double>,
        inputChannels: Int, kernelHeight: Int, kernelWidth: Int, outputChannels: Int,
        _ output: UnsafeMutablePointer<Double>, outputHeight: Int, outputWidth: Int, blocks: Range<Int>, rows: Range<Int>
    ) {
        specbench_direct_correlation_f64(
            input, channelStride, rowStride, packed, Int32(inputChannels), Int32(kernelHeight), Int32(kernelWidth),
            Int32(outputChannels), output, Int32(outputHeight), Int32(outputWidth),
            Int32(blocks.lowerBound), Int32(blocks.upperBound), Int32(rows.lowerBound), Int32(rows.upperBound))
    }

    public static var precisionName: String { "float64" }

    public static func blasNorm(_ count: Int32, _ x: UnsafePointer<Double>) -> Double { cblas_dnrm2(count, x, 1) }
    public static func blasAbsoluteSum(_ count: Int32, _ x: UnsafePointer<Double>) -> Double { cblas_dasum(count, x, 1) }

    public static func blasDot(_ count: Int32, _ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>) -> Double {
        cblas_ddot(count, x, 1, y, 1)
    }

    public static func blasAddScaled(_ count: Int32, _ alpha: Double, _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>) {
        cblas_daxpy(count, alpha, x, 1, y, 1)
    }

    public static func blasScale(_ count: Int32, _ alpha: Double, _ x: UnsafeMutablePointer<Double>) {
        cblas_dscal(count, alpha, x, 1)
    }

    public static func blasMultiplyVector(
        transpose: Bool, _ rows: Int32, _ columns: Int32, _ alpha: Double, _ a: UnsafePointer<Double>, _ lda: Int32,
        _ x: UnsafePointer<Double>, _ incX: Int32, _ beta: Double, _ y: UnsafeMutablePointer<Double>, _ incY: Int32
    ) {
        cblas_dgemv(CblasRowMajor, transpose ? CblasTrans : CblasNoTrans, rows, columns, alpha, a, lda, x, incX, beta, y, incY)
    }

    public static func blasMultiply(
        transposeA: Bool, transposeB: Bool, _ rows: Int32, _ columns: Int32, _ inner: Int32, _ alpha: Double,
        _ a: UnsafePointer<Double>, _ lda: Int32, _ b: UnsafePointer<Double>, _ ldb: Int32, _ beta: Double,
        _ c: UnsafeMutablePointer<Double>, _ ldc: Int32
    ) {
        cblas_dgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    rows, columns, inner, alpha, a, lda, b, ldb, beta, c, ldc)
    }

    public static func blasComplexMultiply(
        conjugateTransposeA: Bool, conjugateTransposeB: Bool, _ rows: Int32, _ columns: Int32, _ inner: Int32,
        _ a: UnsafePointer<Double>, _ lda: Int32, _ b: UnsafePointer<Double>, _ ldb: Int32,
        _ c: UnsafeMutablePointer<Double>, _ ldc: Int32
    ) {
        var one: (Double, Double) = (1, 0)
        var zero: (Double, Double) = (0, 0)
        withUnsafePointer(to: &one) { alpha in
            withUnsafePointer(to: &zero) { beta in
                cblas_zgemm(CblasRowMajor, conjugateTransposeA ? CblasConjTrans : CblasNoTrans,
                            conjugateTransposeB ? CblasConjTrans : CblasNoTrans, rows, columns, inner,
                            UnsafeRawPointer(alpha), a, lda, b, ldb, UnsafeRawPointer(beta), c, ldc)
            }
        }
    }

    public static func blasHermitianRankK(
        conjugateFirst: Bool, _ order: Int32, _ inner: Int32, _ a: UnsafePointer<Double>, _ lda: Int32,
        _ c: UnsafeMutablePointer<Double>, _ ldc: Int32
    ) {
        cblas_zherk(CblasRowMajor, CblasUpper, conjugateFirst ? CblasConjTrans : CblasNoTrans, order, inner, 1, a, lda, 0, c, ldc)
    }

    public static func lapackSingularValues(
        _ m: Int32, _ n: Int32, _ a: UnsafeMutablePointer<Double>, _ lda: Int32, _ s: UnsafeMutablePointer<Double>
    ) -> Int32 {
        var dummyLeft: Double = 0, dummyRight: Double = 0  // U and Vᵀ, not referenced for jobz = 'N'
        return LAPACKE_dgesdd(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "N")), m, n, a, lda, s, &dummyLeft, 1, &dummyRight, 1)
    }

    public static func lapackThinSVD(
        _ m: Int32, _ n: Int32, _ a: UnsafeMutablePointer<Double>, _ lda: Int32, _ s: UnsafeMutablePointer<Double>,
        _ u: UnsafeMutablePointer<Double>, _ ldu: Int32, _ vt: UnsafeMutablePointer<Double>, _ ldvt: Int32
    ) -> Int32 {
        LAPACKE_dgesdd(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "S")), m, n, a, lda, s, u, ldu, vt, ldvt)
    }

    public static func lapackComplexSingularValues(
        _ m: Int32, _ n: Int32, _ a: UnsafeMutablePointer<Double>, _ lda: Int32, _ s: UnsafeMutablePointer<Double>,
        _ dummy: UnsafeMutablePointer<Double>, _ work: UnsafeMutablePointer<Double>, _ workLength: Int32,
        _ realWork: UnsafeMutablePointer<Double>, _ integerWork: UnsafeMutablePointer<Int32>
    ) -> Int32 {
        typealias Complex = _lapack_complex_double
        return LAPACKE_zgesdd_work(
            LAPACK_COL_MAJOR, CChar(UInt8(ascii: "N")), m, n, UnsafeMutablePointer<Complex>(OpaquePointer(a)), lda, s,
            UnsafeMutablePointer<Complex>(OpaquePointer(dummy)), 1, UnsafeMutablePointer<Complex>(OpaquePointer(dummy)), 1,
            UnsafeMutablePointer<Complex>(OpaquePointer(work)), workLength, realWork, integerWork)
    }

    public static func lapackQR(columnMajor: Bool, _ m: Int32, _ n: Int32, _ a: UnsafeMutablePointer<Double>, _ lda: Int32, _ tau: UnsafeMutablePointer<Double>) -> Int32 {
        LAPACKE_dgeqrf(columnMajor ? LAPACK_COL_MAJOR : LAPACK_ROW_MAJOR, m, n, a, lda, tau)
    }

    public static func lapackFormQ(columnMajor: Bool, _ m: Int32, _ n: Int32, _ k: Int32, _ a: UnsafeMutablePointer<Double>, _ lda: Int32, _ tau: UnsafePointer<Double>) -> Int32 {
        LAPACKE_dorgqr(columnMajor ? LAPACK_COL_MAJOR : LAPACK_ROW_MAJOR, m, n, k, a, lda, tau)
    }

    public static func lapackSymmetricEigen(_ n: Int32, _ a: UnsafeMutablePointer<Double>, _ lda: Int32, _ w: UnsafeMutablePointer<Double>) -> Int32 {
        LAPACKE_dsyevd(LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "V")), CChar(UInt8(ascii: "U")), n, a, lda, w)
    }

    public static func fftPrepare() -> Bool {
        fftw_make_planner_thread_safe()
        return fftw_init_threads() != 0
    }

    public static func fftSetThreads(_ count: Int32) { fftw_plan_with_nthreads(count) }

    public static func fftAllocate(_ count: Int) -> UnsafeMutablePointer<Double> { fftw_alloc_real(max(1, count))! }

    public static func fftFree(_ pointer: UnsafeMutablePointer<Double>) { fftw_free(pointer) }

    public static func fftPlanComplexToReal(
        _ rows: Int32, _ columns: Int32, _ spectrum: UnsafeMutablePointer<Double>, _ grid: UnsafeMutablePointer<Double>, measure: Bool
    ) -> OpaquePointer {
        fftw_plan_dft_c2r_2d(rows, columns, UnsafeMutablePointer<fftw_complex>(OpaquePointer(spectrum)), grid, UInt32(measure ? FFTW_MEASURE : FFTW_ESTIMATE))!
    }

    public static func fftExecuteComplexToReal(_ plan: OpaquePointer, _ spectrum: UnsafeMutablePointer<Double>, _ grid: UnsafeMutablePointer<Double>) {
        fftw_execute_dft_c2r(plan, UnsafeMutablePointer<fftw_complex>(OpaquePointer(spectrum)), grid)
    }

    public static func fftDestroy(_ plan: OpaquePointer) { fftw_destroy_plan(plan) }
}
