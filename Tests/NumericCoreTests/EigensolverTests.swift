import Testing
import NumericCore
import SpecBenchCore
import TestSupport

/// The Lanczos tiers' numerical pieces: ARPACK's restarted symmetric solver and the tridiagonal
/// eigenpair, each against LAPACK's dense symmetric eigensolver (`dsyevd`) on the same matrix.
@Suite("Symmetric eigensolvers")
struct EigensolverTests {
    /// A random symmetric `n × n` matrix with a clear top, from `seed`.
    static func symmetricMatrix(_ n: Int, seed: UInt64) -> DenseMatrix {
        var generator = SeededGenerator(seed: seed)
        let entries = generator.normals(n * n)
        var matrix = DenseMatrix(rows: n, columns: n)
        for i in 0..<n {
            for j in 0..<n { matrix[i, j] = entries[i * n + j] + entries[j * n + i] }
        }
        return matrix
    }

    @Test("ARPACK's largest eigenvalues and vectors equal dsyevd's on random symmetric matrices", arguments: [
        (60, 1, 10), (60, 3, 12), (200, 4, 20), (200, 1, 6),
    ])
    func restartedAgreesWithDense(_ size: Int, _ count: Int, _ basis: Int) throws {
        let matrix = Self.symmetricMatrix(size, seed: UInt64(size * 31 + count))
        let dense = try LAPACK.symmetricEigen(of: matrix)
        let expected = Array(dense.values.reversed().prefix(count))
        var generator = SeededGenerator(seed: 9)
        let result = try SymmetricEigensolver.largestEigenvalues(
            dimension: size, count: count, basisSize: basis, tolerance: 1e-13, productBudget: 10_000,
            start: generator.normals(size), computeVectors: true
        ) { x, y in
            BLAS.multiplyVector(rows: size, columns: size, a: matrix.elements, x: x, into: &y)
        }
        #expect(Fixtures.maxRelativeDifference(result.values, expected) < 1e-11, "\(result.values) vs \(expected)")
        #expect(result.products > 0 && result.vectors.count == count * size)
        // Each vector satisfies M·x = λ·x.
        for index in 0..<count {
            let vector = Array(result.vectors[(index * size)..<((index + 1) * size)])
            var image = [Double](repeating: 0, count: size)
            BLAS.multiplyVector(rows: size, columns: size, a: matrix.elements, x: vector, into: &image)
            BLAS.addScaled(-result.values[index], vector, to: &image)
            #expect(BLAS.norm(image) <= 1e-10 * abs(result.values[index]), "residual of pair \(index)")
            #expect(Fixtures.isClose(BLAS.norm(vector), 1, relative: 1e-12))
        }
    }

    @Test("ARPACK reports a used-up budget as a failure naming its products, not a wrong answer")
    func budgetUsedUp() {
        let size = 300
        let matrix = Self.symmetricMatrix(size, seed: 4)
        var generator = SeededGenerator(seed: 1)
        #expect(throws: SymmetricEigensolver.Failure.self) {
            try SymmetricEigensolver.largestEigenvalues(
                dimension: size, count: 2, basisSize: 5, tolerance: 1e-14, productBudget: 6,
                start: generator.normals(size), computeVectors: false
            ) { x, y in
                BLAS.multiplyVector(rows: size, columns: size, a: matrix.elements, x: x, into: &y)
            }
        }
    }

    @Test("the tridiagonal's largest eigenpair equals dsyevd's, last vector component up to sign")
    func tridiagonal() throws {
        var generator = SeededGenerator(seed: 77)
        for n in [1, 2, 5, 40, 300] {
            let diagonal = generator.normals(n), offDiagonal = generator.normals(max(n - 1, 0))
            var matrix = DenseMatrix(rows: n, columns: n)
            for i in 0..<n {
                matrix[i, i] = diagonal[i]
                if i + 1 < n { matrix[i, i + 1] = offDiagonal[i]; matrix[i + 1, i] = offDiagonal[i] }
            }
            let dense = try LAPACK.symmetricEigen(of: matrix)
            let pair = try LAPACK.largestTridiagonalEigenpair(diagonal: diagonal, offDiagonal: offDiagonal)
            #expect(Fixtures.isClose(pair.value, dense.values[n - 1], relative: 1e-12), "n = \(n)")
            // A component of a unit vector: compared absolutely (it can be ~1e-15 at n = 300).
            #expect(abs(abs(pair.lastComponent) - abs(dense.vectors[n - 1, n - 1])) < 1e-9, "n = \(n)")
        }
    }
}
