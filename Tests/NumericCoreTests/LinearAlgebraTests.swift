import ProcessControl
import ComplexModule
import Testing
import NumericCore
import TestSupport

@Suite("Numerics layer")
struct LinearAlgebraTests {
    @Test("dgemm matches a hand-computed product, with transposes")
    func gemm() {
        let a = DenseMatrix(rows: 2, columns: 3, elements: [1, 2, 3, 4, 5, 6])
        let b = DenseMatrix(rows: 3, columns: 2, elements: [7, 8, 9, 10, 11, 12])
        #expect(a.multiplied(by: b).elements == [58, 64, 139, 154])
        var c = [Double](repeating: 0, count: 4)
        // aᵀ is 3×2; aᵀᵀ·bᵀᵀ again: use transposeA on aᵀ's storage.
        BLAS.multiply(rows: 2, columns: 2, inner: 3, a: a.transposed.elements, transposeA: true,
                      b: b.elements, into: &c)
        #expect(c == [58, 64, 139, 154])
    }

    @Test("the norm is right for ordinary, huge, tiny, zero and mixed vectors in both precisions")
    func normAcrossScales() {
        // 3-4-5 scaled: the exact norm is 5·scale. 1e200 overflows a plain sum of squares and
        // 1e-200 underflows it; both must come from the scaled routine, to rounding.
        for scale in [1.0, 1e200, 1e-200, 1e-160, 1e150] {
            let x = [0, 3 * scale, 0, 4 * scale]
            #expect(Fixtures.isClose(BLAS.norm(x), 5 * scale, relative: 1e-15), "scale \(scale): \(BLAS.norm(x))")
        }
        #expect(BLAS.norm([0.0, 0, 0]) == 0)
        // Squares below the underflow threshold next to ordinary values change nothing.
        #expect(BLAS.norm([1e-170, 1, 1e-170]) == 1)
        for scale: Float in [1, 1e30, 1e-30] {
            let x: [Float] = [3 * scale, 4 * scale]
            #expect(abs(BLAS.norm(x) - 5 * scale) <= 1e-6 * 5 * scale, "float scale \(scale): \(BLAS.norm(x))")
        }
        // A long vector against a float64 sum in a fixed order.
        let long = (0..<10_000).map { Double(($0 * 7919) % 1000) / 1000 - 0.5 }
        #expect(Fixtures.isClose(BLAS.norm(long), long.reduce(0) { $0 + $1 * $1 }.squareRoot(), relative: 1e-13))
        #expect(Fixtures.isClose(BLAS.norm(long, offset: 100, count: 50), long[100..<150].reduce(0) { $0 + $1 * $1 }.squareRoot(), relative: 1e-14))
    }

    @Test("singular values of known matrices")
    func singularValues() throws {
        // diag(3, −5, 2) has singular values 5, 3, 2.
        let diagonal = DenseMatrix(rows: 3, columns: 3, elements: [3, 0, 0, 0, -5, 0, 0, 0, 2])
        #expect(try LAPACK.singularValues(of: diagonal).map { ($0 * 1e12).rounded() / 1e12 } == [5, 3, 2])
        // [[1, 1], [0, 1]] has σ₁ = golden ratio.
        let shear = DenseMatrix(rows: 2, columns: 2, elements: [1, 1, 0, 1])
        let golden = (1 + 5.0.squareRoot()) / 2
        #expect(Fixtures.isClose(try LAPACK.singularValues(of: shear)[0], golden, relative: 1e-14))
        // A rectangular 1×3 row vector: σ = its norm.
        let row = DenseMatrix(rows: 1, columns: 3, elements: [2, 3, 6])
        #expect(Fixtures.isClose(try LAPACK.singularValues(of: row)[0], 7, relative: 1e-15))
    }

    @Test("complex singular values: a unitary-scaled matrix")
    func complexSingularValues() throws {
        // [[i, 0], [0, 2]] has singular values 2, 1.
        let values = try LAPACK.complexSingularValues(rows: 2, columns: 2, elements: ComplexBuffer(interleaved: [0, 1, 0, 0, 0, 0, 2, 0]))
        #expect(values.count == 2)
        #expect(abs(values[0] - 2) < 1e-14 && abs(values[1] - 1) < 1e-14)
        // [[1, i], [i, 1]] = I + iX has singular values |1 + i|, |1 − i| = √2, √2.
        let both = try LAPACK.complexSingularValues(rows: 2, columns: 2, elements: ComplexBuffer(interleaved: [1, 0, 0, 1, 0, 1, 1, 0]))
        #expect(both.allSatisfy { abs($0 - 2.0.squareRoot()) < 1e-14 })
    }

    @Test("QR reproduces the matrix with orthonormal Q")
    func qr() throws {
        let a = DenseMatrix(rows: 4, columns: 2, elements: [1, 2, 3, 4, 5, 6, 7, 9])
        let (q, r) = try LAPACK.qrDecomposition(of: a)
        let product = q.multiplied(by: r)
        for (x, y) in zip(product.elements, a.elements) { #expect(abs(x - y) < 1e-12) }
        let gram = q.transposed.multiplied(by: q)
        #expect(abs(gram[0, 0] - 1) < 1e-12 && abs(gram[1, 1] - 1) < 1e-12 && abs(gram[0, 1]) < 1e-12)
        #expect(r[1, 0] == 0)
    }

    @Test("Hermitian Gram product fills both triangles")
    func hermitianGram() {
        // a = [[1, i], [0, 1]] (2×2): aᴴa = [[1, i], [−i, 2]].
        let a = ComplexBuffer<Double>(interleaved: [1, 0, 0, 1, 0, 0, 1, 0])
        var c = ComplexBuffer<Double>(count: 4)
        BLAS.hermitianGram(order: 2, inner: 2, a: a, conjugateFirst: true, into: &c)
        #expect(c.interleaved == [1, 0, 0, 1, 0, -1, 2, 0])
    }

    @Test("inverse real FFT of a known half spectrum")
    func inverseFFT() {
        // The DC term alone, X[0, 0] = 16, gives x ≡ 16 (the transform is unnormalised).
        let fft = RealInverseFFT2D<Double>(rows: 4, columns: 4)
        var spectrum = ComplexBuffer<Double>(count: 4 * fft.halfColumns)
        spectrum[0] = Complex(16, 0)
        #expect(fft.inverse(halfSpectrum: spectrum).allSatisfy { abs($0 - 16) < 1e-12 })
        // X[0, 1] = 1 (and its implied conjugate X[0, 3]) gives x[r, c] = 2·cos(2πc/4).
        spectrum[0] = .zero
        spectrum[1] = Complex(1, 0)
        let grid = fft.inverse(halfSpectrum: spectrum)
        for r in 0..<4 {
            for c in 0..<4 {
                #expect(abs(grid[r * 4 + c] - 2 * cos(2 * Double.pi * Double(c) / 4)) < 1e-12)
            }
        }
    }

    @Test("peak memory sees a large allocation")
    func memoryProbe() {
        guard MemoryProbe.isAvailable else { return }
        let baseline = MemoryProbe.resetPeak()
        // 256 MiB, touched. The probe is process-wide and other tests run beside this one: a
        // block that frees tens of MiB after the reset hid a 32 MiB block once (27 of 30 MiB
        // seen), so the block is large and the bar leaves room for such frees.
        var block = [Double](repeating: 1, count: 256 << 20 / 8)
        block[block.count - 1] = 2
        let peak = MemoryProbe.peakResidentBytes() - baseline
        #expect(peak >= 160 << 20, "peak \(peak) should include the 256 MiB block")
        #expect(block.last == 2)
    }
}

import Foundation
