import NumericCore
import SpecBenchCore
import Testing

/// The kernel's symbol, the engine of sedghi, Gram iteration and LipBound, evaluates in float32
/// through the same code as in float64 (issue 11's generic numerics layer).
@Suite("Kernel spectrum in float32")
struct KernelSpectrumPrecisionTests {
    @Test("float32 symbols agree with float64 to float32 rounding, and so do their spectral norms",
          arguments: [(64, 32, 3, 8), (16, 48, 5, 12), (3, 3, 1, 4)])
    func float32AgreesWithFloat64(_ cout: Int, _ cin: Int, _ k: Int, _ n: Int) throws {
        let kernel = try ConvolutionKernel.random(
            shape: KernelShape(outputChannels: cout, inputChannels: cin, height: k, width: k), distribution: .normal, seed: 21)
        let grid = HalfFrequencyGrid(height: n, width: n)
        // A small chunk budget, so that several chunks are compared (float32 chunks hold twice
        // as many frequencies in the same bytes, so frequencies are compared, not chunks).
        let spectrum = KernelSpectrum(kernel: kernel, chunkBytes: 1 << 16)
        let entries = cout * cin
        var double: [Double] = [], single: [Float] = []
        var doubleChunks = 0, singleChunks = 0
        spectrum.forEachChunk(of: grid.frequencies) { _, count, matrices in
            double += matrices.interleaved.prefix(2 * count * entries)
            doubleChunks += 1
        }
        spectrum.forEachChunk(of: grid.frequencies, in: Float.self) { _, count, matrices in
            single += matrices.interleaved.prefix(2 * count * entries)
            singleChunks += 1
        }
        #expect(double.count == 2 * entries * grid.frequencies.count && single.count == double.count)
        #expect(doubleChunks >= singleChunks && singleChunks >= 1)
        let scale = double.map(abs).max() ?? 1
        let worst = zip(double, single).map { abs($0 - Double($1)) }.max() ?? 0
        // k² products of float32 values, each within 2⁻²⁴ relative: a few ulps of the largest entry.
        #expect(worst <= 2e-6 * scale, "largest difference \(worst) against entries up to \(scale)")
        // The spectral norm of the circular operator (sedghi's value) in both precisions.
        var largestDouble = 0.0, largestFloat: Float = 0
        spectrum.forEachChunk(of: grid.frequencies) { _, count, matrices in
            for f in 0..<count {
                largestDouble = max(largestDouble, try! LAPACK.complexSingularValues(rows: cout, columns: cin, elements: matrices, offset: f * entries)[0])
            }
        }
        spectrum.forEachChunk(of: grid.frequencies, in: Float.self) { _, count, matrices in
            for f in 0..<count {
                largestFloat = max(largestFloat, try! LAPACK.complexSingularValues(rows: cout, columns: cin, elements: matrices, offset: f * entries)[0])
            }
        }
        #expect(abs(Double(largestFloat) - largestDouble) <= 1e-5 * largestDouble, "\(largestFloat) vs \(largestDouble)")
        #expect(Double(largestFloat) != largestDouble, "float32 must actually round")
    }
}
