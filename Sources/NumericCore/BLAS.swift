import COpenBLAS

/// Safe wrappers over the CBLAS routines the project needs, on row-major Swift arrays.
///
/// Every routine checks the sizes it is handed and never reads outside the arrays. The
/// complexity of each is that of the BLAS routine behind it.
public enum BLAS {
    /// `c = alpha · op(a) · op(b) + beta · c`, row-major, where `op(a)` is `rows × inner` and
    /// `op(b)` is `inner × columns`. Offsets and leading dimensions let a call address a block of
    /// a larger array. dgemm: O(rows·columns·inner).
    public static func multiply(
        rows: Int, columns: Int, inner: Int,
        a: [Double], aOffset: Int = 0, aLeading: Int? = nil, transposeA: Bool = false,
        b: [Double], bOffset: Int = 0, bLeading: Int? = nil, transposeB: Bool = false,
        into c: inout [Double], cOffset: Int = 0, cLeading: Int? = nil,
        alpha: Double = 1, beta: Double = 0
    ) {
        if rows == 0 || columns == 0 { return }
        let lda = aLeading ?? (transposeA ? rows : inner)
        let ldb = bLeading ?? (transposeB ? inner : columns)
        let ldc = cLeading ?? columns
        let aExtent = transposeA ? (inner - 1) * lda + rows : (rows - 1) * lda + inner
        let bExtent = transposeB ? (columns - 1) * ldb + inner : (inner - 1) * ldb + columns
        precondition(inner == 0 || aOffset + aExtent <= a.count, "gemm: a too small")
        precondition(inner == 0 || bOffset + bExtent <= b.count, "gemm: b too small")
        precondition(cOffset + (rows - 1) * ldc + columns <= c.count, "gemm: c too small")
        if inner == 0 {
            for i in 0..<rows {
                for j in 0..<columns {
                    c[cOffset + i * ldc + j] *= beta
                }
            }
            return
        }
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    cblas_dgemm(
                        CblasRowMajor,
                        transposeA ? CblasTrans : CblasNoTrans,
                        transposeB ? CblasTrans : CblasNoTrans,
                        Int32(rows), Int32(columns), Int32(inner), alpha,
                        pa.baseAddress! + aOffset, Int32(lda),
                        pb.baseAddress! + bOffset, Int32(ldb), beta,
                        pc.baseAddress! + cOffset, Int32(ldc))
                }
            }
        }
    }

    /// `y = alpha · op(a) · x + beta · y` for a row-major `rows × columns` matrix `a`
    /// (op = transpose when `transpose`). dgemv: O(rows·columns).
    public static func multiplyVector(
        rows: Int, columns: Int, a: [Double], aOffset: Int = 0, aLeading: Int? = nil,
        transpose: Bool = false, x: [Double], xOffset: Int = 0,
        into y: inout [Double], yOffset: Int = 0, alpha: Double = 1, beta: Double = 0
    ) {
        let lda = aLeading ?? columns
        let xCount = transpose ? rows : columns
        let yCount = transpose ? columns : rows
        if yCount == 0 { return }
        precondition(rows == 0 || columns == 0 || aOffset + (rows - 1) * lda + columns <= a.count, "gemv: a too small")
        precondition(xOffset + xCount <= x.count, "gemv: x too small")
        precondition(yOffset + yCount <= y.count, "gemv: y too small")
        if xCount == 0 {
            for i in 0..<yCount { y[yOffset + i] *= beta }
            return
        }
        a.withUnsafeBufferPointer { pa in
            x.withUnsafeBufferPointer { px in
                y.withUnsafeMutableBufferPointer { py in
                    cblas_dgemv(
                        CblasRowMajor, transpose ? CblasTrans : CblasNoTrans,
                        Int32(rows), Int32(columns), alpha, pa.baseAddress! + aOffset, Int32(lda),
                        px.baseAddress! + xOffset, 1, beta, py.baseAddress! + yOffset, 1)
                }
            }
        }
    }

    /// The Euclidean norm of `count` entries of `x` from `offset` (default: all). dnrm2: O(count).
    public static func norm(_ x: [Double], offset: Int = 0, count: Int? = nil) -> Double {
        let n = count ?? (x.count - offset)
        precondition(offset + n <= x.count, "nrm2: out of range")
        if n == 0 { return 0 }
        return x.withUnsafeBufferPointer { cblas_dnrm2(Int32(n), $0.baseAddress! + offset, 1) }
    }

    /// The dot product of `count` entries of `x` and `y` (default: all). ddot: O(count).
    public static func dot(_ x: [Double], _ y: [Double], xOffset: Int = 0, yOffset: Int = 0, count: Int? = nil) -> Double {
        let n = count ?? min(x.count - xOffset, y.count - yOffset)
        precondition(xOffset + n <= x.count && yOffset + n <= y.count, "dot: out of range")
        if n == 0 { return 0 }
        return x.withUnsafeBufferPointer { px in
            y.withUnsafeBufferPointer { py in
                cblas_ddot(Int32(n), px.baseAddress! + xOffset, 1, py.baseAddress! + yOffset, 1)
            }
        }
    }

    /// `y += alpha · x` over `count` entries. daxpy: O(count).
    public static func addScaled(_ alpha: Double, _ x: [Double], xOffset: Int = 0, to y: inout [Double], yOffset: Int = 0, count: Int? = nil) {
        let n = count ?? min(x.count - xOffset, y.count - yOffset)
        precondition(xOffset + n <= x.count && yOffset + n <= y.count, "axpy: out of range")
        if n == 0 { return }
        x.withUnsafeBufferPointer { px in
            y.withUnsafeMutableBufferPointer { py in
                cblas_daxpy(Int32(n), alpha, px.baseAddress! + xOffset, 1, py.baseAddress! + yOffset, 1)
            }
        }
    }

    /// `x *= alpha` over `count` entries from `offset`. dscal: O(count).
    public static func scale(_ x: inout [Double], by alpha: Double, offset: Int = 0, count: Int? = nil) {
        let n = count ?? (x.count - offset)
        precondition(offset + n <= x.count, "scal: out of range")
        if n == 0 { return }
        x.withUnsafeMutableBufferPointer { cblas_dscal(Int32(n), alpha, $0.baseAddress! + offset, 1) }
    }

    /// Complex `c = op(a) · op(b)` on interleaved (re, im) row-major arrays, where `op` is the
    /// identity or the conjugate transpose. `a`, `b`, `c` are addressed in complex elements from
    /// their complex offsets. zgemm: O(rows·columns·inner).
    public static func complexMultiply(
        rows: Int, columns: Int, inner: Int,
        a: [Double], aOffset: Int = 0, conjugateTransposeA: Bool = false,
        b: [Double], bOffset: Int = 0, conjugateTransposeB: Bool = false,
        into c: inout [Double], cOffset: Int = 0
    ) {
        if rows == 0 || columns == 0 { return }
        let lda = conjugateTransposeA ? rows : inner
        let ldb = conjugateTransposeB ? inner : columns
        precondition(2 * (aOffset + rows * inner) <= a.count, "zgemm: a too small")
        precondition(2 * (bOffset + inner * columns) <= b.count, "zgemm: b too small")
        precondition(2 * (cOffset + rows * columns) <= c.count, "zgemm: c too small")
        var one: (Double, Double) = (1, 0)
        var zero: (Double, Double) = (0, 0)
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    withUnsafePointer(to: &one) { alpha in
                        withUnsafePointer(to: &zero) { beta in
                            cblas_zgemm(
                                CblasRowMajor,
                                conjugateTransposeA ? CblasConjTrans : CblasNoTrans,
                                conjugateTransposeB ? CblasConjTrans : CblasNoTrans,
                                Int32(rows), Int32(columns), Int32(inner),
                                UnsafeRawPointer(alpha), pa.baseAddress! + 2 * aOffset, Int32(lda),
                                pb.baseAddress! + 2 * bOffset, Int32(ldb),
                                UnsafeRawPointer(beta), pc.baseAddress! + 2 * cOffset, Int32(columns))
                        }
                    }
                }
            }
        }
    }

    /// Hermitian rank-k product `c = op(a)ᴴ · op(a)`-style Gram matrix on interleaved row-major
    /// arrays: with `conjugateFirst`, `c = aᴴ a` (a is `inner × order`); otherwise `c = a aᴴ`
    /// (a is `order × inner`). Both triangles of `c` are filled. zherk: O(order²·inner).
    public static func hermitianGram(
        order: Int, inner: Int, a: [Double], aOffset: Int = 0, conjugateFirst: Bool,
        into c: inout [Double], cOffset: Int = 0
    ) {
        if order == 0 { return }
        precondition(2 * (aOffset + order * inner) <= a.count, "zherk: a too small")
        precondition(2 * (cOffset + order * order) <= c.count, "zherk: c too small")
        a.withUnsafeBufferPointer { pa in
            c.withUnsafeMutableBufferPointer { pc in
                cblas_zherk(
                    CblasRowMajor, CblasUpper, conjugateFirst ? CblasConjTrans : CblasNoTrans,
                    Int32(order), Int32(inner), 1, pa.baseAddress! + 2 * aOffset,
                    Int32(conjugateFirst ? order : inner), 0, pc.baseAddress! + 2 * cOffset, Int32(order))
            }
        }
        // Mirror the upper triangle into the lower one (conjugated); zero the diagonal's imaginary part.
        let base = 2 * cOffset
        for i in 0..<order {
            c[base + 2 * (i * order + i) + 1] = 0
            for j in (i + 1)..<order {
                let upper = base + 2 * (i * order + j)
                let lower = base + 2 * (j * order + i)
                c[lower] = c[upper]
                c[lower + 1] = -c[upper + 1]
            }
        }
    }
}
