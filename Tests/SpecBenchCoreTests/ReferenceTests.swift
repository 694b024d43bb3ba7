import Testing
import NumericCore
import SpecBenchCore
import TestSupport

@Suite("The exact reference")
struct ReferenceTests {
    let reference = ExactReference()

    func norm(_ op: ConvolutionOperator<Double>, tier: ReferenceTier? = nil) throws -> Double {
        try reference.topSingularValues(of: op, count: 1, seed: 1, forcing: tier).values[0]
    }

    @Test("a 1×1 kernel gives the channel matrix's norm, for every padding, stride and n")
    func oneByOne() throws {
        // diag-like channel matrix [[3, 0], [0, −5], [0, 0]]: norm 5; a shear: the golden ratio.
        let cases: [(Int, Int, [Double], Double)] = [
            (3, 2, [3, 0, 0, -5, 0, 0], 5),
            (2, 2, [1, 1, 0, 1], (1 + 5.0.squareRoot()) / 2),
            (1, 3, [2, 3, 6], 7),
        ]
        for (cout, cin, values, expected) in cases {
            let kernel = Fixtures.kernel(cout, cin, 1, 1, values: values)
            for padding in Padding.allCases {
                for (n, stride) in [(1, 1), (4, 1), (4, 2), (6, 3), (5, 1)] where padding == .zero || n % stride == 0 {
                    let op = Fixtures.convolution(kernel, n: n, padding: padding, stride: stride)
                    #expect(Fixtures.isClose(try norm(op), expected, relative: 1e-13), "\(padding) n=\(n) s=\(stride)")
                }
            }
        }
    }

    @Test("a single-channel delta kernel has norm 1")
    func delta() throws {
        for (k, position) in [(1, 0), (3, 4), (3, 0), (2, 3), (5, 7)] {
            var values = [Double](repeating: 0, count: k * k)
            values[position] = 1
            let kernel = Fixtures.kernel(1, 1, k, k, values: values)
            for padding in [Padding.zero, .circular] {
                for stride in [1, 2] {
                    let op = Fixtures.convolution(kernel, n: 6, padding: padding, stride: stride)
                    #expect(Fixtures.isClose(try norm(op), 1, relative: 1e-13), "k=\(k) at \(position), \(padding), s=\(stride)")
                }
            }
        }
        // Reflect and replicate padding copy pixels (docs/methods.md §5): the corner delta of a
        // 3×3 kernel at pad 1 reads input row (column) 1 twice under reflect, 0 twice under
        // replicate, so its operator is the padding map itself with norm √2 per axis, 2 in all.
        let corner = Fixtures.kernel(1, 1, 3, 3, values: [1, 0, 0, 0, 0, 0, 0, 0, 0])
        for padding in [Padding.reflect, .replicate] {
            let op = Fixtures.convolution(corner, n: 6, padding: padding)
            #expect(Fixtures.isClose(try norm(op), 2, relative: 1e-13), "\(padding)")
        }
    }

    @Test("scaling the kernel by c scales σ by |c|")
    func scaling() throws {
        let kernel = Fixtures.kernel(3, 2, 3, 3, seed: 7)
        let base = try norm(Fixtures.convolution(kernel, n: 5, padding: .zero))
        for factor in [-3.0, 0.5, 1e3] {
            let scaled = try norm(Fixtures.convolution(try kernel.scaled(by: factor), n: 5, padding: .zero))
            #expect(Fixtures.isClose(scaled, abs(factor) * base, relative: 1e-13))
        }
    }

    @Test("the tier is chosen by the dense limit and the padding")
    func tierChoice() throws {
        let small = Fixtures.convolution(Fixtures.kernel(2, 2, 3, 3, seed: 1), n: 8, padding: .zero)
        #expect(reference.tier(for: small.geometry) == .dense)
        let limited = ExactReference(settings: .init(denseLimit: 64))
        #expect(limited.tier(for: small.geometry) == .plainLanczos)
        #expect(limited.tier(for: small.geometry, count: 3) == .restartedLanczos)
        #expect(try limited.topSingularValues(of: small, count: 1, seed: 0).tier == .plainLanczos)
        #expect(try limited.topSingularValues(of: small, count: 2, seed: 0).tier == .restartedLanczos)
        let circular = Fixtures.convolution(Fixtures.kernel(2, 2, 3, 3, seed: 1), n: 8, padding: .circular)
        #expect(limited.tier(for: circular.geometry) == .fftBlockSVD)
        #expect(try limited.topSingularValues(of: circular, count: 1, seed: 0).tier == .fftBlockSVD)
    }

    /// Cases where the dense tier and a large-operator tier both run.
    static let tierCases: [OperatorCase] = [
        OperatorCase(cout: 3, cin: 2, kh: 3, kw: 3, n: 6, stride: 1, padding: .circular, pad: nil, seed: 11),
        OperatorCase(cout: 2, cin: 3, kh: 2, kw: 2, n: 8, stride: 2, padding: .circular, pad: nil, seed: 12),
        OperatorCase(cout: 2, cin: 2, kh: 5, kw: 3, n: 6, stride: 3, padding: .circular, pad: 1, seed: 13),
        OperatorCase(cout: 1, cin: 1, kh: 7, kw: 7, n: 4, stride: 1, padding: .circular, pad: nil, seed: 14),
        OperatorCase(cout: 3, cin: 2, kh: 3, kw: 3, n: 6, stride: 1, padding: .zero, pad: nil, seed: 15),
        OperatorCase(cout: 2, cin: 3, kh: 4, kw: 2, n: 7, stride: 2, padding: .zero, pad: nil, seed: 16),
        OperatorCase(cout: 4, cin: 4, kh: 3, kw: 3, n: 6, stride: 1, padding: .zero, pad: 0, seed: 17),
        OperatorCase(cout: 2, cin: 2, kh: 1, kw: 1, n: 5, stride: 1, padding: .zero, pad: nil, seed: 18),
    ]

    @Test("fft-block-svd, restarted-lanczos and lanczos agree with the dense tier to 1e-10 (top-5), plain-lanczos (top-1)", arguments: tierCases)
    func tiersAgree(_ testCase: OperatorCase) throws {
        let op = testCase.convolution
        let dense = try reference.topSingularValues(of: op, count: 5, seed: 3, forcing: .dense)
        #expect(dense.tier == .dense)
        #expect(Fixtures.maxRelativeDifference(dense.values, Array(Fixtures.denseSingularValues(op).prefix(5))) == 0)
        // Every Lanczos tier is exact for any operator; check them on circular ones too.
        let others: [ReferenceTier] = (testCase.padding == .circular ? [.fftBlockSVD] : []) + [.restartedLanczos, .lanczos]
        for other in others {
            let answer = try reference.topSingularValues(of: op, count: 5, seed: 3, forcing: other)
            #expect(answer.tier == other)
            #expect(Fixtures.maxRelativeDifference(dense.values, answer.values) < 1e-10,
                    "dense \(dense.values) vs \(other.rawValue) \(answer.values)")
        }
        let top = try reference.topSingularValues(of: op, count: 1, seed: 3, forcing: .plainLanczos)
        #expect(top.tier == .plainLanczos)
        #expect(Fixtures.maxRelativeDifference([dense.values[0]], top.values) < 1e-10, "dense \(dense.values[0]) vs \(top.values)")
        if testCase.padding == .circular {
            // And every singular value, not only the top ones, from the block SVD.
            let all = try CircularSpectrum.singularValues(kernel: op.kernel, problem: CircularProblem(op.geometry), in: Double.self)
            #expect(Fixtures.maxRelativeDifference(Fixtures.denseSingularValues(op), all) < 1e-10)
        }
    }

    @Test("lanczos and restarted-lanczos find repeated singular values (1×1 kernel: each value n² times)",
          arguments: [ReferenceTier.lanczos, .restartedLanczos])
    func repeatedValues(_ tier: ReferenceTier) throws {
        let kernel = Fixtures.kernel(2, 2, 1, 1, values: [2, 0, 0, 1])
        let op = Fixtures.convolution(kernel, n: 3, padding: .zero)
        let answer = try reference.topSingularValues(of: op, count: 4, seed: 5, forcing: tier)
        #expect(Fixtures.maxRelativeDifference(answer.values, [2, 2, 2, 2]) < 1e-10, "\(answer.values)")
        // The top value alone: the Krylov space of a two-valued operator is invariant after two
        // steps, and the recurrence stops there with the exact value.
        let top = try reference.topSingularValues(of: op, count: 1, seed: 5, forcing: .plainLanczos)
        #expect(Fixtures.isClose(top.values[0], 2, relative: 1e-13), "\(top.values)")
    }

    @Test("plain-lanczos equals the dense reference to 1e-10 on 40 seeded random kernels (tall, wide, strided, padded)")
    func plainLanczosProperty() throws {
        var generator = SeededGenerator(seed: 2026, stream: "plain-lanczos-property")
        for index in 0..<40 {
            let cout = 1 + Int(generator.next() % 6), cin = 1 + Int(generator.next() % 6)
            let size = [1, 2, 3, 5][Int(generator.next() % 4)]
            let n = size + Int(generator.next() % 6)
            let stride = 1 + Int(generator.next() % 2)
            let kernel = Fixtures.kernel(cout, cin, size, size, seed: UInt64(100 + index))
            let op = Fixtures.convolution(kernel, n: n, padding: .zero, stride: stride)
            let dense = Fixtures.denseSingularValues(op)[0]
            let answer = try reference.topSingularValues(of: op, count: 1, seed: UInt64(index), forcing: .plainLanczos)
            #expect(Fixtures.isClose(answer.values[0], dense, relative: 1e-10),
                    "\(cout)×\(cin)×\(size)×\(size) n=\(n) s=\(stride): \(answer.values[0]) vs dense \(dense)")
            #expect((answer.relativeResidual ?? 1) <= 1e-12)
        }
    }

    @Test("above the dense limit the three Lanczos tiers agree to 1e-10 (a second tier checks the first)")
    func lanczosTiersAgreeAboveDenseLimit() throws {
        // 8 channels at n = 24: the unrolled matrix would be 4608 × 4608, above the dense limit.
        let op = Fixtures.convolution(Fixtures.kernel(8, 8, 3, 3, seed: 41), n: 24, padding: .zero)
        #expect(reference.tier(for: op.geometry) == .plainLanczos)
        let plain = try reference.topSingularValues(of: op, count: 1, seed: 1)
        let restarted = try reference.topSingularValues(of: op, count: 3, seed: 2)
        let full = try reference.topSingularValues(of: op, count: 3, seed: 3, forcing: .lanczos)
        #expect(Fixtures.maxRelativeDifference(restarted.values, full.values) < 1e-10, "\(restarted.values) vs \(full.values)")
        #expect(Fixtures.isClose(plain.values[0], full.values[0], relative: 1e-10), "\(plain.values) vs \(full.values)")
    }

    @Test("top-k beyond the operator's rank is refused")
    func topKRange() {
        let op = Fixtures.convolution(Fixtures.kernel(1, 1, 3, 3, seed: 1), n: 2, padding: .zero)
        #expect(throws: InvalidInput.self) { try reference.topSingularValues(of: op, count: 5, seed: 0) }
        #expect(throws: InvalidInput.self) { try reference.topSingularValues(of: op, count: 0, seed: 0) }
    }
}
