import Foundation
import Testing
import SpecBenchCore
import SpecBenchMethods
import TestSupport

/// The facts of docs/methods.md §4 as properties over seeded random kernels (120 kernels in all,
/// with the 60 of the operator facts in SpecBenchCoreTests).
@Suite("Facts of docs/methods.md §4 on the methods")
struct MethodFactsTests {
    /// Random small shapes: odd, even; cout ≠ cin mostly.
    static func shape(_ index: Int, odd: Bool = false) -> (cout: Int, cin: Int, k: Int) {
        var generator = SeededGenerator(seed: UInt64(index), stream: "method-fact-shapes")
        let k = odd ? [1, 3, 5][Int(generator.next() % 3)] : 1 + Int(generator.next() % 5)
        return (1 + Int(generator.next() % 4), 1 + Int(generator.next() % 4), k)
    }

    @Test("fact 1: sedghi equals the dense reference for circular padding, stride 1", arguments: 0..<20)
    func sedghiExact(_ index: Int) throws {
        let (cout, cin, k) = Self.shape(index)
        let op = Fixtures.convolution(Fixtures.kernel(cout, cin, k, k, seed: UInt64(2000 + index)), n: 3 + index % 4, padding: .circular)
        let all = Fixtures.denseSingularValues(op)
        let result = try outcome(SedghiMethod(), op, topK: min(4, all.count))
        #expect(Fixtures.maxRelativeDifference(result.values, Array(all.prefix(result.values.count))) < 1e-12)
    }

    @Test("fact 2: gram-circular lies in [σ_circ, σ_circ·r^(2^−(t+1))], non-increasing in t; t = 0 is the largest Frobenius norm",
          arguments: 0..<20)
    func gramCircularEnvelope(_ index: Int) throws {
        let (cout, cin, k) = Self.shape(index)
        let kernel = Fixtures.kernel(cout, cin, k, k, seed: UInt64(2100 + index))
        let n = 3 + index % 4
        let op = Fixtures.convolution(kernel, n: n, padding: .circular)
        let sigma = Fixtures.denseNorm(op)
        let r = Double(min(cin, cout))
        var previous = Double.infinity
        for t in 0...8 {
            let value = try outcome(GramCircularMethod(iterations: t), op).value
            #expect(value >= sigma * (1 - 1e-12), "t=\(t): \(value) < σ_circ \(sigma)")
            #expect(value <= sigma * pow(r, pow(2, -Double(t + 1))) * (1 + 1e-12), "t=\(t) above the envelope")
            #expect(value <= previous * (1 + 1e-12), "t=\(t) increased")
            previous = value
        }
        // t = 0: the largest Frobenius norm of K̂(ω) over the n×n DFT grid, summed directly here.
        var largest = 0.0
        for u in 0..<n {
            for v in 0..<n {
                var total = 0.0
                for o in 0..<cout {
                    for i in 0..<cin {
                        var re = 0.0, im = 0.0
                        for dy in 0..<k {
                            for dx in 0..<k {
                                let angle = 2 * Double.pi * Double(u * dy + v * dx) / Double(n)
                                re += kernel[o, i, dy, dx] * cos(angle)
                                im -= kernel[o, i, dy, dx] * sin(angle)
                            }
                        }
                        total += re * re + im * im
                    }
                }
                largest = max(largest, total.squareRoot())
            }
        }
        #expect(Fixtures.isClose(try outcome(GramCircularMethod(iterations: 0), op).value, largest, relative: 1e-12))
    }

    @Test("fact 5: σ_zero(n), σ_circ(n) ≤ σ_∞ ≤ TN ≤ FF; σ_∞ ≤ gram-zero; σ_∞ ≤ lipbound", arguments: 0..<30)
    func infiniteGridOrder(_ index: Int) throws {
        let (cout, cin, k) = Self.shape(index, odd: true)
        let kernel = Fixtures.kernel(cout, cin, k, k, seed: UInt64(2200 + index))
        let infinite = InfiniteGridNorm.norm(kernel)
        let slack = 1 + 1e-9
        for n in [2, 5, 8] {
            let zero = Fixtures.denseNorm(Fixtures.convolution(kernel, n: n, padding: .zero))
            let circular = Fixtures.denseNorm(Fixtures.convolution(kernel, n: n, padding: .circular))
            #expect(zero <= infinite * slack, "σ_zero(\(n)) = \(zero) > σ_∞ = \(infinite)")
            #expect(circular <= infinite * slack, "σ_circ(\(n)) = \(circular) > σ_∞ = \(infinite)")
        }
        let op = Fixtures.convolution(kernel, n: 5, padding: .zero)
        let tensorNorm = try outcome(TensorNormMethod(iterations: 500, restarts: 10), op).value
        let fantasticFour = try outcome(FantasticFourMethod(exact: true), op).value
        let gramZero = try outcome(GramZeroMethod(iterations: 4), op).value
        let lipBound = try outcome(LipBoundMethod(), op).value
        #expect(infinite <= tensorNorm * slack, "σ_∞ = \(infinite) > TN = \(tensorNorm)")
        #expect(tensorNorm <= fantasticFour * slack, "TN = \(tensorNorm) > FF = \(fantasticFour)")
        #expect(infinite <= gramZero * slack, "σ_∞ = \(infinite) > gram-zero = \(gramZero)")
        #expect(infinite <= lipBound * slack, "σ_∞ = \(infinite) > lipbound = \(lipBound)")
    }

    @Test("gram-zero approaches σ_∞ from above as t grows")
    func gramZeroConverges() throws {
        for seed: UInt64 in 2300..<2305 {
            let kernel = Fixtures.kernel(2, 3, 3, 3, seed: seed)
            let infinite = InfiniteGridNorm.norm(kernel)
            let op = Fixtures.convolution(kernel, n: 4, padding: .zero)
            let values = try (1...8).map { try outcome(GramZeroMethod(iterations: $0), op).value }
            for value in values { #expect(value >= infinite * (1 - 1e-10)) }
            #expect(values[7] <= values[0])
            #expect(values[7] <= infinite * 1.02, "t = 8 should be within 2% of σ_∞: \(values[7]) vs \(infinite)")
        }
    }

    @Test("fact 7: for a 1×1 kernel, FF and TN are exact and lipbound is the Frobenius norm", arguments: 0..<15)
    func oneByOne(_ index: Int) throws {
        let (cout, cin, _) = Self.shape(index)
        let kernel = Fixtures.kernel(cout, cin, 1, 1, seed: UInt64(2400 + index))
        let norm = Fixtures.matrixNorm(rows: cout, columns: cin, kernel.values)
        let op = Fixtures.convolution(kernel, n: 3, padding: index % 2 == 0 ? .zero : .circular)
        #expect(Fixtures.isClose(try outcome(FantasticFourMethod(exact: true), op).value, norm, relative: 1e-12))
        #expect(Fixtures.isClose(try outcome(TensorNormMethod(iterations: 500), op).value, norm, relative: 1e-9))
        #expect(Fixtures.isClose(try outcome(LipBoundMethod(), op).value, kernel.frobeniusNorm, relative: 1e-12))
    }

    @Test("fact 8: power-iteration and powerqr never exceed the exact value", arguments: 0..<20)
    func rayleighBelow(_ index: Int) throws {
        let (cout, cin, k) = Self.shape(index)
        let padding: Padding = index % 2 == 0 ? .zero : .circular
        let op = Fixtures.convolution(Fixtures.kernel(cout, cin, k, k, seed: UInt64(2500 + index)), n: 4, padding: padding,
                                      stride: 1 + index % 2)
        let sigma = Fixtures.denseNorm(op)
        for iterations in [1, 5, 50, 500] {
            #expect(try outcome(PowerIterationMethod(iterations: iterations), op).value <= sigma * (1 + 1e-12))
            #expect(try outcome(PowerQRMethod(k: 2, iterations: iterations), op).value <= sigma * (1 + 1e-12))
        }
    }

    @Test("fact 9: scaling K by c scales every method's value by |c|", arguments: 0..<15)
    func scaling(_ index: Int) throws {
        let (cout, cin, k) = Self.shape(index, odd: true)
        let kernel = Fixtures.kernel(cout, cin, k, k, seed: UInt64(2600 + index))
        var generator = SeededGenerator(seed: UInt64(index), stream: "scale")
        let factor = (generator.nextUniform() - 0.5) * 40
        let padding: Padding = index % 2 == 0 ? .zero : .circular
        let op = Fixtures.convolution(kernel, n: 4, padding: padding)
        let scaled = Fixtures.convolution(try kernel.scaled(by: factor), n: 4, padding: padding)
        let methods: [any SpectralNormMethod] = [
            PowerIterationMethod(), GramCircularMethod(), GramZeroMethod(), SedghiMethod(),
            LipBoundMethod(), FantasticFourMethod(), FantasticFourMethod(exact: true), TensorNormMethod(),
        ]
        for method in methods {
            let base = try outcome(method, op).value
            let value = try outcome(method, scaled).value
            #expect(Fixtures.isClose(value, abs(factor) * base, relative: 1e-9), "\(type(of: method).id)")
        }
        // PowerQR iterates X + AᵀA·X: the identity shift does not scale with K, so its iterates
        // (not its limit) depend on the scale. Compare converged runs.
        let base = try outcome(PowerQRMethod(iterations: 5000), op).value
        let value = try outcome(PowerQRMethod(iterations: 5000), scaled).value
        #expect(Fixtures.isClose(value, abs(factor) * base, relative: 1e-7), "powerqr, converged")
    }
}
