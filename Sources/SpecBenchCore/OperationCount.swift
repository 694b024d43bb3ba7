import Foundation

/// A method's cost model: the floating-point operations one run performs, split by the kind of
/// library work that bounds their speed, so that a measured time can be set against the time
/// the machine needs for that work at its calibrated peak rates (`MachinePeaks`).
///
/// Counts are real floating-point operations (a complex multiply-add is 8), in the conventions
/// of LAPACK Working Note 41: gemm `2·m·n·k`, herk `4·n²·k` (complex, one triangle), values-only
/// SVD of an `m × n` matrix (`m ≥ n`) `4mn² − 4n³/3` real and four times that complex, QR
/// `4mn² − 4n³/3` with Q formed; FFTs count the customary `2.5·N·log₂N` per real transform of
/// `N` points. Each method declares its count next to its definition (`operationCount(on:…)`),
/// from the shapes and the iterations it actually ran. O(1).
public struct OperationCount: Codable, Sendable, Equatable {
    /// Real matrix products (gemm, gemv, and the element-wise work around them): judged against
    /// the real gemm peak.
    public var realMatrix: Double
    /// Complex matrix products (zgemm, zherk): judged against the complex gemm peak.
    public var complexMatrix: Double
    /// Dense factorisations (SVD, QR, eigenvalues): judged against the rate of LAPACK's
    /// values-only complex SVD, the decomposition the methods use most.
    public var decomposition: Double
    /// Fast Fourier transforms: judged against the FFT peak.
    public var transform: Double

    /// A count with every kind given (each defaults to zero).
    public init(realMatrix: Double = 0, complexMatrix: Double = 0, decomposition: Double = 0, transform: Double = 0) {
        self.realMatrix = realMatrix
        self.complexMatrix = complexMatrix
        self.decomposition = decomposition
        self.transform = transform
    }

    /// All operations, whatever their kind.
    public var total: Double { realMatrix + complexMatrix + decomposition + transform }

    /// The sum of two counts.
    public static func + (left: OperationCount, right: OperationCount) -> OperationCount {
        OperationCount(
            realMatrix: left.realMatrix + right.realMatrix, complexMatrix: left.complexMatrix + right.complexMatrix,
            decomposition: left.decomposition + right.decomposition, transform: left.transform + right.transform)
    }

    /// A count repeated `times` times.
    public static func * (times: Double, count: OperationCount) -> OperationCount {
        OperationCount(
            realMatrix: times * count.realMatrix, complexMatrix: times * count.complexMatrix,
            decomposition: times * count.decomposition, transform: times * count.transform)
    }

    /// Real gemm `(rows × inner)·(inner × columns)`: `2·rows·columns·inner`.
    public static func realProduct(_ rows: Int, _ columns: Int, _ inner: Int) -> OperationCount {
        OperationCount(realMatrix: 2 * Double(rows) * Double(columns) * Double(inner))
    }

    /// Complex Hermitian product `AᴴA` of order `order` from `inner` rows: `4·order²·inner`.
    public static func hermitianProduct(order: Int, inner: Int) -> OperationCount {
        OperationCount(complexMatrix: 4 * Double(order) * Double(order) * Double(inner))
    }

    /// Values-only SVD of a complex `rows × columns` matrix: `4·(4mn² − 4n³/3)`, `m ≥ n`.
    public static func complexSingularValues(_ rows: Int, _ columns: Int) -> OperationCount {
        let m = Double(max(rows, columns)), n = Double(min(rows, columns))
        return OperationCount(decomposition: 4 * (4 * m * n * n - 4 * n * n * n / 3))
    }

    /// Values-only SVD of a real `rows × columns` matrix: `4mn² − 4n³/3`, `m ≥ n`.
    public static func realSingularValues(_ rows: Int, _ columns: Int) -> OperationCount {
        let m = Double(max(rows, columns)), n = Double(min(rows, columns))
        return OperationCount(decomposition: 4 * m * n * n - 4 * n * n * n / 3)
    }

    /// Householder QR of a real `rows × columns` matrix with `Q` formed: `2·(2mn² − 2n³/3)`.
    public static func orthonormalization(_ rows: Int, _ columns: Int) -> OperationCount {
        let m = Double(rows), n = Double(columns)
        return OperationCount(decomposition: 4 * m * n * n - 4 * n * n * n / 3)
    }

    /// One real 2-D transform of `rows × columns` points: `2.5·N·log₂N`, `N = rows·columns`.
    public static func realTransform(_ rows: Int, _ columns: Int) -> OperationCount {
        let points = Double(rows * columns)
        return OperationCount(transform: 2.5 * points * Foundation.log2(max(points, 2)))
    }

    /// The symbol `K̂(ω)` of a `cout × cin × kh × kw` kernel at `frequencies` frequencies, as
    /// `KernelSpectrum` forms it: one real gemm `(2F × taps)·(taps × cout·cin)`.
    public static func kernelSymbol(frequencies: Int, taps: Int, entries: Int) -> OperationCount {
        realProduct(2 * frequencies, entries, taps)
    }
}
