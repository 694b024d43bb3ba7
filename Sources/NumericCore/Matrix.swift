/// A float64 matrix: what every method used before the numerics layer became generic.
public typealias DenseMatrix = Matrix<Double>

/// A real dense matrix stored row-major in one contiguous array, in either precision.
///
/// The numerics layer's value type for everything that is a plain matrix: reshapes of a kernel
/// (Singla & Feizi 2021), blocks of vectors in PowerQR, the small projected problems of Lanczos.
/// Element `(i, j)` lives at `elements[i * columns + j]`. Storage is `rows * columns` scalars.
public struct Matrix<Scalar: LinearAlgebraScalar>: Sendable, Equatable {
    /// Number of rows.
    public let rows: Int
    /// Number of columns.
    public let columns: Int
    /// Row-major elements, `rows * columns` of them.
    public var elements: [Scalar]

    /// A matrix of zeros. O(rows·columns).
    @inlinable
    public init(rows: Int, columns: Int) {
        precondition(rows >= 0 && columns >= 0, "matrix sides must be non-negative")
        self.rows = rows
        self.columns = columns
        self.elements = [Scalar](repeating: 0, count: rows * columns)
    }

    /// A matrix over existing row-major elements (`elements.count == rows * columns`).
    @inlinable
    public init(rows: Int, columns: Int, elements: [Scalar]) {
        precondition(elements.count == rows * columns, "element count must equal rows * columns")
        self.rows = rows
        self.columns = columns
        self.elements = elements
    }

    /// Element access by row and column. O(1).
    @inlinable
    public subscript(row: Int, column: Int) -> Scalar {
        get { elements[row * columns + column] }
        set { elements[row * columns + column] = newValue }
    }

    /// The transpose, as a new row-major matrix. O(rows·columns).
    @inlinable
    public var transposed: Matrix {
        var result = Matrix(rows: columns, columns: rows)
        for i in 0..<rows {
            for j in 0..<columns {
                result.elements[j * rows + i] = elements[i * columns + j]
            }
        }
        return result
    }

    /// The product `self · other` through BLAS ?gemm. O(rows·columns·other.columns).
    @inlinable
    public func multiplied(by other: Matrix) -> Matrix {
        precondition(columns == other.rows, "inner dimensions must agree")
        var result = Matrix(rows: rows, columns: other.columns)
        BLAS.multiply(
            rows: rows, columns: other.columns, inner: columns,
            a: elements, b: other.elements, into: &result.elements)
        return result
    }

    /// The Frobenius norm. O(rows·columns).
    @inlinable
    public var frobeniusNorm: Scalar { BLAS.norm(elements) }
}
