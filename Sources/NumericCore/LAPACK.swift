import CLAPACKE

/// A LAPACK routine reported failure (`info ≠ 0`).
public struct LAPACKError: Error, Sendable, CustomStringConvertible {
    /// The LAPACK routine that failed.
    public let routine: String
    /// Its `info` code: negative for a bad argument, positive for non-convergence.
    public let info: Int
    public var description: String { "\(routine) failed with info = \(info)" }
}

/// Safe wrappers over the LAPACKE routines the project needs.
///
/// Matrices are row-major `DenseMatrix` values or interleaved complex arrays. Where only singular
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

    /// All singular values of a real `rows × columns` matrix stored in `order`, descending. The
    /// buffer is consumed (LAPACK overwrites it) and never copied: a row-major buffer is handed
    /// to LAPACK as the column-major transpose, which has the same singular values (platform.md).
    /// dgesdd with jobz = 'N': O(rows·columns·min(rows, columns)), no extra matrix-sized memory.
    public static func singularValues(
        rows: Int, columns: Int, elements: inout [Double], order: StorageOrder
    ) throws -> [Double] {
        precondition(elements.count == rows * columns, "dgesdd: element count must be rows * columns")
        let count = min(rows, columns)
        if count == 0 { return [] }
        // LAPACK sees a column-major m × n matrix with leading dimension m.
        let (m, n) = order == .columnMajor ? (rows, columns) : (columns, rows)
        var values = [Double](repeating: 0, count: count)
        var dummyU = [Double](repeating: 0, count: 1)
        var dummyVT = [Double](repeating: 0, count: 1)
        let info = elements.withUnsafeMutableBufferPointer { pa in
            values.withUnsafeMutableBufferPointer { ps in
                dummyU.withUnsafeMutableBufferPointer { pu in
                    dummyVT.withUnsafeMutableBufferPointer { pv in
                        LAPACKE_dgesdd(
                            LAPACK_COL_MAJOR, CChar(UInt8(ascii: "N")), Int32(m), Int32(n),
                            pa.baseAddress!, Int32(max(1, m)), ps.baseAddress!,
                            pu.baseAddress!, 1, pv.baseAddress!, 1)
                    }
                }
            }
        }
        if info != 0 { throw LAPACKError(routine: "dgesdd", info: Int(info)) }
        return values
    }

    /// All singular values of a real matrix, descending. O(rows·columns·min(rows, columns)).
    public static func singularValues(of matrix: DenseMatrix) throws -> [Double] {
        var copy = matrix.elements
        return try singularValues(rows: matrix.rows, columns: matrix.columns, elements: &copy, order: .rowMajor)
    }

    /// All singular values of a complex `rows × columns` matrix held interleaved (re, im) in
    /// `elements` from complex offset `offset`, descending. The block is copied, not consumed.
    /// zgesdd with jobz = 'N': O(rows·columns·min(rows, columns)).
    public static func complexSingularValues(
        rows: Int, columns: Int, elements: [Double], offset: Int = 0
    ) throws -> [Double] {
        let count = min(rows, columns)
        if count == 0 { return [] }
        precondition(2 * (offset + rows * columns) <= elements.count, "zgesdd: block out of range")
        var block = Array(elements[(2 * offset)..<(2 * (offset + rows * columns))])
        var values = [Double](repeating: 0, count: count)
        var dummy = [Double](repeating: 0, count: 2)
        let info = block.withUnsafeMutableBytes { rawA in
            values.withUnsafeMutableBufferPointer { ps in
                dummy.withUnsafeMutableBytes { rawDummy in
                    let a = rawA.baseAddress!.assumingMemoryBound(to: _lapack_complex_double.self)
                    let d = rawDummy.baseAddress!.assumingMemoryBound(to: _lapack_complex_double.self)
                    // Row-major block read as column-major: the transpose, same singular values.
                    return LAPACKE_zgesdd(
                        LAPACK_COL_MAJOR, CChar(UInt8(ascii: "N")), Int32(columns), Int32(rows),
                        a, Int32(max(1, columns)), ps.baseAddress!, d, 1, d, 1)
                }
            }
        }
        if info != 0 { throw LAPACKError(routine: "zgesdd", info: Int(info)) }
        return values
    }

    /// The full singular value decomposition `a = U · diag(s) · Vᵀ` of a real matrix, with thin
    /// factors: `U` is `rows × r`, `Vᵀ` is `r × columns`, `r = min(rows, columns)`, values descending.
    /// dgesdd with jobz = 'S': O(rows·columns·min(rows, columns)).
    public static func singularValueDecomposition(of matrix: DenseMatrix) throws
        -> (left: DenseMatrix, values: [Double], rightTransposed: DenseMatrix)
    {
        let m = matrix.rows, n = matrix.columns, r = min(m, n)
        var a = matrix.elements
        var s = [Double](repeating: 0, count: max(r, 1))
        var u = [Double](repeating: 0, count: max(m * r, 1))
        var vt = [Double](repeating: 0, count: max(r * n, 1))
        if r == 0 {
            return (DenseMatrix(rows: m, columns: 0), [], DenseMatrix(rows: 0, columns: n))
        }
        let info = a.withUnsafeMutableBufferPointer { pa in
            s.withUnsafeMutableBufferPointer { ps in
                u.withUnsafeMutableBufferPointer { pu in
                    vt.withUnsafeMutableBufferPointer { pv in
                        LAPACKE_dgesdd(
                            LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "S")), Int32(m), Int32(n),
                            pa.baseAddress!, Int32(n), ps.baseAddress!,
                            pu.baseAddress!, Int32(r), pv.baseAddress!, Int32(n))
                    }
                }
            }
        }
        if info != 0 { throw LAPACKError(routine: "dgesdd", info: Int(info)) }
        return (DenseMatrix(rows: m, columns: r, elements: Array(u[0..<(m * r)])),
                Array(s[0..<r]),
                DenseMatrix(rows: r, columns: n, elements: Array(vt[0..<(r * n)])))
    }

    /// The thin QR factorisation `a = Q · R` of a real `rows × columns` matrix with
    /// `rows ≥ columns`: `Q` is `rows × columns` with orthonormal columns, `R` upper triangular
    /// `columns × columns`. dgeqrf + dorgqr: O(rows·columns²).
    public static func qrDecomposition(of matrix: DenseMatrix) throws -> (q: DenseMatrix, r: DenseMatrix) {
        let m = matrix.rows, n = matrix.columns
        precondition(m >= n, "qr: needs rows >= columns")
        if n == 0 { return (DenseMatrix(rows: m, columns: 0), DenseMatrix(rows: 0, columns: 0)) }
        var a = matrix.elements
        var tau = [Double](repeating: 0, count: n)
        var info = a.withUnsafeMutableBufferPointer { pa in
            tau.withUnsafeMutableBufferPointer { pt in
                LAPACKE_dgeqrf(LAPACK_ROW_MAJOR, Int32(m), Int32(n), pa.baseAddress!, Int32(n), pt.baseAddress!)
            }
        }
        if info != 0 { throw LAPACKError(routine: "dgeqrf", info: Int(info)) }
        var r = DenseMatrix(rows: n, columns: n)
        for i in 0..<n {
            for j in i..<n { r[i, j] = a[i * n + j] }
        }
        info = a.withUnsafeMutableBufferPointer { pa in
            tau.withUnsafeMutableBufferPointer { pt in
                LAPACKE_dorgqr(LAPACK_ROW_MAJOR, Int32(m), Int32(n), Int32(n), pa.baseAddress!, Int32(n), pt.baseAddress!)
            }
        }
        if info != 0 { throw LAPACKError(routine: "dorgqr", info: Int(info)) }
        return (DenseMatrix(rows: m, columns: n, elements: a), r)
    }

    /// Eigenvalues (ascending) and orthonormal eigenvectors (as columns) of a real symmetric
    /// matrix; only the upper triangle is read. dsyevd: O(order³).
    public static func symmetricEigen(of matrix: DenseMatrix) throws -> (values: [Double], vectors: DenseMatrix) {
        precondition(matrix.rows == matrix.columns, "syevd: needs a square matrix")
        let n = matrix.rows
        if n == 0 { return ([], matrix) }
        var a = matrix.elements
        var w = [Double](repeating: 0, count: n)
        let info = a.withUnsafeMutableBufferPointer { pa in
            w.withUnsafeMutableBufferPointer { pw in
                LAPACKE_dsyevd(LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "V")), CChar(UInt8(ascii: "U")),
                               Int32(n), pa.baseAddress!, Int32(n), pw.baseAddress!)
            }
        }
        if info != 0 { throw LAPACKError(routine: "dsyevd", info: Int(info)) }
        return (w, DenseMatrix(rows: n, columns: n, elements: a))
    }
}
