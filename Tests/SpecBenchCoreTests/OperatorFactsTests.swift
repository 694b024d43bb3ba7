import Testing
import SpecBenchCore
import TestSupport

/// docs/methods.md §4 facts 4, 7, 9 and 10, as properties over seeded random kernels, checked with the
/// dense reference.
@Suite("Facts of docs/methods.md §4 on the exact reference")
struct OperatorFactsTests {
    /// 60 seeded random kernels with odd, even and rectangular shapes.
    static let kernels: [(seed: UInt64, cout: Int, cin: Int, kh: Int, kw: Int)] = (0..<60).map { index in
        var generator = SeededGenerator(seed: UInt64(index), stream: "fact-shapes")
        let cout = 1 + Int(generator.next() % 3)
        let cin = 1 + Int(generator.next() % 3)
        let kh = 1 + Int(generator.next() % 4)
        let kw = index % 3 == 0 ? 1 + Int(generator.next() % 4) : kh
        return (UInt64(1000 + index), cout, cin, kh, kw)
    }

    @Test("fact 4: for stride 1, σ_zero(n) ≤ σ_circ(N) for every N ≥ n + k − 1")
    func zeroBelowLargerCircular() throws {
        for spec in Self.kernels {
            let kernel = Fixtures.kernel(spec.cout, spec.cin, spec.kh, spec.kw, seed: spec.seed)
            let n = 3 + Int(spec.seed % 3)
            let zero = Fixtures.denseNorm(Fixtures.convolution(kernel, n: n, padding: .zero))
            let smallest = n + max(spec.kh, spec.kw) - 1
            for big in [smallest, smallest + 1, smallest + 3] {
                let circular = try CircularSpectrum.singularValues(kernel: kernel, inputSize: big, stride: 1, top: 1)[0]
                #expect(zero <= circular * (1 + 1e-12), "seed \(spec.seed): σ_zero(\(n)) = \(zero) > σ_circ(\(big)) = \(circular)")
            }
        }
    }

    @Test("fact 7: a 1×1 kernel gives ‖K[:, :, 0, 0]‖₂ for every padding and n")
    func oneByOneKernels() {
        for spec in Self.kernels {
            let kernel = Fixtures.kernel(spec.cout, spec.cin, 1, 1, seed: spec.seed)
            let expected = Fixtures.matrixNorm(rows: spec.cout, columns: spec.cin, kernel.values)
            for padding in Padding.allCases {
                let n = 1 + Int(spec.seed % 4)
                let value = Fixtures.denseNorm(Fixtures.convolution(kernel, n: n, padding: padding))
                #expect(Fixtures.isClose(value, expected, relative: 1e-12))
            }
        }
    }

    @Test("fact 9: scaling K by c scales σ by |c|")
    func scaling() throws {
        for spec in Self.kernels {
            let kernel = Fixtures.kernel(spec.cout, spec.cin, spec.kh, spec.kw, seed: spec.seed)
            var generator = SeededGenerator(seed: spec.seed, stream: "scale")
            let factor = (generator.nextUniform() - 0.5) * 20
            let padding: Padding = spec.seed % 2 == 0 ? .zero : .circular
            let base = Fixtures.denseNorm(Fixtures.convolution(kernel, n: 4, padding: padding))
            let scaled = Fixtures.denseNorm(Fixtures.convolution(try kernel.scaled(by: factor), n: 4, padding: padding))
            #expect(Fixtures.isClose(scaled, abs(factor) * base, relative: 1e-12))
        }
    }

    @Test("fact 10: a strided operator's norm is at most the stride-1 norm")
    func strideSubsamples() {
        for spec in Self.kernels {
            let kernel = Fixtures.kernel(spec.cout, spec.cin, spec.kh, spec.kw, seed: spec.seed)
            for padding in Padding.allCases {
                let n = 6
                let full = Fixtures.denseNorm(Fixtures.convolution(kernel, n: n, padding: padding))
                for stride in [2, 3] {
                    let strided = Fixtures.denseNorm(Fixtures.convolution(kernel, n: n, padding: padding, stride: stride))
                    #expect(strided <= full * (1 + 1e-12), "seed \(spec.seed) \(padding) s=\(stride): \(strided) > \(full)")
                }
            }
        }
    }
}
