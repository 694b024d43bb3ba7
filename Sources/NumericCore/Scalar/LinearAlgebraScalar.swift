import RealModule

/// A real floating-point type the numerics layer computes in: `Double` (BLAS `d`/`z`, LAPACKE
/// `d`/`z`, FFTW `fftw_`) and `Float` (BLAS `s`/`c`, LAPACKE `s`/`c`, FFTW `fftwf_`).
///
/// The swift-numerics pattern: one small protocol and one conformance file per type
/// (`Double+LinearAlgebraScalar.swift`, `Float+LinearAlgebraScalar.swift`), so that `BLAS`,
/// `LAPACK`, `Matrix` and the FFTs are written once, generic over the scalar, and a method written
/// against them runs in either precision. Complex values are swift-numerics' `Complex<Scalar>`
/// held in a `ComplexBuffer`: pairs of the scalar, interleaved (re, im), which is the memory
/// layout of C99 `double complex`, LAPACKE's complex struct and FFTW's `fftw_complex` alike. The
/// requirements below take the interleaved scalars.
///
/// The requirements are the raw library entry points, on pointers, with the routine's own
/// argument order (column-major unless stated; BLAS calls are row-major CBLAS). Only NumericCore
/// calls them, through the safe wrappers in `BLAS`, `LAPACK` and `RealInverseFFT2D`; each costs
/// what the library routine behind it costs.
public protocol LinearAlgebraScalar: Real, BinaryFloatingPoint, BitwiseCopyable, Sendable, Codable
    where Self.RawSignificand: FixedWidthInteger
{
    /// `float64` or `float32`: the name results and configs use for this precision.
    static var precisionName: String { get }

    // MARK: Direct correlation (CDirectCorrelation, AVX-512)

    /// `specbench_direct_correlation_f32`/`_f64`: the output blocks `blocks` and rows `rows` of a
    /// stride-1 correlation of a padded grid with a packed kernel (`DirectCorrelation`). Only
    /// when `specbench_direct_available()` is 1.
    static func directCorrelation(
        _ input: UnsafePointer<Self>, channelStride: Int, rowStride: Int, packed: UnsafePointer<Self>,
        inputChannels: Int, kernelHeight: Int, kernelWidth: Int, outputChannels: Int,
        _ output: UnsafeMutablePointer<Self>, outputHeight: Int, outputWidth: Int, blocks: Range<Int>, rows: Range<Int>)

    // MARK: BLAS level 1 (real)

    /// `‖x‖₂` over `count` entries with stride 1 (`?nrm2`).
    static func blasNorm(_ count: Int32, _ x: UnsafePointer<Self>) -> Self
    /// `Σ|x_i|` of `count` contiguous scalars (?asum).
    static func blasAbsoluteSum(_ count: Int32, _ x: UnsafePointer<Self>) -> Self
    /// `xᵀy` over `count` entries (`?dot`).
    static func blasDot(_ count: Int32, _ x: UnsafePointer<Self>, _ y: UnsafePointer<Self>) -> Self
    /// `y += alpha·x` (`?axpy`).
    static func blasAddScaled(_ count: Int32, _ alpha: Self, _ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>)
    /// `x *= alpha` (`?scal`).
    static func blasScale(_ count: Int32, _ alpha: Self, _ x: UnsafeMutablePointer<Self>)

    // MARK: BLAS levels 2 and 3, row-major

    /// `y = alpha·op(A)·x + beta·y`, `A` row-major `rows × columns`, `x` and `y` read with
    /// strides `incX` and `incY` (`?gemv`).
    static func blasMultiplyVector(
        transpose: Bool, _ rows: Int32, _ columns: Int32, _ alpha: Self, _ a: UnsafePointer<Self>, _ lda: Int32,
        _ x: UnsafePointer<Self>, _ incX: Int32, _ beta: Self, _ y: UnsafeMutablePointer<Self>, _ incY: Int32)
    /// `C = alpha·op(A)·op(B) + beta·C`, row-major (`?gemm`).
    static func blasMultiply(
        transposeA: Bool, transposeB: Bool, _ rows: Int32, _ columns: Int32, _ inner: Int32, _ alpha: Self,
        _ a: UnsafePointer<Self>, _ lda: Int32, _ b: UnsafePointer<Self>, _ ldb: Int32, _ beta: Self,
        _ c: UnsafeMutablePointer<Self>, _ ldc: Int32)
    /// Complex `C = op(A)·op(B)` on interleaved pairs, row-major, op = identity or conjugate
    /// transpose (`?gemm` of the complex type: `zgemm`, `cgemm`).
    static func blasComplexMultiply(
        conjugateTransposeA: Bool, conjugateTransposeB: Bool, _ rows: Int32, _ columns: Int32, _ inner: Int32,
        _ a: UnsafePointer<Self>, _ lda: Int32, _ b: UnsafePointer<Self>, _ ldb: Int32,
        _ c: UnsafeMutablePointer<Self>, _ ldc: Int32)
    /// Upper triangle of `C = op(A)·op(A)ᴴ`-style Hermitian product on interleaved pairs,
    /// row-major; `conjugateFirst` computes `AᴴA` (`zherk`, `cherk`).
    static func blasHermitianRankK(
        conjugateFirst: Bool, _ order: Int32, _ inner: Int32, _ a: UnsafePointer<Self>, _ lda: Int32,
        _ c: UnsafeMutablePointer<Self>, _ ldc: Int32)

    // MARK: LAPACK, column-major

    /// Singular values only of a real `m × n` matrix (`?gesdd`, jobz = 'N', LAPACKE allocating
    /// its own workspace). Returns LAPACK's `info`.
    static func lapackSingularValues(
        _ m: Int32, _ n: Int32, _ a: UnsafeMutablePointer<Self>, _ lda: Int32, _ s: UnsafeMutablePointer<Self>) -> Int32
    /// Thin SVD of a real `m × n` matrix (`?gesdd`, jobz = 'S'). Returns `info`.
    static func lapackThinSVD(
        _ m: Int32, _ n: Int32, _ a: UnsafeMutablePointer<Self>, _ lda: Int32, _ s: UnsafeMutablePointer<Self>,
        _ u: UnsafeMutablePointer<Self>, _ ldu: Int32, _ vt: UnsafeMutablePointer<Self>, _ ldvt: Int32) -> Int32
    /// Singular values only of a complex `m × n` matrix of interleaved pairs with caller-owned
    /// workspaces (`zgesdd_work`, `cgesdd_work`, jobz = 'N'; `workLength` in complex entries,
    /// −1 queries it into `work[0]`). Returns `info`.
    static func lapackComplexSingularValues(
        _ m: Int32, _ n: Int32, _ a: UnsafeMutablePointer<Self>, _ lda: Int32, _ s: UnsafeMutablePointer<Self>,
        _ dummy: UnsafeMutablePointer<Self>, _ work: UnsafeMutablePointer<Self>, _ workLength: Int32,
        _ realWork: UnsafeMutablePointer<Self>, _ integerWork: UnsafeMutablePointer<Int32>) -> Int32
    /// QR factorisation of an `m × n` matrix, row-major or column-major (`?geqrf`). Returns `info`.
    static func lapackQR(columnMajor: Bool, _ m: Int32, _ n: Int32, _ a: UnsafeMutablePointer<Self>, _ lda: Int32, _ tau: UnsafeMutablePointer<Self>) -> Int32
    /// Forms `Q` of a QR factorisation in place, row-major or column-major (`?orgqr`). Returns `info`.
    static func lapackFormQ(columnMajor: Bool, _ m: Int32, _ n: Int32, _ k: Int32, _ a: UnsafeMutablePointer<Self>, _ lda: Int32, _ tau: UnsafePointer<Self>) -> Int32
    /// Eigenvalues and eigenvectors of a row-major symmetric matrix, upper triangle (`?syevd`).
    static func lapackSymmetricEigen(_ n: Int32, _ a: UnsafeMutablePointer<Self>, _ lda: Int32, _ w: UnsafeMutablePointer<Self>) -> Int32

    // MARK: FFTW

    /// Makes FFTW's planner thread-safe and starts its threads, once per precision.
    static func fftPrepare() -> Bool
    /// Sets the threads of plans made from now on in this precision.
    static func fftSetThreads(_ count: Int32)
    /// Aligned FFTW memory for `count` scalars.
    static func fftAllocate(_ count: Int) -> UnsafeMutablePointer<Self>
    /// Frees memory from `fftAllocate`.
    static func fftFree(_ pointer: UnsafeMutablePointer<Self>)
    /// A 2-D complex-to-real plan (`FFTW_ESTIMATE`, or `FFTW_MEASURE` when `measure`, which
    /// overwrites both arrays) from a half spectrum of interleaved pairs.
    static func fftPlanComplexToReal(_ rows: Int32, _ columns: Int32, _ spectrum: UnsafeMutablePointer<Self>,
                                     _ grid: UnsafeMutablePointer<Self>, measure: Bool) -> OpaquePointer
    /// Executes a complex-to-real plan on the given (plan-compatible) arrays.
    static func fftExecuteComplexToReal(_ plan: OpaquePointer, _ spectrum: UnsafeMutablePointer<Self>, _ grid: UnsafeMutablePointer<Self>)
    /// Destroys a plan.
    static func fftDestroy(_ plan: OpaquePointer)
}
