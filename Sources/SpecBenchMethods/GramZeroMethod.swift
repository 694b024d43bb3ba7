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
/// for every operator (methods.md §3).
///
/// The authors (`compute_delattre2024`) transpose the kernel when `cin > cout` and iterate
/// `kkt ← conv2d(kkt, kkt, padding = size − 1)` in the spatial domain, so their Gram is on the
/// LARGER channel side (the output side when equal); their form needs ~144 GB at 6 iterations
/// for c = 16, k = 3. Here (methods.md §2) the same iterate is formed per frequency,
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

    public func applicability(to geometry: ConvolutionGeometry) -> Applicability { .applies(.upper) }

    /// Side of the linear DFT grid along an axis with `taps` kernel taps after `t` steps.
    static func gridSide(taps: Int, iterations: Int) -> Int { (1 << iterations) * (taps - 1) + 1 }

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
        return .complexes(precision, pairs, frequencies) + .doubles(3, frequencies)
            + KernelSpectrum.memoryNeed(shape: shape, frequencies: frequencies, precision: precision)
            + .complexes(precision, shape.outputChannels, shape.inputChannels) + 2 * .complexes(precision, order, order)
            + .complexes(precision, frequencies) + .reals(precision, 2, height, width)
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
        let inverse = RealInverseFFT2D<Scalar>(rows: height, columns: width)
        let spectrum = KernelSpectrum(kernel: linearOperator.kernel)
        let gramSide = self.side
        return ClosureComputation {
            let side = gramSide.order(rows: shape.outputChannels, columns: shape.inputChannels)
            let pairs = side * (side + 1) / 2
            let frequencies = grid.frequencies.count
            let entries = shape.outputChannels * shape.inputChannels
            // L̂_t(ω) = e^{scale[ω]}·W(ω); W's upper triangle stored pair-major for the FFTs.
            var storage = ComplexBuffer<Scalar>(count: pairs * frequencies)
            var scales = [Double](repeating: -.infinity, count: frequencies)
            spectrum.forEachChunk(of: grid.frequencies, in: Scalar.self) { first, count, matrices in
                for f in 0..<count {
                    var gram = GramIteration(rows: shape.outputChannels, columns: shape.inputChannels,
                                             elements: matrices, offset: f * entries, firstSide: gramSide)
                    for _ in 0..<t { gram.step() }
                    let frequency = first + f
                    scales[frequency] = gram.logScale
                    let matrix = gram.matrix
                    var pair = 0
                    for i in 0..<side {
                        for j in i..<side {
                            storage[pair * frequencies + frequency] = matrix[i * side + j]
                            pair += 1
                        }
                    }
                }
            }
            // Bring every frequency to the common scale e^{maxScale} (small ones underflow harmlessly).
            let maxScale = scales.max() ?? 0
            guard maxScale.isFinite else { return MethodOutcome(values: [0], iterations: t) }
            let factors = scales.map { Scalar(exp($0 - maxScale)) }
            var rowSums = [Double](repeating: 0, count: side)
            var pair = 0
            for i in 0..<side {
                for j in i..<side {
                    let base = pair * frequencies
                    storage.scale(from: base, by: factors)
                    let spatial = inverse.inverse(halfSpectrum: storage, offset: base)
                    let sum = Double(spatial.reduce(Scalar(0)) { $0 + abs($1) })
                    rowSums[i] += sum
                    if i != j { rowSums[j] += sum }
                    pair += 1
                }
            }
            let largest = rowSums.max() ?? 0
            let logBound = (log(largest) - log(Double(height * width)) + maxScale) / pow(2, Double(t))
            return MethodOutcome(values: [exp(logBound)], iterations: t)
        }
    }
}
