import Foundation
import ComplexModule
import NumericCore
import SpecBenchCore

/// `lipbound`: the LipGrid bound of Araujo, Negrevergne, Chevaleyre & Atif 2021 ("On Lipschitz
/// regularization of convolutional layers using Toeplitz matrix theory"), on an `n_s × n_s` grid
/// `linspace(0, 2π, n_s)` per axis including the endpoint (as the authors' code), with
/// `α = 1/(1 − 2d/n_s)`, `d = (k − 1)/2` (docs/methods.md §2). With `f_ij(ω)` the entries of `K̂(ω)`,
/// rows on the smaller channel side (transposed when `cout > cin`, as the authors' package):
///
/// - `v1` (default; the paper's bound and the default of the authors' MILES-PSL package):
///   `α·√(Σ_i max_ω Σ_j |f_ij(ω)|²)`, each row's energy maximised over the grid separately;
/// - `v2` (the package's "tighter" version, the copy in lip4conv and conv_norm that later papers
///   compare with): `α·max_ω ‖K̂(ω)‖_F`.
///
/// Always `v1 ≥ v2` (a sum of maxima is at least the maximum of the sum). Both bound the
/// infinite-grid norm `σ_∞`, hence every padding, size and stride: `upper` (docs/methods.md §3), but
/// only on a fine enough grid: the endpoint-inclusive grid samples `n_s − 1` distinct
/// frequencies, and with `n_s = k` the kernel `δ₀ − δ_{k−1}` vanishes on all of them, so grids
/// with `n_s ≤ k + 1` are refused (`not-applicable`, with the reason). Odd square kernels only.
/// `k = 1` gives `‖K‖_F` in both versions.
///
/// The row energies `Σ_j |f_ij(ω)|²` come from each row's autocorrelation over the kernel's lags
/// (`SymbolRowEnergies`): the same numbers as the squared moduli of the symbol up to rounding,
/// without forming the symbol. Cost O(cout·cin·k⁴ + n_s²·k²·min(cout, cin)) through dgemm,
/// against O(n_s²·cout·cin·k²) for the symbol; memory O(min(cout, cin)·k⁴) plus one 256 KiB chunk.
public struct LipBoundMethod: SpectralNormMethod {
    /// Which of the authors' two formulas (docs/methods.md §2).
    public enum Version: String, Sendable, CaseIterable, Codable, ChoiceParameterValue {
        /// `α·√(Σ_i max_ω Σ_j |f_ij(ω)|²)`: the paper's bound, the package default.
        case v1
        /// `α·max_ω ‖K̂(ω)‖_F`: the later, tighter version (lip4conv, conv_norm).
        case v2
    }

    /// Grid points per axis `n_s` (default 50).
    public static let samplesParameter = MethodParameter(
        "samples", default: 50, accepted: 2...4096, meaning: "grid points n_s per axis (at least k + 2)")
    /// The formula (default `v1`).
    public static let versionParameter = MethodParameter(
        "version", default: Version.v1,
        meaning: "v1: the paper's bound, the package default; v2: α·max_ω ‖K̂(ω)‖_F, the lip4conv/conv_norm copy")

    public static let metadata = MethodMetadata(
        id: "lipbound", citation: "LipBound / LipGrid (Araujo, Negrevergne, Chevaleyre & Atif 2021)",
        summary: "v1 α·√(Σ_i max_ω Σ_j |f_ij(ω)|²), the paper's bound and the package default, or v2 α·max_ω ‖K̂(ω)‖_F, on an n_s × n_s grid: an upper bound on σ_∞ (odd square kernels, n_s ≥ k + 2)",
        parameters: [samplesParameter.specification, versionParameter.specification],
        style: PlotStyle(color: "#D55E00", pointType: 11),
        validationVariants: [[:], ["version": "v2"]])

    /// Grid points per axis `n_s`.
    public let samples: Int
    /// The formula.
    public let version: Version

    public init(parameters: inout ParameterReader, context: MethodContext) throws {
        samples = try parameters.read(Self.samplesParameter)
        version = try parameters.read(Self.versionParameter)
    }

    /// A method with explicit parameters.
    public init(samples: Int = samplesParameter.defaultValue, version: Version = versionParameter.defaultValue) {
        self.samples = samples
        self.version = version
    }

    public var parameterValues: [String: String] {
        recordedValues(Self.samplesParameter.recorded(samples), Self.versionParameter.recorded(version))
    }

    /// The row energies `Σ_j |f_ij(ω)|²` at `n_s²` frequencies from the rows' autocorrelations
    /// (`SymbolRowEnergies`), then a pass over them for the maxima.
    public func operationCount(on geometry: ConvolutionGeometry, context: MethodContext, outcome: MethodOutcome) -> OperationCount {
        let shape = geometry.shape
        let frequencies = samples * samples
        let rowsAreOutputs = shape.outputChannels <= shape.inputChannels
        let rows = Double(min(shape.outputChannels, shape.inputChannels))
        return OperationCount(realMatrix: SymbolRowEnergies.operations(shape: shape, rowsAreOutputs: rowsAreOutputs, frequencies: frequencies)
            + 2 * Double(frequencies) * rows)
    }

    public func applicability(to geometry: ConvolutionGeometry) -> Applicability {
        let shape = geometry.shape
        guard shape.height == shape.width, shape.height % 2 == 1 else {
            return .notApplicable(reason: "LipBound is defined for odd square kernels only; this kernel is \(shape.height)×\(shape.width)")
        }
        let k = shape.height
        guard samples > k + 1 else {
            return .notApplicable(reason: "lipbound.samples = \(samples) is too coarse for a \(k)×\(k) kernel: the grid linspace(0, 2π, n_s) samples n_s − 1 distinct frequencies and the bound can fail for n_s ≤ k + 1 (δ₀ − δ_{k−1} gives 0 at n_s = k); accepted: samples ≥ \(k + 2)")
        }
        return .infiniteGridBound(on: geometry)
    }

    /// The row energies' working memory (`SymbolRowEnergies.memoryNeed`) and the per-row maxima.
    public func memoryNeed(on geometry: ConvolutionGeometry, context: MethodContext) -> MemoryNeed {
        let shape = geometry.shape
        let rowsAreOutputs = shape.outputChannels <= shape.inputChannels
        return SymbolRowEnergies.memoryNeed(shape: shape, rowsAreOutputs: rowsAreOutputs, frequencies: samples * samples,
                                            axisPoints: samples, precision: context.precision)
            + .reals(context.precision, 2, min(shape.outputChannels, shape.inputChannels))
    }

    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    public func prepare<Scalar: LinearAlgebraScalar>(
        _ linearOperator: ConvolutionOperator<Scalar>, context: MethodContext
    ) throws -> any PreparedComputation {
        let samples = self.samples
        let version = self.version
        let axis = (0..<samples).map { 2 * Double.pi * Double($0) / Double(samples - 1) }
        let shape = linearOperator.kernel.shape
        let d = Double(shape.height - 1) / 2
        let alpha = 1 / (1 - 2 * d / Double(samples))
        // Rows on the smaller side: output channels when cout ≤ cin, else input channels.
        let energies = SymbolRowEnergies(kernel: linearOperator.kernel, rowsAreOutputs: shape.outputChannels <= shape.inputChannels)
        return ClosureComputation {
            let maxima = energies.maxima(rowAngles: axis, columnAngles: axis, in: Scalar.self)
            switch version {
            case .v1: return MethodOutcome(values: [alpha * Double(maxima.rows.reduce(0, +)).squareRoot()])
            case .v2: return MethodOutcome(values: [alpha * Double(maxima.total).squareRoot()])
            }
        }
    }
}
