import Foundation
import ComplexModule
import NumericCore
import SpecBenchCore

/// `gram-zero`: the zero-padding Gram iteration of Delattre, Barthélemy & Allauzen 2024
/// ("Spectral norm of convolutional layers with circular and zero paddings"): Gram iteration on
/// the kernel's self-correlation with an ℓ1 row-sum bound.
///
/// After `t` steps the iterate is the kernel `L_t` of `(CᴴC)^{2^{t−1}}`, `C` the convolution on
/// the infinite grid; `L_t` is Hermitian positive semi-definite, so `σ_∞^{2^t} = ‖L_t‖₂ ≤
/// max_i Σ_{j,δ} |L_t[i, j, δ]|` (the ℓ1 row sums of the infinite block-Toeplitz matrix). Since the
/// zero-padded, circular and strided operators are all compressions of `C`, the bound is `upper`
/// for every operator (docs/methods.md §3).
///
/// The authors (`compute_delattre2024`) transpose the kernel when `cin > cout` and iterate
/// `kkt ← conv2d(kkt, kkt, padding = size − 1)` in the spatial domain, so their Gram is on the
/// LARGER channel side (the output side when equal); their form needs ~144 GB at 6 iterations
/// for c = 16, k = 3. Here (docs/methods.md §2) the same iterate is formed per frequency,
/// `L̂_t(ω) = (K̂(ω)K̂(ω)ᴴ)^{2^{t−1}}` on that side (`side: larger`, the default), on a linear
/// (non-wrapping) DFT grid of side `2^t·(k − 1) + 1`, which holds `L_t`'s whole support, with the
/// running scale in logarithms; only the final row sums go back to the spatial domain, one
/// inverse real FFT per channel pair `i ≤ j` (`L_t[j, i, δ] = L_t[i, j, −δ]`). Same numbers as
/// the authors' iteration to rounding (tested against a spatial implementation).
///
/// Variant `side: smaller` (ours, never the default): the Gram on `min(cout, cin)`, the input side
/// when equal. Also a valid upper bound, and cheaper on unbalanced layers, but a different number
/// (docs/fidelity.md gives the measured difference).
///
/// Cost O(N²·(cout·cin·k² + t·c³) + c²·N²·log N) with `N = 2^t(k − 1) + 1`, `c` the chosen side
/// (`max(cout, cin)` by default); memory `c(c+1)/2 · N(N/2 + 1)` complex numbers (c = 64, k = 3,
/// t = 6: 279 MB).
public struct GramZeroMethod: SpectralNormMethod {
    /// Gram steps `t ≥ 1` (default 4).
    public static let iterationsParameter = MethodParameter(
        "iterations", default: 4, accepted: 1...12, meaning: "Gram steps t")
    /// The channel side of the Gram matrices (default `larger`, the authors').
    public static let sideParameter = MethodParameter(
        "side", default: GramSide.larger,
        meaning: "larger: the authors' Gram on max(cout, cin); smaller: our cheaper variant on min(cout, cin)")

    public static let metadata = MethodMetadata(
        id: "gram-zero", citation: "Gram iteration, zero padding (Delattre, Barthélemy & Allauzen 2024)",
        summary: "Gram iteration on the kernel's self-correlation with ℓ1 row sums: an upper bound on σ_∞",
        parameters: [iterationsParameter.specification, sideParameter.specification],
        style: PlotStyle(color: "#006D4F", pointType: 8),
        validationVariants: [[:], ["side": "smaller"]])

    /// Gram steps `t ≥ 1`.
    public let iterations: Int
    /// The channel side of the Gram matrices.
    public let side: GramSide

    public init(parameters: inout ParameterReader, context: MethodContext) throws {
        iterations = try parameters.read(Self.iterationsParameter)
        side = try parameters.read(Self.sideParameter)
    }

    /// A method with explicit parameters.
    public init(iterations: Int = iterationsParameter.defaultValue, side: GramSide = sideParameter.defaultValue) {
        self.iterations = iterations
        self.side = side
    }

    public var parameterValues: [String: String] {
        recordedValues(Self.iterationsParameter.recorded(iterations), Self.sideParameter.recorded(side))
    }

    /// The symbol on the `M × (M/2 + 1)` half grid (`M = gridSide`), `t` Hermitian products
    /// per frequency (the first from the other side), and one inverse real FFT of `M × M` per
    /// channel pair `i ≤ j`.
    public func operationCount(on geometry: ConvolutionGeometry, context: MethodContext, outcome: MethodOutcome) -> OperationCount {
        let shape = geometry.shape
        let height = Self.gridSide(taps: shape.height, iterations: iterations)
        let width = Self.gridSide(taps: shape.width, iterations: iterations)
        let frequencies = height * (width / 2 + 1)
        let side = side.order(rows: shape.outputChannels, columns: shape.inputChannels)
        let other = shape.outputChannels * shape.inputChannels / side
        let perFrequency = OperationCount.hermitianProduct(order: side, inner: other)
            + Double(iterations - 1) * .hermitianProduct(order: side, inner: side)
        let pairs = Double(side * (side + 1) / 2)
        return .kernelSymbol(frequencies: frequencies, taps: shape.taps, entries: shape.outputChannels * shape.inputChannels)
            + Double(frequencies) * perFrequency + pairs * .realTransform(height, width)
    }

    public func applicability(to geometry: ConvolutionGeometry) -> Applicability { .infiniteGridBound(on: geometry) }

    /// Side of the DFT grid along an axis with `taps` kernel taps after `t` steps: at least
    /// `2^t(k − 1) + 1`, the extent of `L_t`'s support, so that the inverse transform returns
    /// `L_t` without wrap-around; rounded up to the next size whose prime factors are all at
    /// most 13, where FFTW has straight-line codelets (a prime side such as 97, k = 7, t = 4,
    /// took a quarter of the method's time in FFTW's generic prime-size code). Sampling the
    /// symbol on a larger grid gives the same `L_t` to rounding.
    static func gridSide(taps: Int, iterations: Int) -> Int {
        var side = (1 << iterations) * (taps - 1) + 1
        while !isSmooth(side) { side += 1 }
        return side
    }

    /// Whether every prime factor of `value` is at most 13.
    private static func isSmooth(_ value: Int) -> Bool {
        var rest = value
        for prime in [2, 3, 5, 7, 11, 13] {
            while rest % prime == 0 { rest /= prime }
        }
        return rest == 1
    }

    /// Frequencies handed to one task of the per-frequency stage.
    private static let frequenciesPerTask = 8

    /// The upper triangle of every frequency's final iterate, `side·(side+1)/2` complex values
    /// per frequency of the `(2^t(k−1)+1)²` half grid (side = max(cout, cin) by default: 1.2 GiB
    /// at 512×512×3×3, t = 4), the per-frequency scales, the spectrum's chunk, one frequency's
    /// Gram iterates and the inverse FFT's buffers.
    public func memoryNeed(on geometry: ConvolutionGeometry, context: MethodContext) -> MemoryNeed {
        let shape = geometry.shape
        let height = Self.gridSide(taps: shape.height, iterations: iterations)
        let width = Self.gridSide(taps: shape.width, iterations: iterations)
        let frequencies = MemoryNeed.product([height, width / 2 + 1])
        let order = side.order(rows: shape.outputChannels, columns: shape.inputChannels)
        let pairs = MemoryNeed.product([order, order + 1]) / 2
        let precision = context.precision
        // Per worker: two Gram buffers and an inverse FFT's; per chunk: the tasks' triangles.
        let workers = ParallelWork.workers(for: Int(Int32.max))
        let chunk = min(frequencies, KernelSpectrum.chunkSize(
            shape: shape, chunkBytes: KernelSpectrum.defaultChunkBytes(shape: shape, precision: precision), precision: precision))
        let perWorker = 2 * .complexes(precision, max(order * order, shape.outputChannels * shape.inputChannels))
            + .complexes(precision, frequencies) + .reals(precision, 2, height, width)
        return .complexes(precision, pairs, frequencies) + .doubles(3, frequencies)
            + KernelSpectrum.memoryNeed(shape: shape, frequencies: frequencies, precision: precision)
            + .complexes(precision, pairs, chunk) + workers * perWorker
    }

    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    public func prepare<Scalar: LinearAlgebraScalar>(
        _ linearOperator: ConvolutionOperator<Scalar>, context: MethodContext
    ) throws -> any PreparedComputation {
        let shape = linearOperator.kernel.shape
        let t = iterations
        let height = Self.gridSide(taps: shape.height, iterations: t)
        let width = Self.gridSide(taps: shape.width, iterations: t)
        let grid = HalfFrequencyGrid(height: height, width: width)
        let spectrum = KernelSpectrum(kernel: linearOperator.kernel)
        // The plan of the one-worker case, made here (setup) rather than in the timed run.
        let inverse = RealInverseFFT2D<Scalar>(rows: height, columns: width)
        let gramSide = self.side
        return ClosureComputation {
            let side = gramSide.order(rows: shape.outputChannels, columns: shape.inputChannels)
            let pairs = side * (side + 1) / 2
            let frequencies = grid.frequencies.count
            let entries = shape.outputChannels * shape.inputChannels
            // L̂_t(ω) = e^{scale[ω]}·W(ω); W's upper triangle stored pair-major for the FFTs.
            var storage = ComplexBuffer<Scalar>(count: pairs * frequencies)
            var scales = [Double](repeating: -.infinity, count: frequencies)
            try spectrum.forEachChunk(of: grid.frequencies, in: Scalar.self) { first, count, matrices in
                // Tasks of a few frequencies each, side by side on the thread budget; each
                // returns its triangles pair-major so that storing them is a block copy.
                let tasks = (count + Self.frequenciesPerTask - 1) / Self.frequenciesPerTask
                let results = try ParallelWork.map(count: tasks) { task in
                    let start = task * Self.frequenciesPerTask
                    let width = min(Self.frequenciesPerTask, count - start)
                    var gram = GramIteration<Scalar>(rows: shape.outputChannels, columns: shape.inputChannels, firstSide: gramSide)
                    var triangles = ComplexBuffer<Scalar>(count: pairs * width)
                    var taskScales = [Double](repeating: 0, count: width)
                    for f in 0..<width {
                        gram.restart(from: matrices, offset: (start + f) * entries)
                        for _ in 0..<t { gram.step() }
                        taskScales[f] = gram.logScale
                        triangles.assignUpperTriangle(of: gram.matrix, order: side, at: f, step: width)
                    }
                    return (triangles, taskScales)
                }
                for (task, (triangles, taskScales)) in results.enumerated() {
                    let start = first + task * Self.frequenciesPerTask
                    storage.assignBlock(from: triangles, rows: pairs, columns: taskScales.count, at: start, leadingDimension: frequencies)
                    for (f, scale) in taskScales.enumerated() { scales[start + f] = scale }
                }
            }
            // Bring every frequency to the common scale e^{maxScale} (small ones underflow harmlessly).
            let maxScale = scales.max() ?? 0
            guard maxScale.isFinite else { return MethodOutcome(values: [0], iterations: t) }
            let factors = scales.map { Scalar(exp($0 - maxScale)) }
            // One inverse FFT per pair i ≤ j, each worker on its own contiguous range of pairs
            // with its own plan; Σ|L_t[i, j, δ]| for every pair, in pair order.
            let spectra = storage
            let workers = ParallelWork.workers(for: pairs)
            let sums: [Double]
            if workers == 1 {
                sums = (0..<pairs).map { pair in
                    Double(inverse.absoluteSumOfInverse(halfSpectrum: spectra, offset: pair * frequencies, scaledBy: factors))
                }
            } else {
                sums = try ParallelWork.map(count: workers) { worker in
                    let own = RealInverseFFT2D<Scalar>(rows: height, columns: width)
                    let range = (worker * pairs / workers)..<((worker + 1) * pairs / workers)
                    return range.map { pair in
                        Double(own.absoluteSumOfInverse(halfSpectrum: spectra, offset: pair * frequencies, scaledBy: factors))
                    }
                }.flatMap { $0 }
            }
            var rowSums = [Double](repeating: 0, count: side)
            var pair = 0
            for i in 0..<side {
                for j in i..<side {
                    rowSums[i] += sums[pair]
                    if i != j { rowSums[j] += sums[pair] }
                    pair += 1
                }
            }
            let largest = rowSums.max() ?? 0
            let logBound = (log(largest) - log(Double(height * width)) + maxScale) / pow(2, Double(t))
            return MethodOutcome(values: [exp(logBound)], iterations: t)
        }
    }
}
