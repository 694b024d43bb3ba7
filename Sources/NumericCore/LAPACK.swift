import CLAPACKE

/// A LAPACK routine reported failure (`info ≠ 0`).
public struct LAPACKError: Error, Sendable, CustomStringConvertible {
    /// The LAPACK routine that failed.
    public let routine: String
    /// Its `info` code: negative for a bad argument, positive for non-convergence.
    public let info: Int
    public var description: String { "\(routine) failed with info = \(info)" }
}

/// Safe wrappers over the LAPACKE routines the project needs, generic over the scalar
/// (`LinearAlgebraScalar`: `d`/`z` routines for `Double`, `s`/`c` for `Float`).
///
/// Matrices are row-major `Matrix` values or interleaved complex arrays; every matrix is
/// handed to LAPACK from a `LibraryBuffer` (slack after it, see there). Where only singular
/// values are needed the buffer is handed to LAPACK in column-major order, i.e. as the transpose,
/// which has the same singular values and avoids LAPACKE's row-major copy (platform.md).
public enum LAPACK {
    /// How a dense buffer lays out a matrix.
    public enum StorageOrder: Sendable {
        /// Element `(i, j)` at `i·columns + j`.
        case rowMajor
        /// Element `(i, j)` at `j·rows + i`.
        case columnMajor
    }

    /// All singular values of a real `rows × columns` matrix stored in `order` in `buffer`,
    /// descending. The buffer is consumed (LAPACK overwrites it) and never copied: a row-major
    /// buffer is handed to LAPACK as the column-major transpose, which has the same singular
    /// values (platform.md). Its slack must cover one column of what LAPACK sees (`LibraryBuffer`).
    /// ?gesdd with jobz = 'N': O(rows·columns·min(rows, columns)), no extra matrix-sized memory.
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    public static func singularValues<Scalar: LinearAlgebraScalar>(
        rows: Int, columns: Int, buffer: LibraryBuffer<Scalar>, order: StorageOrder
    ) throws -> [Scalar] {
        precondition(buffer.count == rows * columns, "gesdd: element count must be rows * columns")
        let count = min(rows, columns)
        if count == 0 { return [] }
        // LAPACK sees a column-major m × n matrix with leading dimension m.
        let (m, n) = order == .columnMajor ? (rows, columns) : (columns, rows)
        precondition(buffer.slackCount >= m, "gesdd: the buffer's slack must cover one column (\(m) elements)")
        let values = LibraryBuffer<Scalar>(count: count, leadingDimension: 0)
        let info = buffer.withUnsafeMutablePointer { pa in
            values.withUnsafeMutablePointer { ps in
                Scalar.lapackSingularValues(Int32(m), Int32(n), pa, Int32(max(1, m)), ps)
            }
        }
        if info != 0 { throw LAPACKError(routine: "\(Scalar.routinePrefix)gesdd", info: Int(info)) }
        return values.elements
    }

    /// All singular values of a real matrix, descending. O(rows·columns·min(rows, columns)).
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    public static func singularValues<Scalar: LinearAlgebraScalar>(of matrix: Matrix<Scalar>) throws -> [Scalar] {
        // Row-major, seen by LAPACK as the column-major transpose: columns × rows, lda = columns.
        let buffer = LibraryBuffer(copying: matrix.elements, leadingDimension: matrix.columns)
        return try singularValues(rows: matrix.rows, columns: matrix.columns, buffer: buffer, order: .rowMajor)
    }

    /// All singular values of a complex `rows × columns` row-major matrix held in `elements` from
    /// (complex) offset `offset`, descending. The block is copied, not consumed,
    /// into a `LibraryBuffer`, and the workspaces are `LibraryBuffer`s too (zgesdd is the routine
    /// whose OpenBLAS kernels read past the end of their matrix, see `LibraryBuffer`).
    /// zgesdd / cgesdd with jobz = 'N': O(rows·columns·min(rows, columns)).
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    public static func complexSingularValues<Scalar: LinearAlgebraScalar>(
        rows: Int, columns: Int, elements: ComplexBuffer<Scalar>, offset: Int = 0
    ) throws -> [Scalar] {
        let count = min(rows, columns)
        if count == 0 { return [] }
        precondition(offset >= 0 && offset + rows * columns <= elements.count, "complex gesdd: block out of range")
        // Row-major block read as column-major: the transpose (columns × rows, lda = columns),
        // same singular values. Leading dimension in scalars: two per complex entry.
        let block = elements.withUnsafeScalars { scalars in
            LibraryBuffer(copying: scalars[(2 * offset)..<(2 * (offset + rows * columns))], leadingDimension: 2 * columns)
        }
        let (m, n) = (columns, rows)
        let values = LibraryBuffer<Scalar>(count: count, leadingDimension: 0)
        let dummy = LibraryBuffer<Scalar>(count: 2, leadingDimension: 2)
        // LAPACK 3.11 zgesdd, jobz = 'N': lrwork ≥ 7·min(m, n) (older LAPACKs), iwork 8·min(m, n).
        let realWork = LibraryBuffer<Scalar>(count: 7 * count, leadingDimension: 0)
        let integerWork = LibraryBuffer<Int32>(count: 8 * count, leadingDimension: 0)
        let query = LibraryBuffer<Scalar>(count: 2, leadingDimension: 2)
        func call(_ work: LibraryBuffer<Scalar>, _ length: Int32) -> Int32 {
            block.withUnsafeMutablePointer { a in
                values.withUnsafeMutablePointer { s in
                    dummy.withUnsafeMutablePointer { d in
                        work.withUnsafeMutablePointer { w in
                            realWork.withUnsafeMutablePointer { rw in
                                integerWork.withUnsafeMutablePointer { iw in
                                    Scalar.lapackComplexSingularValues(
                                        Int32(m), Int32(n), a, Int32(max(1, m)), s, d, w, length, rw, iw)
                                }
                            }
                        }
                    }
                }
            }
        }
        let routine = Scalar.complexRoutinePrefix + "gesdd"
        var info = call(query, -1)
        if info != 0 { throw LAPACKError(routine: routine + " (workspace query)", info: Int(info)) }
        let length = max(1, Int(query[0]))
        let work = LibraryBuffer<Scalar>(count: 2 * length, leadingDimension: 2 * max(m, n))
        info = call(work, Int32(length))
        if info != 0 { throw LAPACKError(routine: routine, info: Int(info)) }
        return values.elements
    }

    /// The full singular value decomposition `a = U · diag(s) · Vᵀ` of a real matrix, with thin
    /// factors: `U` is `rows × r`, `Vᵀ` is `r × columns`, `r = min(rows, columns)`, values descending.
    /// Computed column-major on the row-major buffer, i.e. on `aᵀ = V·S·Uᵀ`, whose factors are
    /// exactly the row-major `U` and `Vᵀ` of `a` (no LAPACKE transposition copies).
    /// ?gesdd with jobz = 'S': O(rows·columns·min(rows, columns)).
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    public static func singularValueDecomposition<Scalar: LinearAlgebraScalar>(of matrix: Matrix<Scalar>) throws
        -> (left: Matrix<Scalar>, values: [Scalar], rightTransposed: Matrix<Scalar>)
    {
        let m = matrix.rows, n = matrix.columns, r = min(m, n)
        if r == 0 {
            return (Matrix(rows: m, columns: 0), [], Matrix(rows: 0, columns: n))
        }
        // B = aᵀ is n × m column-major with lda = n. B = U_B·S·V_Bᵀ: U_B is n × r (ldu = n),
        // V_Bᵀ is r × m (ldvt = r). Then a's U (m × r, row-major) is V_Bᵀ's storage and a's Vᵀ
        // (r × n, row-major) is U_B's storage.
        let b = LibraryBuffer(copying: matrix.elements, leadingDimension: n)
        let s = LibraryBuffer<Scalar>(count: r, leadingDimension: 0)
        let uB = LibraryBuffer<Scalar>(count: n * r, leadingDimension: n)
        let vtB = LibraryBuffer<Scalar>(count: r * m, leadingDimension: r)
        let info = b.withUnsafeMutablePointer { pb in
            s.withUnsafeMutablePointer { ps in
                uB.withUnsafeMutablePointer { pu in
                    vtB.withUnsafeMutablePointer { pv in
                        Scalar.lapackThinSVD(Int32(n), Int32(m), pb, Int32(n), ps, pu, Int32(n), pv, Int32(r))
                    }
                }
            }
        }
        if info != 0 { throw LAPACKError(routine: "\(Scalar.routinePrefix)gesdd", info: Int(info)) }
        return (Matrix(rows: m, columns: r, elements: vtB.elements),
                s.elements,
                Matrix(rows: r, columns: n, elements: uB.elements))
    }

    /// The thin QR factorisation `a = Q · R` of a real `rows × columns` matrix with
    /// `rows ≥ columns`: `Q` is `rows × columns` with orthonormal columns, `R` upper triangular
    /// `columns × columns`. ?geqrf + ?orgqr: O(rows·columns²).
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    public static func qrDecomposition<Scalar: LinearAlgebraScalar>(of matrix: Matrix<Scalar>) throws -> (q: Matrix<Scalar>, r: Matrix<Scalar>) {
        let m = matrix.rows, n = matrix.columns
        precondition(m >= n, "qr: needs rows >= columns")
        if n == 0 { return (Matrix(rows: m, columns: 0), Matrix(rows: 0, columns: 0)) }
        let a = LibraryBuffer(copying: matrix.elements, leadingDimension: max(m, n))
        let tau = LibraryBuffer<Scalar>(count: n, leadingDimension: n)
        var info = a.withUnsafeMutablePointer { pa in
            tau.withUnsafeMutablePointer { pt in Scalar.lapackQR(columnMajor: false, Int32(m), Int32(n), pa, Int32(n), pt) }
        }
        if info != 0 { throw LAPACKError(routine: "\(Scalar.routinePrefix)geqrf", info: Int(info)) }
        var r = Matrix<Scalar>(rows: n, columns: n)
        for i in 0..<n {
            for j in i..<n { r[i, j] = a[i * n + j] }
        }
        info = a.withUnsafeMutablePointer { pa in
            tau.withUnsafeMutablePointer { pt in Scalar.lapackFormQ(columnMajor: false, Int32(m), Int32(n), Int32(n), pa, Int32(n), pt) }
        }
        if info != 0 { throw LAPACKError(routine: "\(Scalar.routinePrefix)orgqr", info: Int(info)) }
        return (Matrix(rows: m, columns: n, elements: a.elements), r)
    }

    /// Replaces `count` vectors of length `length`, stored one after the other in `vectors` (a
    /// column-major `length × count` matrix), by the orthonormal `Q` of their QR factorisation,
    /// and returns the diagonal of `R`. In place apart from one copy into a `LibraryBuffer`; no
    /// transposition. ?geqrf + ?orgqr: O(length·count²).
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    public static func orthonormalize<Scalar: LinearAlgebraScalar>(
        _ vectors: inout [Scalar], length: Int, count: Int
    ) throws -> [Scalar] {
        precondition(length >= count, "qr: needs length >= count")
        precondition(vectors.count >= length * count, "qr: too few entries")
        if count == 0 { return [] }
        let a = LibraryBuffer(copying: vectors[0..<(length * count)], leadingDimension: length)
        let tau = LibraryBuffer<Scalar>(count: count, leadingDimension: count)
        var info = a.withUnsafeMutablePointer { pa in
            tau.withUnsafeMutablePointer { pt in Scalar.lapackQR(columnMajor: true, Int32(length), Int32(count), pa, Int32(length), pt) }
        }
        if info != 0 { throw LAPACKError(routine: "\(Scalar.routinePrefix)geqrf", info: Int(info)) }
        let diagonal = (0..<count).map { a[$0 * length + $0] }
        info = a.withUnsafeMutablePointer { pa in
            tau.withUnsafeMutablePointer { pt in
                Scalar.lapackFormQ(columnMajor: true, Int32(length), Int32(count), Int32(count), pa, Int32(length), pt)
            }
        }
        if info != 0 { throw LAPACKError(routine: "\(Scalar.routinePrefix)orgqr", info: Int(info)) }
        a.copy(into: &vectors)
        return diagonal
    }

    /// Eigenvalues (ascending) and orthonormal eigenvectors (as columns) of a real symmetric
    /// matrix; only the upper triangle is read. ?syevd: O(order³).
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    public static func symmetricEigen<Scalar: LinearAlgebraScalar>(of matrix: Matrix<Scalar>) throws -> (values: [Scalar], vectors: Matrix<Scalar>) {
        precondition(matrix.rows == matrix.columns, "syevd: needs a square matrix")
        let n = matrix.rows
        if n == 0 { return ([], matrix) }
        let a = LibraryBuffer(copying: matrix.elements, leadingDimension: n)
        let w = LibraryBuffer<Scalar>(count: n, leadingDimension: n)
        let info = a.withUnsafeMutablePointer { pa in
            w.withUnsafeMutablePointer { pw in Scalar.lapackSymmetricEigen(Int32(n), pa, Int32(n), pw) }
        }
        if info != 0 { throw LAPACKError(routine: "\(Scalar.routinePrefix)syevd", info: Int(info)) }
        return (w.elements, Matrix(rows: n, columns: n, elements: a.elements))
    }
}

extension LAPACK {
    /// The largest eigenvalue of the symmetric tridiagonal matrix with `diagonal` (length `n`)
    /// and `offDiagonal` (its first `n − 1` entries are used), and the last component of its unit
    /// eigenvector: what a Lanczos run needs for its top Ritz value and residual `β·|s_n|`.
    /// `dstevr` (MRRR) for that one pair only: O(n) after an O(n) bisection; no n × n matrix.
    public static func largestTridiagonalEigenpair(diagonal: [Double], offDiagonal: [Double]) throws
        -> (value: Double, lastComponent: Double) {
        let n = diagonal.count
        precondition(n >= 1 && offDiagonal.count >= n - 1, "dstevr: diagonal and off-diagonal lengths")
        let d = LibraryBuffer(copying: diagonal, leadingDimension: 1)
        let e = LibraryBuffer(copying: offDiagonal.prefix(n - 1) + [0], leadingDimension: 1)
        let w = LibraryBuffer<Double>(count: n, leadingDimension: 1)
        let z = LibraryBuffer<Double>(count: n, leadingDimension: n)
        let support = LibraryBuffer<Int32>(count: 2, leadingDimension: 1)
        var found: Int32 = 0
        let info = d.withUnsafeMutablePointer { pd in
            e.withUnsafeMutablePointer { pe in
                w.withUnsafeMutablePointer { pw in
                    z.withUnsafeMutablePointer { pz in
                        support.withUnsafeMutablePointer { ps in
                            LAPACKE_dstevr(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "V")), CChar(UInt8(ascii: "I")), Int32(n), pd, pe,
                                           0, 0, Int32(n), Int32(n), 0, &found, pw, pz, Int32(n), ps)
                        }
                    }
                }
            }
        }
        if info != 0 || found != 1 { throw LAPACKError(routine: "dstevr", info: Int(info)) }
        return (w.elements[0], z.elements[n - 1])
    }
}

extension LinearAlgebraScalar {
    /// The BLAS/LAPACK prefix of the real routines in this precision: `d` or `s`.
    static var routinePrefix: String { Self.self == Double.self ? "d" : "s" }
    /// The prefix of the complex routines: `z` or `c`.
    static var complexRoutinePrefix: String { Self.self == Double.self ? "z" : "c" }
}
