import RealModule
import CFFTW3
import CLAPACKE
import COpenBLAS
import CDirectCorrelation

/// `Float` in the numerics layer: BLAS `s`/`c` routines, LAPACKE `s`/`c`, FFTW `fftwf_` plans
/// (see `LinearAlgebraScalar`). Complex pointers are the same memory as interleaved `Float` pairs.
extension Float: LinearAlgebraScalar {
    public static func directCorrelation(
        _ input: UnsafePointer<Float>, channelStride: Int, rowStride: Int, packed: UnsafePointer<Float>,
        inputChannels: Int, kernelHeight: Int, kernelWidth: Int, outputChannels: Int,
        _ output: UnsafeMutablePointer<Float>, outputHeight: Int, outputWidth: Int, blocks: Range<Int>, rows: Range<Int>
    ) {
        specbench_direct_correlation_f32(
            input, channelStride, rowStride, packed, Int32(inputChannels), Int32(kernelHeight), Int32(kernelWidth),
            Int32(outputChannels), output, Int32(outputHeight), Int32(outputWidth),
            Int32(blocks.lowerBound), Int32(blocks.upperBound), Int32(rows.lowerBound), Int32(rows.upperBound))
    }

    public static var precisionName: String { "float32" }

    public static func blasNorm(_ count: Int32, _ x: UnsafePointer<Float>) -> Float { cblas_snrm2(count, x, 1) }
    public static func blasAbsoluteSum(_ count: Int32, _ x: UnsafePointer<Float>) -> Float { cblas_sasum(count, x, 1) }

    public static func blasDot(_ count: Int32, _ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>) -> Float {
        cblas_sdot(count, x, 1, y, 1)
    }

    public static func blasAddScaled(_ count: Int32, _ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>) {
        cblas_saxpy(count, alpha, x, 1, y, 1)
    }

    public static func blasScale(_ count: Int32, _ alpha: Float, _ x: UnsafeMutablePointer<Float>) {
        cblas_sscal(count, alpha, x, 1)
    }

    public static func blasMultiplyVector(
        transpose: Bool, _ rows: Int32, _ columns: Int32, _ alpha: Float, _ a: UnsafePointer<Float>, _ lda: Int32,
        _ x: UnsafePointer<Float>, _ incX: Int32, _ beta: Float, _ y: UnsafeMutablePointer<Float>, _ incY: Int32
    ) {
        cblas_sgemv(CblasRowMajor, transpose ? CblasTrans : CblasNoTrans, rows, columns, alpha, a, lda, x, incX, beta, y, incY)
    }

    public static func blasMultiply(
        transposeA: Bool, transposeB: Bool, _ rows: Int32, _ columns: Int32, _ inner: Int32, _ alpha: Float,
        _ a: UnsafePointer<Float>, _ lda: Int32, _ b: UnsafePointer<Float>, _ ldb: Int32, _ beta: Float,
        _ c: UnsafeMutablePointer<Float>, _ ldc: Int32
    ) {
        cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    rows, columns, inner, alpha, a, lda, b, ldb, beta, c, ldc)
    }

    public static func blasComplexMultiply(
        conjugateTransposeA: Bool, conjugateTransposeB: Bool, _ rows: Int32, _ columns: Int32, _ inner: Int32,
        _ a: UnsafePointer<Float>, _ lda: Int32, _ b: UnsafePointer<Float>, _ ldb: Int32,
        _ c: UnsafeMutablePointer<Float>, _ ldc: Int32
    ) {
        var one: (Float, Float) = (1, 0)
        var zero: (Float, Float) = (0, 0)
        withUnsafePointer(to: &one) { alpha in
            withUnsafePointer(to: &zero) { beta in
                cblas_cgemm(CblasRowMajor, conjugateTransposeA ? CblasConjTrans : CblasNoTrans,
                            conjugateTransposeB ? CblasConjTrans : CblasNoTrans, rows, columns, inner,
                            UnsafeRawPointer(alpha), a, lda, b, ldb, UnsafeRawPointer(beta), c, ldc)
            }
        }
    }

    public static func blasHermitianRankK(
        conjugateFirst: Bool, _ order: Int32, _ inner: Int32, _ a: UnsafePointer<Float>, _ lda: Int32,
        _ c: UnsafeMutablePointer<Float>, _ ldc: Int32
    ) {
        cblas_cherk(CblasRowMajor, CblasUpper, conjugateFirst ? CblasConjTrans : CblasNoTrans, order, inner, 1, a, lda, 0, c, ldc)
    }

    public static func lapackSingularValues(
        _ m: Int32, _ n: Int32, _ a: UnsafeMutablePointer<Float>, _ lda: Int32, _ s: UnsafeMutablePointer<Float>
    ) -> Int32 {
        var dummyLeft: Float = 0, dummyRight: Float = 0  // U and Vᵀ, not referenced for jobz = 'N'
        return LAPACKE_sgesdd(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "N")), m, n, a, lda, s, &dummyLeft, 1, &dummyRight, 1)
    }

    public static func lapackThinSVD(
        _ m: Int32, _ n: Int32, _ a: UnsafeMutablePointer<Float>, _ lda: Int32, _ s: UnsafeMutablePointer<Float>,
        _ u: UnsafeMutablePointer<Float>, _ ldu: Int32, _ vt: UnsafeMutablePointer<Float>, _ ldvt: Int32
    ) -> Int32 {
        LAPACKE_sgesdd(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "S")), m, n, a, lda, s, u, ldu, vt, ldvt)
    }

    public static func lapackComplexSingularValues(
        _ m: Int32, _ n: Int32, _ a: UnsafeMutablePointer<Float>, _ lda: Int32, _ s: UnsafeMutablePointer<Float>,
        _ dummy: UnsafeMutablePointer<Float>, _ work: UnsafeMutablePointer<Float>, _ workLength: Int32,
        _ realWork: UnsafeMutablePointer<Float>, _ integerWork: UnsafeMutablePointer<Int32>
    ) -> Int32 {
        typealias Complex = _lapack_complex_float
        return LAPACKE_cgesdd_work(
            LAPACK_COL_MAJOR, CChar(UInt8(ascii: "N")), m, n, UnsafeMutablePointer<Complex>(OpaquePointer(a)), lda, s,
            UnsafeMutablePointer<Complex>(OpaquePointer(dummy)), 1, UnsafeMutablePointer<Complex>(OpaquePointer(dummy)), 1,
            UnsafeMutablePointer<Complex>(OpaquePointer(work)), workLength, realWork, integerWork)
    }

    public static func lapackQR(columnMajor: Bool, _ m: Int32, _ n: Int32, _ a: UnsafeMutablePointer<Float>, _ lda: Int32, _ tau: UnsafeMutablePointer<Float>) -> Int32 {
        LAPACKE_sgeqrf(columnMajor ? LAPACK_COL_MAJOR : LAPACK_ROW_MAJOR, m, n, a, lda, tau)
    }

    public static func lapackFormQ(columnMajor: Bool, _ m: Int32, _ n: Int32, _ k: Int32, _ a: UnsafeMutablePointer<Float>, _ lda: Int32, _ tau: UnsafePointer<Float>) -> Int32 {
        LAPACKE_sorgqr(columnMajor ? LAPACK_COL_MAJOR : LAPACK_ROW_MAJOR, m, n, k, a, lda, tau)
    }

    public static func lapackSymmetricEigen(_ n: Int32, _ a: UnsafeMutablePointer<Float>, _ lda: Int32, _ w: UnsafeMutablePointer<Float>) -> Int32 {
        LAPACKE_ssyevd(LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "V")), CChar(UInt8(ascii: "U")), n, a, lda, w)
    }

    public static func fftPrepare() -> Bool {
        fftwf_make_planner_thread_safe()
        return fftwf_init_threads() != 0
    }

    public static func fftSetThreads(_ count: Int32) { fftwf_plan_with_nthreads(count) }

    public static func fftAllocate(_ count: Int) -> UnsafeMutablePointer<Float> { fftwf_alloc_real(max(1, count))! }

    public static func fftFree(_ pointer: UnsafeMutablePointer<Float>) { fftwf_free(pointer) }

    public static func fftPlanComplexToReal(
        _ rows: Int32, _ columns: Int32, _ spectrum: UnsafeMutablePointer<Float>, _ grid: UnsafeMutablePointer<Float>, measure: Bool
    ) -> OpaquePointer {
        fftwf_plan_dft_c2r_2d(rows, columns, UnsafeMutablePointer<fftwf_complex>(OpaquePointer(spectrum)), grid, UInt32(measure ? FFTW_MEASURE : FFTW_ESTIMATE))!
    }

    public static func fftExecuteComplexToReal(_ plan: OpaquePointer, _ spectrum: UnsafeMutablePointer<Float>, _ grid: UnsafeMutablePointer<Float>) {
        fftwf_execute_dft_c2r(plan, UnsafeMutablePointer<fftwf_complex>(OpaquePointer(spectrum)), grid)
    }

    public static func fftDestroy(_ plan: OpaquePointer) { fftwf_destroy_plan(plan) }
}
