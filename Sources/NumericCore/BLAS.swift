import ComplexModule

/// Safe wrappers over the CBLAS routines the project needs, on row-major Swift arrays, generic
/// over the scalar (`LinearAlgebraScalar`: the `d`/`z` routines for `Double`, `s`/`c` for `Float`).
///
/// Every routine checks the sizes it is handed and never reads outside the arrays. The
/// complexity of each is that of the BLAS routine behind it.
public enum BLAS {
    /// `c = alpha · op(a) · op(b) + beta · c`, row-major, where `op(a)` is `rows × inner` and
    /// `op(b)` is `inner × columns`. Offsets and leading dimensions let a call address a block of
    /// a larger array. ?gemm: O(rows·columns·inner).
    @inlinable
    public static func multiply<Scalar: LinearAlgebraScalar>(
        rows: Int, columns: Int, inner: Int,
        a: [Scalar], aOffset: Int = 0, aLeading: Int? = nil, transposeA: Bool = false,
        b: [Scalar], bOffset: Int = 0, bLeading: Int? = nil, transposeB: Bool = false,
        into c: inout [Scalar], cOffset: Int = 0, cLeading: Int? = nil,
        alpha: Scalar = 1, beta: Scalar = 0
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
        ThreadControl.sized(operations: 2 * Double(rows) * Double(columns) * Double(inner)) {
            a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    c.withUnsafeMutableBufferPointer { pc in
                        Scalar.blasMultiply(
                            transposeA: transposeA, transposeB: transposeB,
                            Int32(rows), Int32(columns), Int32(inner), alpha,
                            pa.baseAddress! + aOffset, Int32(lda),
                            pb.baseAddress! + bOffset, Int32(ldb), beta,
                            pc.baseAddress! + cOffset, Int32(ldc))
                    }
                }
            }
        }
    }

    /// A sum of gemms into one `rows × columns` block of `c`: for every term `t`,
    /// `c[cOffsets[t] …] (+)= op(a_t) · b_t` with `a_t` at `aOffsets[t]` and `b_t` at `bOffsets[t]`
    /// (row-major, leading dimensions as given; the first term overwrites unless `accumulate`).
    /// The rows of `c` are shared out among the thread budget's workers (`ParallelWork`), each
    /// running every term on its own rows with single-threaded BLAS: one synchronisation per
    /// call instead of one per gemm, and each worker's rows stay in its cache. Terms whose `c`
    /// blocks overlap are fine (each row is written by one worker, terms in order). With
    /// `clearFirst`, each worker first zeroes its rows' stretch `[first·cLeading, last·cLeading)`
    /// of `c` (for terms that accumulate into a zeroed buffer).
    /// O(terms·rows·columns·inner).
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    public static func multiplySum<Scalar: LinearAlgebraScalar>(
        rows: Int, columns: Int, inner: Int,
        a: [Scalar], aOffsets: [Int], aLeading: Int, transposeA: Bool,
        b: [Scalar], bOffsets: [Int], bLeading: Int,
        into c: inout [Scalar], cOffsets: [Int], cLeading: Int, accumulate: Bool, clearFirst: Bool = false
    ) {
        let terms = aOffsets.count
        precondition(!clearFirst || rows * cLeading <= c.count, "gemm sum: c too small to clear")
        precondition(bOffsets.count == terms && cOffsets.count == terms, "gemm sum: one offset per term")
        if rows == 0 || columns == 0 || terms == 0 { return }
        for t in 0..<terms {
            let aExtent = transposeA ? (inner - 1) * aLeading + rows : (rows - 1) * aLeading + inner
            precondition(aOffsets[t] >= 0 && aOffsets[t] + aExtent <= a.count, "gemm sum: a too small")
            precondition(bOffsets[t] >= 0 && bOffsets[t] + (inner - 1) * bLeading + columns <= b.count, "gemm sum: b too small")
            precondition(cOffsets[t] >= 0 && cOffsets[t] + (rows - 1) * cLeading + columns <= c.count, "gemm sum: c too small")
        }
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    let pointers = SharedPointers(a: pa.baseAddress!, b: pb.baseAddress!, c: pc.baseAddress!)
                    // Shares of at least 8 rows, side by side on single-threaded BLAS; a sum below
                    // `ParallelWork.sharedFromOperations` in one share, on one BLAS thread (ThreadControl.sized).
                    let operations = 2 * Double(terms) * Double(rows) * Double(columns) * Double(inner)
                    let shares = operations < ParallelWork.sharedFromOperations ? 1 : max(1, rows / 8)
                    let share: @Sendable (Int, Int) -> Void = { worker, workers in
                        let first = worker * rows / workers, last = (worker + 1) * rows / workers
                        if first == last { return }
                        if clearFirst { (pointers.c + first * cLeading).update(repeating: 0, count: (last - first) * cLeading) }
                        for t in 0..<terms {
                            // Rows first..<last of op(a): row offset along a's rows, or its columns when transposed.
                            let aStart = aOffsets[t] + (transposeA ? first : first * aLeading)
                            Scalar.blasMultiply(
                                transposeA: transposeA, transposeB: false,
                                Int32(last - first), Int32(columns), Int32(inner), 1,
                                pointers.a + aStart, Int32(aLeading),
                                pointers.b + bOffsets[t], Int32(bLeading), (t == 0 && !accumulate) ? 0 : 1,
                                pointers.c + cOffsets[t] + first * cLeading, Int32(cLeading))
                        }
                    }
                    if ParallelWork.workers(for: shares) > 1 {
                        ParallelWork.forEachWorker(upTo: shares, share)
                    } else {
                        ThreadControl.sized(operations: operations) { share(0, 1) }
                    }
                }
            }
        }
    }

    /// Base addresses handed to the workers of `multiplySum` (each writes only its own rows of c).
    private struct SharedPointers<Scalar>: @unchecked Sendable {
        let a: UnsafePointer<Scalar>
        let b: UnsafePointer<Scalar>
        let c: UnsafeMutablePointer<Scalar>
    }

    /// `y = alpha · op(a) · x + beta · y` for a row-major `rows × columns` matrix `a`
    /// (op = transpose when `transpose`). ?gemv: O(rows·columns).
    @inlinable
    public static func multiplyVector<Scalar: LinearAlgebraScalar>(
        rows: Int, columns: Int, a: [Scalar], aOffset: Int = 0, aLeading: Int? = nil,
        transpose: Bool = false, x: [Scalar], xOffset: Int = 0,
        into y: inout [Scalar], yOffset: Int = 0, alpha: Scalar = 1, beta: Scalar = 0
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
        ThreadControl.sized(operations: 2 * Double(rows) * Double(columns)) {
            a.withUnsafeBufferPointer { pa in
                x.withUnsafeBufferPointer { px in
                    y.withUnsafeMutableBufferPointer { py in
                        Scalar.blasMultiplyVector(
                            transpose: transpose, Int32(rows), Int32(columns), alpha, pa.baseAddress! + aOffset, Int32(lda),
                            px.baseAddress! + xOffset, 1, beta, py.baseAddress! + yOffset, 1)
                    }
                }
            }
        }
    }

    /// `y = op(a)·x` for a real row-major `rows × columns` matrix `a` and a complex vector `x`:
    /// two ?gemv on `x`'s real and imaginary parts, gathered into contiguous vectors first
    /// (OpenBLAS's strided gemv took 1.4× as long here, and a gemm on the `n × 2` view repacks `a`
    /// on every call). O(rows·columns).
    @inlinable
    public static func multiplyComplexVector<Scalar: LinearAlgebraScalar>(
        rows: Int, columns: Int, a: [Scalar], transpose: Bool = false,
        x: ComplexBuffer<Scalar>, into y: inout ComplexBuffer<Scalar>
    ) {
        let xCount = transpose ? rows : columns
        let yCount = transpose ? columns : rows
        precondition(rows * columns <= a.count, "complex gemv: a too small")
        precondition(xCount <= x.count && yCount <= y.count, "complex gemv: vector too small")
        if yCount == 0 { return }
        var parts = [Scalar](repeating: 0, count: 2 * xCount)
        x.withUnsafeScalars { px in
            for index in 0..<xCount {
                parts[index] = px[2 * index]
                parts[xCount + index] = px[2 * index + 1]
            }
        }
        var results = [Scalar](repeating: 0, count: 2 * yCount)
        if xCount > 0 {
            ThreadControl.sized(operations: 4 * Double(rows) * Double(columns)) {
                a.withUnsafeBufferPointer { pa in
                    parts.withUnsafeBufferPointer { px in
                        results.withUnsafeMutableBufferPointer { py in
                            for part in 0..<2 {
                                Scalar.blasMultiplyVector(
                                    transpose: transpose, Int32(rows), Int32(columns), 1, pa.baseAddress!, Int32(columns),
                                    px.baseAddress! + part * xCount, 1, 0, py.baseAddress! + part * yCount, 1)
                            }
                        }
                    }
                }
            }
        }
        y.withUnsafeMutableScalars { py in
            for index in 0..<yCount {
                py[2 * index] = results[index]
                py[2 * index + 1] = results[yCount + index]
            }
        }
    }

    /// The Euclidean norm of `count` entries of `x` from `offset` (default: all): `√(x·x)` by ?dot
    /// where the sum of squares is finite and far above the underflow threshold (so no square
    /// that underflowed can matter), else ?nrm2, which scales against both. OpenBLAS's dnrm2 took
    /// ten times as long as ddot on this machine (8 % of a 16-channel power iteration). O(count).
    @inlinable
    public static func norm<Scalar: LinearAlgebraScalar>(_ x: [Scalar], offset: Int = 0, count: Int? = nil) -> Scalar {
        let n = count ?? (x.count - offset)
        precondition(offset + n <= x.count, "nrm2: out of range")
        if n == 0 { return 0 }
        return x.withUnsafeBufferPointer { euclideanNorm(count: n, $0.baseAddress! + offset) }
    }

    /// `norm`'s computation on `count` contiguous scalars at `start` (also for complex buffers,
    /// as `2·count` scalars). O(count).
    @inlinable @usableFromInline
    static func euclideanNorm<Scalar: LinearAlgebraScalar>(count n: Int, _ start: UnsafePointer<Scalar>) -> Scalar {
        let squares = ThreadControl.sized(operations: 2 * Double(n)) { Scalar.blasDot(Int32(n), start, start) }
        if squares.isFinite && squares >= Scalar.leastNormalMagnitude / (Scalar.ulpOfOne * Scalar.ulpOfOne) {
            return squares.squareRoot()
        }
        return Scalar.blasNorm(Int32(n), start)
    }

    /// The dot product of `count` entries of `x` and `y` (default: all). ?dot: O(count).
    @inlinable
    public static func dot<Scalar: LinearAlgebraScalar>(_ x: [Scalar], _ y: [Scalar], xOffset: Int = 0, yOffset: Int = 0, count: Int? = nil) -> Scalar {
        let n = count ?? min(x.count - xOffset, y.count - yOffset)
        precondition(xOffset + n <= x.count && yOffset + n <= y.count, "dot: out of range")
        if n == 0 { return 0 }
        return x.withUnsafeBufferPointer { px in
            y.withUnsafeBufferPointer { py in
                ThreadControl.sized(operations: 2 * Double(n)) {
                    Scalar.blasDot(Int32(n), px.baseAddress! + xOffset, py.baseAddress! + yOffset)
                }
            }
        }
    }

    /// `y += alpha · x` over `count` entries. ?axpy: O(count).
    @inlinable
    public static func addScaled<Scalar: LinearAlgebraScalar>(_ alpha: Scalar, _ x: [Scalar], xOffset: Int = 0, to y: inout [Scalar], yOffset: Int = 0, count: Int? = nil) {
        let n = count ?? min(x.count - xOffset, y.count - yOffset)
        precondition(xOffset + n <= x.count && yOffset + n <= y.count, "axpy: out of range")
        if n == 0 { return }
        x.withUnsafeBufferPointer { px in
            y.withUnsafeMutableBufferPointer { py in
                ThreadControl.sized(operations: 2 * Double(n)) {
                    Scalar.blasAddScaled(Int32(n), alpha, px.baseAddress! + xOffset, py.baseAddress! + yOffset)
                }
            }
        }
    }

    /// `x *= alpha` over `count` entries from `offset`. ?scal: O(count).
    @inlinable
    public static func scale<Scalar: LinearAlgebraScalar>(_ x: inout [Scalar], by alpha: Scalar, offset: Int = 0, count: Int? = nil) {
        let n = count ?? (x.count - offset)
        precondition(offset + n <= x.count, "scal: out of range")
        if n == 0 { return }
        x.withUnsafeMutableBufferPointer { pointer in
            ThreadControl.sized(operations: Double(n)) { Scalar.blasScale(Int32(n), alpha, pointer.baseAddress! + offset) }
        }
    }

    /// Complex `c = op(a) · op(b)` on row-major complex buffers, where `op` is the identity or the
    /// conjugate transpose. `a`, `b`, `c` are addressed from their (complex) offsets.
    /// zgemm/cgemm: O(rows·columns·inner).
    @inlinable
    public static func complexMultiply<Scalar: LinearAlgebraScalar>(
        rows: Int, columns: Int, inner: Int,
        a: ComplexBuffer<Scalar>, aOffset: Int = 0, conjugateTransposeA: Bool = false,
        b: ComplexBuffer<Scalar>, bOffset: Int = 0, conjugateTransposeB: Bool = false,
        into c: inout ComplexBuffer<Scalar>, cOffset: Int = 0
    ) {
        if rows == 0 || columns == 0 { return }
        let lda = conjugateTransposeA ? rows : inner
        let ldb = conjugateTransposeB ? inner : columns
        precondition(aOffset + rows * inner <= a.count, "zgemm: a too small")
        precondition(bOffset + inner * columns <= b.count, "zgemm: b too small")
        precondition(cOffset + rows * columns <= c.count, "zgemm: c too small")
        ThreadControl.sized(operations: 8 * Double(rows) * Double(columns) * Double(inner)) {
            a.withUnsafeScalars { pa in
                b.withUnsafeScalars { pb in
                    c.withUnsafeMutableScalars { pc in
                        Scalar.blasComplexMultiply(
                            conjugateTransposeA: conjugateTransposeA, conjugateTransposeB: conjugateTransposeB,
                            Int32(rows), Int32(columns), Int32(inner),
                            pa.baseAddress! + 2 * aOffset, Int32(lda), pb.baseAddress! + 2 * bOffset, Int32(ldb),
                            pc.baseAddress! + 2 * cOffset, Int32(columns))
                    }
                }
            }
        }
    }

    /// Hermitian rank-k product on row-major complex buffers: with `conjugateFirst`, `c = aᴴ a`
    /// (a is `inner × order`); otherwise `c = a aᴴ` (a is `order × inner`). Both triangles of `c`
    /// are filled. zherk/cherk: O(order²·inner).
    @inlinable
    public static func hermitianGram<Scalar: LinearAlgebraScalar>(
        order: Int, inner: Int, a: ComplexBuffer<Scalar>, aOffset: Int = 0, conjugateFirst: Bool,
        into c: inout ComplexBuffer<Scalar>, cOffset: Int = 0
    ) {
        if order == 0 { return }
        precondition(aOffset + order * inner <= a.count, "zherk: a too small")
        precondition(cOffset + order * order <= c.count, "zherk: c too small")
        ThreadControl.sized(operations: 4 * Double(order) * Double(order) * Double(inner)) {
            a.withUnsafeScalars { pa in
                c.withUnsafeMutableScalars { pc in
                    Scalar.blasHermitianRankK(
                        conjugateFirst: conjugateFirst, Int32(order), Int32(inner), pa.baseAddress! + 2 * aOffset,
                        Int32(conjugateFirst ? order : inner), pc.baseAddress! + 2 * cOffset, Int32(order))
                }
            }
        }
        // Mirror the upper triangle into the lower one (conjugated); zero the diagonal's imaginary part.
        c.withUnsafeMutableScalars { scalars in
            let base = scalars.baseAddress! + 2 * cOffset
            for i in 0..<order {
                base[2 * (i * order + i) + 1] = 0
                for j in (i + 1)..<order {
                    base[2 * (j * order + i)] = base[2 * (i * order + j)]
                    base[2 * (j * order + i) + 1] = -base[2 * (i * order + j) + 1]
                }
            }
        }
    }
}
