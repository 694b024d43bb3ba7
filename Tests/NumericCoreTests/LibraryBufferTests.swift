import Testing
@testable import NumericCore
import SpecBenchCore
import TestSupport

/// Regression tests for the OpenBLAS 0.3.21 over-read (OpenMathLib/OpenBLAS#5000): `zgesdd`'s
/// `zgemv_n` kernel reads up to `min(m, n) − 2` complex elements past the end of its matrix,
/// which killed `sedghi` and the `fft-block-svd` reference at 128 channels with SIGSEGV.
///
/// Every buffer is placed with the last byte of its slack right before a `PROT_NONE` page, so an
/// over-read beyond the slack faults at once (the test process dies) instead of by chance. With
/// no slack, 3,024 of 3,249 shapes up to 160×160 fault this way (docs/fidelity.md).
@Suite("Buffers handed to LAPACK (OpenBLAS over-read)")
struct LibraryBufferTests {
    /// Complex blocks like the per-frequency blocks of `sedghi`: square, tall, wide, and the
    /// 128-channel and strided-polyphase shapes that crashed.
    static let complexShapes: [(rows: Int, columns: Int)] = [
        (1, 1), (2, 3), (3, 2), (3, 7), (7, 3), (8, 8), (17, 5), (5, 17), (40, 40), (64, 64),
        (68, 103), (96, 96), (100, 100), (128, 128), (128, 512), (300, 301),
    ]

    @Test("zgesdd on guard-page buffers: no fault, values equal the real embedding's", arguments: complexShapes)
    func complexSingularValuesAgainstGuardPage(_ shape: (rows: Int, columns: Int)) throws {
        var generator = SeededGenerator(seed: UInt64(shape.rows * 1000 + shape.columns), stream: "guard-page")
        let elements = generator.normals(2 * shape.rows * shape.columns)
        let values = try LibraryMemory.$placeAgainstGuardPage.withValue(true) {
            try LAPACK.complexSingularValues(rows: shape.rows, columns: shape.columns, elements: ComplexBuffer(interleaved: elements))
        }
        // Independent: [[Re, −Im], [Im, Re]] (2·rows × 2·columns, real) has every singular value
        // of the complex matrix twice.
        let (m, n) = (shape.rows, shape.columns)
        var embedding = DenseMatrix(rows: 2 * m, columns: 2 * n)
        for i in 0..<m {
            for j in 0..<n {
                let re = elements[2 * (i * n + j)], im = elements[2 * (i * n + j) + 1]
                embedding[i, j] = re
                embedding[i, n + j] = -im
                embedding[m + i, j] = im
                embedding[m + i, n + j] = re
            }
        }
        let real = try LAPACK.singularValues(of: embedding)
        let doubled = stride(from: 0, to: real.count, by: 2).map { real[$0] }
        #expect(values.count == min(m, n))
        #expect(Fixtures.maxRelativeDifference(values, doubled) < 1e-10)
    }

    @Test("the real routines on guard-page buffers: SVD, thin SVD, QR, symmetric eigen")
    func realRoutinesAgainstGuardPage() throws {
        var generator = SeededGenerator(seed: 7, stream: "guard-page-real")
        for (m, n) in [(1, 1), (5, 3), (3, 5), (33, 17), (64, 64), (130, 40)] {
            let matrix = DenseMatrix(rows: m, columns: n, elements: generator.normals(m * n))
            try LibraryMemory.$placeAgainstGuardPage.withValue(true) {
                let values = try LAPACK.singularValues(of: matrix)
                let (u, s, vt) = try LAPACK.singularValueDecomposition(of: matrix)
                #expect(Fixtures.maxRelativeDifference(values, s) < 1e-12)
                // U·diag(s)·Vᵀ reconstructs the matrix.
                var scaled = u
                for i in 0..<u.rows { for j in 0..<u.columns { scaled[i, j] *= s[j] } }
                let rebuilt = scaled.multiplied(by: vt)
                #expect(Fixtures.maxRelativeDifference(rebuilt.elements, matrix.elements) < 1e-9 * Double(max(m, n)))
                if m >= n {
                    let (q, r) = try LAPACK.qrDecomposition(of: matrix)
                    #expect(Fixtures.maxRelativeDifference(q.multiplied(by: r).elements, matrix.elements) < 1e-9 * Double(m))
                }
                let gram = matrix.transposed.multiplied(by: matrix)
                let eigen = try LAPACK.symmetricEigen(of: gram)
                let fromEigen = eigen.values.reversed().map { max(0, $0).squareRoot() }
                #expect(Fixtures.isClose(fromEigen[0], values[0], relative: 1e-10))
            }
        }
    }

    @Test("the slack covers one leading-dimension column plus 64 bytes, and the libraries leave it untouched")
    func slackRule() throws {
        let buffer = LibraryBuffer<Double>(count: 6, leadingDimension: 3)
        #expect(buffer.slackCount == 3 + 64 / 8)
        #expect(buffer.slackIsUntouched)
        let block = LibraryBuffer(copying: [1.0, 2, 3, 4], leadingDimension: 2)
        #expect(block.elements == [1, 2, 3, 4])
        block[3] = 9
        #expect(block[3] == 9 && block.slackIsUntouched)
        // dgesdd consumes the buffer in place: it may overwrite the matrix, never the slack.
        let square = LibraryBuffer(copying: [4.0, 0, 0, 3], leadingDimension: 2)
        let values = try LAPACK.singularValues(rows: 2, columns: 2, buffer: square, order: .columnMajor)
        #expect(values.map { ($0 * 1e12).rounded() / 1e12 } == [4, 3])
        #expect(square.slackIsUntouched)
    }
}
