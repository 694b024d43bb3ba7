/// A real dense matrix stored row-major in one contiguous array.
///
/// The numerics layer's value type for everything that is a plain matrix: reshapes of a kernel
/// (Singla & Feizi 2021), blocks of vectors in PowerQR, the small projected problems of Lanczos.
/// Element `(i, j)` lives at `elements[i * columns + j]`. Storage is `rows * columns` doubles.
public struct DenseMatrix: Sendable, Equatable {
    /// Number of rows.
    public let rows: Int
    /// Number of columns.
    public let columns: Int
    /// Row-major elements, `rows * columns` of them.
    public var elements: [Double]

    /// A matrix of zeros. O(rows·columns).
    public init(rows: Int, columns: Int) {
        precondition(rows >= 0 && columns >= 0, "matrix sides must be non-negative")
        self.rows = rows
        self.columns = columns
        self.elements = [Double](repeating: 0, count: rows * columns)
    }

    /// A matrix over existing row-major elements (`elements.count == rows * columns`).
    public init(rows: Int, columns: Int, elements: [Double]) {
        precondition(elements.count == rows * columns, "element count must equal rows * columns")
        self.rows = rows
        self.columns = columns
        self.elements = elements
    }

    /// Element access by row and column. O(1).
    public subscript(row: Int, column: Int) -> Double {
        get { elements[row * columns + column] }
        set { elements[row * columns + column] = newValue }
    }

    /// The transpose, as a new row-major matrix. O(rows·columns).
    public var transposed: DenseMatrix {
        var result = DenseMatrix(rows: columns, columns: rows)
        for i in 0..<rows {
            for j in 0..<columns {
                result.elements[j * rows + i] = elements[i * columns + j]
            }
        }
        return result
    }

    /// The product `self · other` through BLAS dgemm. O(rows·columns·other.columns).
    public func multiplied(by other: DenseMatrix) -> DenseMatrix {
        precondition(columns == other.rows, "inner dimensions must agree")
        var result = DenseMatrix(rows: rows, columns: other.columns)
        BLAS.multiply(
            rows: rows, columns: other.columns, inner: columns,
            a: elements, b: other.elements, into: &result.elements)
        return result
    }

    /// The Frobenius norm. O(rows·columns).
    public var frobeniusNorm: Double { BLAS.norm(elements) }
}
