import Foundation
import Testing
import SpecBenchCore
import SpecBenchMethods
import TestSupport

/// The authors' computations, written here independently from docs/methods.md §2 (plain loops, no
/// FFT, no BLAS), and the methods' defaults checked against them.
enum AuthorsComputations {
    /// A 4-D array `(a, b, h, w)`, row-major.
    struct Tensor {
        var a, b, h, w: Int
        var values: [Double]
        subscript(i: Int, j: Int, y: Int, x: Int) -> Double {
            get { values[((i * b + j) * h + y) * w + x] }
            set { values[((i * b + j) * h + y) * w + x] = newValue }
        }
    }

    /// PyTorch's `conv2d(input, weight, padding)` (cross-correlation), input `(B, C, H, W)`,
    /// weight `(O, C, kh, kw)`, output `(B, O, H + 2p − kh + 1, W + 2p − kw + 1)`.
    static func conv2d(_ input: Tensor, _ weight: Tensor, padding p: Int) -> Tensor {
        let outH = input.h + 2 * p - weight.h + 1, outW = input.w + 2 * p - weight.w + 1
        var out = Tensor(a: input.a, b: weight.a, h: outH, w: outW, values: .init(repeating: 0, count: input.a * weight.a * outH * outW))
        for batch in 0..<input.a {
            for o in 0..<weight.a {
                for y in 0..<outH {
                    for x in 0..<outW {
                        var sum = 0.0
                        for c in 0..<input.b {
                            for u in 0..<weight.h {
                                let row = y + u - p
                                guard row >= 0 && row < input.h else { continue }
                                for v in 0..<weight.w {
                                    let column = x + v - p
                                    guard column >= 0 && column < input.w else { continue }
                                    sum += input[batch, c, row, column] * weight[o, c, u, v]
                                }
                            }
                        }
                        out[batch, o, y, x] = sum
                    }
                }
            }
        }
        return out
    }

    /// `compute_delattre2024` as docs/methods.md §2 describes it: transpose when `cin > cout` (or, with
    /// `smallerSide`, when `cout ≥ cin`: the input side when equal), then `t` times normalise by the Frobenius norm and
    /// `kkt ← conv2d(kkt, kkt, padding = size − 1)`; the bound is the largest ℓ1 row sum to the
    /// power `2^−t` times the running scale.
    static func gramZero(_ kernel: ConvolutionKernel, iterations t: Int, smallerSide: Bool = false) -> Double {
        let s = kernel.shape
        let transpose = smallerSide ? s.outputChannels >= s.inputChannels : s.inputChannels > s.outputChannels
        var kkt = Tensor(a: transpose ? s.inputChannels : s.outputChannels, b: transpose ? s.outputChannels : s.inputChannels,
                         h: s.height, w: s.width, values: .init(repeating: 0, count: s.count))
        for o in 0..<s.outputChannels {
            for i in 0..<s.inputChannels {
                for y in 0..<s.height {
                    for x in 0..<s.width {
                        if transpose { kkt[i, o, y, x] = kernel[o, i, y, x] } else { kkt[o, i, y, x] = kernel[o, i, y, x] }
                    }
                }
            }
        }
        var logScale = 0.0
        for _ in 0..<t {
            let norm = kkt.values.reduce(0) { $0 + $1 * $1 }.squareRoot()
            kkt.values = kkt.values.map { $0 / norm }
            logScale = 2 * (logScale + log(norm))
            kkt = conv2d(kkt, kkt, padding: kkt.w - 1)
        }
        let inversePower = pow(2, -Double(t))
        var best = 0.0
        for i in 0..<kkt.a {
            var sum = 0.0
            for j in 0..<kkt.b { for y in 0..<kkt.h { for x in 0..<kkt.w { sum += abs(kkt[i, j, y, x]) } } }
            best = max(best, pow(sum, inversePower))
        }
        return best * exp(logScale * inversePower)
    }

    /// The LipBound formulas of docs/methods.md §2 evaluated directly: `K̂(ω)` by summing the taps
    /// (`InfiniteGridNorm.symbol`, no FFT, no BLAS) on
    /// the grid `linspace(0, 2π, n_s)` (endpoint included), `α = 1/(1 − (k − 1)/n_s)`, rows on the
    /// smaller channel side. `v1 = α·√(Σ_i max_ω Σ_j |f_ij|²)`, `v2 = α·max_ω ‖K̂(ω)‖_F`.
    static func lipBound(_ kernel: ConvolutionKernel, samples: Int) -> (v1: Double, v2: Double) {
        let s = kernel.shape
        let k = s.height
        let alpha = 1 / (1 - Double(k - 1) / Double(samples))
        let rowsAreOutputs = s.outputChannels <= s.inputChannels
        var rowMaxima = [Double](repeating: 0, count: min(s.outputChannels, s.inputChannels))
        var largestFrobenius = 0.0
        for a in 0..<samples {
            for b in 0..<samples {
                let w1 = 2 * Double.pi * Double(a) / Double(samples - 1)
                let w2 = 2 * Double.pi * Double(b) / Double(samples - 1)
                let symbol = InfiniteGridNorm.symbol(kernel, w1, w2)
                var rows = [Double](repeating: 0, count: rowMaxima.count)
                for o in 0..<s.outputChannels {
                    for i in 0..<s.inputChannels {
                        let re = symbol[2 * (o * s.inputChannels + i)], im = symbol[2 * (o * s.inputChannels + i) + 1]
                        rows[rowsAreOutputs ? o : i] += re * re + im * im
                    }
                }
                largestFrobenius = max(largestFrobenius, rows.reduce(0, +).squareRoot())
                for r in rows.indices { rowMaxima[r] = max(rowMaxima[r], rows[r]) }
            }
        }
        return (alpha * rowMaxima.reduce(0, +).squareRoot(), alpha * largestFrobenius)
    }
}

@Suite("Defaults equal the authors' computations (docs/methods.md §2)")
struct AuthorsFidelityTests {
    /// cout < cin, cout > cin, cout = cin; k = 1, 2, 3.
    static let shapes: [(cout: Int, cin: Int, k: Int)] = [
        (2, 3, 3), (3, 2, 3), (3, 3, 3), (1, 4, 2), (4, 1, 2), (2, 2, 2), (2, 5, 1), (3, 3, 1),
    ]

    @Test("gram-zero equals the authors' spatial iteration (larger side) to 1e-9", arguments: 0..<shapes.count)
    func gramZeroMatchesSpatialIteration(_ index: Int) throws {
        let shape = Self.shapes[index]
        let kernel = Fixtures.kernel(shape.cout, shape.cin, shape.k, shape.k, seed: UInt64(7000 + index))
        let op = Fixtures.convolution(kernel, n: 6, padding: .zero)
        for t in 1...(shape.k == 3 ? 4 : 5) {
            let ours = try outcome(GramZeroMethod(iterations: t), op).value
            let authors = AuthorsComputations.gramZero(kernel, iterations: t)
            #expect(Fixtures.isClose(ours, authors, relative: 1e-9), "t=\(t): ours \(ours) vs authors \(authors)")
            let smaller = try outcome(GramZeroMethod(iterations: t, side: .smaller), op).value
            let spatialSmaller = AuthorsComputations.gramZero(kernel, iterations: t, smallerSide: true)
            #expect(Fixtures.isClose(smaller, spatialSmaller, relative: 1e-9), "side smaller, t=\(t)")
        }
    }

    @Test("the two gram-zero sides are different numbers on multi-channel kernels (the test above can tell them apart)")
    func gramZeroSidesDiffer() throws {
        var differences: [Double] = []
        for (index, shape) in Self.shapes.enumerated() where shape.cout > 1 && shape.cin > 1 {
            let kernel = Fixtures.kernel(shape.cout, shape.cin, max(shape.k, 2), max(shape.k, 2), seed: UInt64(7100 + index))
            let op = Fixtures.convolution(kernel, n: 6, padding: .zero)
            let larger = try outcome(GramZeroMethod(iterations: 2), op).value
            let smaller = try outcome(GramZeroMethod(iterations: 2, side: .smaller), op).value
            differences.append(abs(larger - smaller) / larger)
        }
        #expect(differences.contains { $0 > 1e-4 }, "\(differences)")
    }

    @Test("lipbound v1 and v2 equal a direct evaluation of their formulas to 1e-9", arguments: 0..<6)
    func lipBoundMatchesFormulas(_ index: Int) throws {
        let shapes: [(Int, Int, Int)] = [(2, 3, 3), (3, 2, 3), (3, 3, 3), (2, 4, 5), (4, 2, 1), (1, 1, 3)]
        let (cout, cin, k) = shapes[index]
        let kernel = Fixtures.kernel(cout, cin, k, k, seed: UInt64(7200 + index))
        let op = Fixtures.convolution(kernel, n: 8, padding: .zero)
        for samples in [k + 2, 13, 50] {
            let direct = AuthorsComputations.lipBound(kernel, samples: samples)
            let v1 = try outcome(LipBoundMethod(samples: samples, version: .v1), op).value
            let v2 = try outcome(LipBoundMethod(samples: samples, version: .v2), op).value
            #expect(Fixtures.isClose(v1, direct.v1, relative: 1e-9), "v1, n_s=\(samples): \(v1) vs \(direct.v1)")
            #expect(Fixtures.isClose(v2, direct.v2, relative: 1e-9), "v2, n_s=\(samples): \(v2) vs \(direct.v2)")
        }
        #expect(try outcome(LipBoundMethod(), op).value == (try outcome(LipBoundMethod(version: .v1), op).value), "v1 is the default")
    }

    @Test("lipbound v1 ≥ v2 on every kernel, and both ≥ σ_∞", arguments: 0..<40)
    func lipBoundVersionsOrdered(_ index: Int) throws {
        let (cout, cin, k) = MethodFactsTests.shape(index, odd: true)
        let kernel = Fixtures.kernel(cout, cin, k, k, seed: UInt64(7300 + index))
        let op = Fixtures.convolution(kernel, n: 6, padding: index % 2 == 0 ? .zero : .circular)
        let v1 = try outcome(LipBoundMethod(version: .v1), op).value
        let v2 = try outcome(LipBoundMethod(version: .v2), op).value
        #expect(v1 >= v2 * (1 - 1e-12), "v1 \(v1) < v2 \(v2)")
        let infinite = InfiniteGridNorm.norm(kernel)
        #expect(v2 >= infinite * (1 - 1e-6), "v2 \(v2) < σ_∞ \(infinite)")
    }

    @Test("grids with n_s ≤ k + 1 are refused with the reason; δ₀ − δ_{k−1} shows why", arguments: [1, 3, 5, 7])
    func lipBoundRefusesCoarseGrids(_ k: Int) throws {
        let shape = KernelShape(outputChannels: 1, inputChannels: 1, height: k, width: k)
        let geometry = try ConvolutionGeometry(shape: shape, inputSize: 8, padding: .zero)
        for samples in 2...(k + 1) {
            guard case .notApplicable(let reason) = LipBoundMethod(samples: samples).applicability(to: geometry) else {
                Issue.record("n_s = \(samples) must be refused for k = \(k)")
                continue
            }
            #expect(reason.contains("lipbound.samples = \(samples)") && reason.contains("samples ≥ \(k + 2)"), "\(reason)")
        }
        #expect(LipBoundMethod(samples: k + 2).applicability(to: geometry) == .applies(.upper))
        guard k > 1 else { return }
        // K = δ₀ − δ_{k−1} (along the diagonal): σ_∞ = 2, but at n_s = k every grid point gives 0.
        var values = [Double](repeating: 0, count: k * k)
        values[0] = 1
        values[k * k - 1] = -1
        let kernel = Fixtures.kernel(1, 1, k, k, values: values)
        #expect(AuthorsComputations.lipBound(kernel, samples: k).v2 < 1e-12)
        #expect(Fixtures.isClose(InfiniteGridNorm.norm(kernel), 2, relative: 1e-6))
    }
}
