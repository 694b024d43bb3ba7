import Testing
import SpecBenchCore
import SpecBenchMethods
import TestSupport

@Suite("Convergence of the iterative methods")
struct ConvergenceTests {
    static let operators: [ConvolutionOperator<Double>] = (0..<8).map { (index: Int) -> ConvolutionOperator<Double> in
        let padding: Padding = index % 2 == 0 ? .zero : .circular
        let stride = index % 4 < 2 ? 1 : 2
        let kernel = Fixtures.kernel(3, 4, 3, 3, seed: UInt64(3000 + index))
        return Fixtures.convolution(kernel, n: 6, padding: padding, stride: stride)
    }

    @Test("power-iteration and powerqr: the error after 200 iterations is no larger than after 20, and small",
          arguments: 0..<8)
    func iterativeErrorShrinks(_ index: Int) throws {
        let op = Self.operators[index]
        let sigma = Fixtures.denseNorm(op)
        let makers: [(Int) -> any SpectralNormMethod] = [
            { PowerIterationMethod(iterations: $0) }, { PowerQRMethod(iterations: $0) },
        ]
        for make in makers {
            let early = abs(try outcome(make(20), op).value - sigma) / sigma
            let late = abs(try outcome(make(200), op).value - sigma) / sigma
            #expect(late <= early * (1 + 1e-9) + 1e-15, "error after 200 (\(late)) above after 20 (\(early))")
            // Zero-padded operators have close top singular values; under 1 % is what 200 steps give.
            #expect(late < 1e-2, "error after 200 iterations: \(late)")
        }
    }

    @Test("gram-circular decreases with t toward σ_circ", arguments: 0..<8)
    func gramDecreases(_ index: Int) throws {
        let op = Fixtures.convolution(Self.operators[index].kernel, n: 6, padding: .circular)
        let sigma = Fixtures.denseNorm(op)
        let values = try (0...10).map { try outcome(GramCircularMethod(iterations: $0), op).value }
        for (a, b) in zip(values, values.dropFirst()) { #expect(b <= a * (1 + 1e-12)) }
        #expect(Fixtures.isClose(values[10], sigma, relative: 1e-9), "t = 10: \(values[10]) vs \(sigma)")
    }
}
