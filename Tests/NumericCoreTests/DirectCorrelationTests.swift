import Testing
@testable import NumericCore
import SpecBenchCore
import TestSupport

/// The direct correlation's bands of output rows (one per worker of the thread budget): every
/// split gives the same values, bit for bit, as one band, and one band gives the correlation
/// computed by hand from its definition. The test process does not share work, so the bands run
/// one after the other here; `bench` runs them side by side.
@Suite("Direct correlation")
struct DirectCorrelationTests {
    @Test("bands of rows: the same values, bit for bit, and the definition's", arguments: [1, 2, 3, 7])
    func bands(_ bands: Int) throws {
        try #require(DirectCorrelation<Double>.isAvailable, "needs AVX-512")
        let (cout, cin, kh, kw, n) = (18, 5, 3, 2, 11)
        var generator = SeededGenerator(seed: 7, stream: "direct-bands")
        let weights = generator.normals(cout * cin * kh * kw)
        // Zero padding of 1 on top and left, 0 on the other sides; output n × n.
        let engine = DirectCorrelation<Double>(
            weights: weights, outputChannels: cout, inputChannels: cin, kernelHeight: kh, kernelWidth: kw,
            inputHeight: n, inputWidth: n, outputHeight: n, outputWidth: n,
            rowSource: { $0 - 1 }, columnSource: { $0 - 1 })
        let x = generator.normals(2 * cin * n * n)
        var banded = [Double](repeating: .nan, count: 2 * cout * n * n), workspace: [Double] = []
        engine.apply(x, count: 2, into: &banded, workspace: &workspace, bands: bands)
        var single = [Double](repeating: .nan, count: 2 * cout * n * n), fresh: [Double] = []
        engine.apply(x, count: 2, into: &single, workspace: &fresh, bands: 1)
        #expect(banded == single)
        var expected = [Double](repeating: 0, count: 2 * cout * n * n)
        for b in 0..<2 {
            for o in 0..<cout {
                for r in 0..<n {
                    for c in 0..<n {
                        var sum = 0.0
                        for i in 0..<cin {
                            for dy in 0..<kh {
                                for dx in 0..<kw {
                                    let u = r + dy - 1, v = c + dx - 1
                                    guard u >= 0, u < n, v >= 0, v < n else { continue }
                                    let weight: Double = weights[((o * cin + i) * kh + dy) * kw + dx]
                                    let input: Double = x[(b * cin + i) * n * n + u * n + v]
                                    sum += weight * input
                                }
                            }
                        }
                        expected[((b * cout + o) * n + r) * n + c] = sum
                    }
                }
            }
        }
        #expect(Fixtures.maxRelativeDifference(expected, banded) < 1e-14)
    }
}
