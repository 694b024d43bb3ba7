import ComplexModule
import Foundation
import NumericCore
import SpecBenchCore
import Testing

/// The numerics layer is one generic code path over `LinearAlgebraScalar`: every wrapper runs in
/// float32 (BLAS `s`/`c`, LAPACKE `s`/`c`, `fftwf_`) as in float64. Checked two ways: known
/// answers in both precisions, and float32 against float64 on seeded random inputs, to a
/// tolerance of a few hundred float32 ulps relative to the size of the result.
@Suite("Numerics layer in both precisions")
struct ScalarPrecisionTests {
    /// `count` seeded N(0, 1) entries, in float64.
    static func normals(_ count: Int, seed: UInt64) -> [Double] {
        var generator = SeededGenerator(seed: seed, stream: "precision-test")
        return generator.normals(count)
    }

    /// `|a − b| ≤ tolerance · scale` entry by entry, with `scale` the largest magnitude of `b`.
    static func agree(_ single: [Float], _ double: [Double], tolerance: Double = 3e-5) -> Bool {
        guard single.count == double.count else { return false }
        let scale = max(double.map(abs).max() ?? 0, .leastNormalMagnitude)
        return zip(single, double).allSatisfy { abs(Double($0) - $1) <= tolerance * scale }
    }

    static func narrowed(_ values: [Double]) -> [Float] { values.map { Float($0) } }

    @Test("known answers hold in float32 as in float64")
    func knownAnswersInFloat32() throws {
        let a = Matrix<Float>(rows: 2, columns: 3, elements: [1, 2, 3, 4, 5, 6])
        let b = Matrix<Float>(rows: 3, columns: 2, elements: [7, 8, 9, 10, 11, 12])
        #expect(a.multiplied(by: b).elements == [58, 64, 139, 154])
        let shear = Matrix<Float>(rows: 2, columns: 2, elements: [1, 1, 0, 1])
        let golden = Float((1 + 5.0.squareRoot()) / 2)
        #expect(abs(try LAPACK.singularValues(of: shear)[0] - golden) < 1e-6)
        let complexValues = try LAPACK.complexSingularValues(rows: 2, columns: 2, elements: ComplexBuffer<Float>(interleaved: [0, 1, 0, 0, 0, 0, 2, 0]))
        #expect(abs(complexValues[0] - 2) < 1e-6 && abs(complexValues[1] - 1) < 1e-6)
        var gram = ComplexBuffer<Float>(count: 4)
        BLAS.hermitianGram(order: 2, inner: 2, a: ComplexBuffer<Float>(interleaved: [1, 0, 0, 1, 0, 0, 1, 0]), conjugateFirst: true, into: &gram)
        #expect(gram.interleaved == [1, 0, 0, 1, 0, -1, 2, 0])
        let fft = RealInverseFFT2D<Float>(rows: 4, columns: 4)
        var spectrum = ComplexBuffer<Float>(count: 4 * fft.halfColumns)
        spectrum[1] = Complex(1, 0)
        let grid = fft.inverse(halfSpectrum: spectrum)
        for c in 0..<4 { #expect(abs(Double(grid[c]) - 2 * cos(2 * Double.pi * Double(c) / 4)) < 1e-6) }
        #expect(Float.precisionName == "float32" && Double.precisionName == "float64")
    }

    @Test("BLAS levels 1–3, real and complex: float32 agrees with float64", arguments: [(7, 5, 3), (64, 48, 33), (1, 130, 2)])
    func blasAgree(_ rows: Int, _ columns: Int, _ inner: Int) {
        let a = Self.normals(rows * inner, seed: 1), b = Self.normals(inner * columns, seed: 2)
        var c64 = [Double](repeating: 0, count: rows * columns), c32 = [Float](repeating: 0, count: rows * columns)
        BLAS.multiply(rows: rows, columns: columns, inner: inner, a: a, b: b, into: &c64)
        BLAS.multiply(rows: rows, columns: columns, inner: inner, a: Self.narrowed(a), b: Self.narrowed(b), into: &c32)
        #expect(Self.agree(c32, c64), "gemm")

        let x = Self.normals(rows, seed: 3)
        var y64 = [Double](repeating: 0, count: inner), y32 = [Float](repeating: 0, count: inner)
        BLAS.multiplyVector(rows: rows, columns: inner, a: a, transpose: true, x: x, into: &y64)
        BLAS.multiplyVector(rows: rows, columns: inner, a: Self.narrowed(a), transpose: true, x: Self.narrowed(x), into: &y32)
        #expect(Self.agree(y32, y64), "gemv")

        #expect(Self.agree([BLAS.norm(Self.narrowed(a))], [BLAS.norm(a)]), "nrm2")
        #expect(abs(Double(BLAS.dot(Self.narrowed(x), Self.narrowed(x))) - BLAS.dot(x, x)) <= 3e-5 * BLAS.dot(x, x), "dot")
        var sum64 = b, sum32 = Self.narrowed(b)
        BLAS.addScaled(-0.5, b, to: &sum64)
        BLAS.addScaled(-0.5, Self.narrowed(b), to: &sum32)
        BLAS.scale(&sum64, by: 3)
        BLAS.scale(&sum32, by: 3)
        #expect(Self.agree(sum32, sum64), "axpy, scal")

        // Complex: a is rows × inner, b is inner × columns, interleaved.
        let za = Self.normals(2 * rows * inner, seed: 4), zb = Self.normals(2 * inner * columns, seed: 5)
        var zc64 = ComplexBuffer<Double>(count: rows * columns), zc32 = ComplexBuffer<Float>(count: rows * columns)
        BLAS.complexMultiply(rows: rows, columns: columns, inner: inner, a: ComplexBuffer(interleaved: za), b: ComplexBuffer(interleaved: zb), into: &zc64)
        BLAS.complexMultiply(rows: rows, columns: columns, inner: inner, a: ComplexBuffer(interleaved: Self.narrowed(za)),
                             b: ComplexBuffer(interleaved: Self.narrowed(zb)), into: &zc32)
        #expect(Self.agree(zc32.interleaved, zc64.interleaved), "complex gemm")
        var g64 = ComplexBuffer<Double>(count: inner * inner), g32 = ComplexBuffer<Float>(count: inner * inner)
        BLAS.hermitianGram(order: inner, inner: rows, a: ComplexBuffer(interleaved: za), conjugateFirst: true, into: &g64)
        BLAS.hermitianGram(order: inner, inner: rows, a: ComplexBuffer(interleaved: Self.narrowed(za)), conjugateFirst: true, into: &g32)
        #expect(Self.agree(g32.interleaved, g64.interleaved), "herk")
    }

    @Test("LAPACK routines: float32 agrees with float64, with slack against a guard page", arguments: [(6, 4), (33, 57), (128, 128), (512, 256)])
    func lapackAgree(_ rows: Int, _ columns: Int) throws {
        let entries = Self.normals(rows * columns, seed: 6)
        let m64 = Matrix<Double>(rows: rows, columns: columns, elements: entries)
        let m32 = Matrix<Float>(rows: rows, columns: columns, elements: Self.narrowed(entries))
        try LibraryMemory.$placeAgainstGuardPage.withValue(true) {
            #expect(Self.agree(try LAPACK.singularValues(of: m32), try LAPACK.singularValues(of: m64)), "gesdd")
            let complex = Self.normals(2 * rows * columns, seed: 7)
            let z64 = try LAPACK.complexSingularValues(rows: rows, columns: columns, elements: ComplexBuffer(interleaved: complex))
            let z32 = try LAPACK.complexSingularValues(rows: rows, columns: columns, elements: ComplexBuffer(interleaved: Self.narrowed(complex)))
            #expect(Self.agree(z32, z64), "complex gesdd")
            let svd = try LAPACK.singularValueDecomposition(of: m32)
            // U·diag(s)·Vᵀ reproduces the matrix to float32 accuracy.
            var scaled = svd.left
            for i in 0..<scaled.rows { for j in 0..<scaled.columns { scaled[i, j] *= svd.values[j] } }
            #expect(Self.agree(scaled.multiplied(by: svd.rightTransposed).elements, entries, tolerance: 1e-4), "thin SVD")
            let tall = rows >= columns ? m32 : m32.transposed
            let (q, r) = try LAPACK.qrDecomposition(of: tall)
            #expect(Self.agree(q.multiplied(by: r).elements, tall.elements.map(Double.init), tolerance: 1e-4), "QR")
            let symmetric = m32.transposed.multiplied(by: m32)
            let eigen = try LAPACK.symmetricEigen(of: symmetric)
            let exact = try LAPACK.symmetricEigen(of: m64.transposed.multiplied(by: m64))
            #expect(Self.agree(eigen.values, exact.values, tolerance: 1e-4), "syevd")
        }
    }

    @Test("inverse real FFT: float32 agrees with float64", arguments: [(8, 8), (33, 33), (65, 40)])
    func fftAgree(_ rows: Int, _ columns: Int) {
        let spectrum = Self.normals(2 * rows * (columns / 2 + 1), seed: 8)
        let grid64 = RealInverseFFT2D<Double>(rows: rows, columns: columns).inverse(halfSpectrum: ComplexBuffer(interleaved: spectrum))
        let grid32 = RealInverseFFT2D<Float>(rows: rows, columns: columns).inverse(halfSpectrum: ComplexBuffer(interleaved: Self.narrowed(spectrum)))
        #expect(Self.agree(grid32, grid64))
    }
}
