import Foundation
import NumericCore
import SpecBenchCore

/// `lipbound`: the LipGrid bound of Araujo, Negrevergne, Chevaleyre & Atif 2021 ("On Lipschitz
/// regularization of convolutional layers using Toeplitz matrix theory"): `α · max` over an
/// `n_s × n_s` grid of `‖K̂(ω)‖_F`, the grid `linspace(0, 2π, n_s)` per axis including the endpoint
/// (as the authors' code), `α = 1/(1 − 2d/n_s)`, `d = (k − 1)/2` (methods.md §2). It bounds the
/// infinite-grid norm `σ_∞`, hence every padding, size and stride: `upper` (methods.md §3).
/// Defined for odd square kernels only; other kernels are `not-applicable`. `k = 1` gives `‖K‖_F`.
///
/// Cost O(n_s²·cout·cin·k²) through chunked dgemm; memory one chunk (see `KernelSpectrum`).
public struct LipBoundMethod: SpectralNormMethod {
    public static let id = "lipbound"
    public static let citation = "LipBound / LipGrid (Araujo, Negrevergne, Chevaleyre & Atif 2021)"

    /// Grid points per axis `n_s` (default 50).
    public let samples: Int

    public init(parameters: inout ParameterReader, context: MethodContext) throws {
        samples = try parameters.integer("samples", default: 50, range: 2...4096)
    }

    /// A method with explicit parameters.
    public init(samples: Int = 50) { self.samples = samples }

    public var parameterValues: [String: String] { ["samples": String(samples)] }

    public func applicability(to geometry: ConvolutionGeometry) -> Applicability {
        let shape = geometry.shape
        guard shape.height == shape.width, shape.height % 2 == 1 else {
            return .notApplicable(reason: "LipBound is defined for odd square kernels only; this kernel is \(shape.height)×\(shape.width)")
        }
        guard samples > shape.height - 1 else {
            return .notApplicable(reason: "lipbound.samples = \(samples) must exceed k − 1 = \(shape.height - 1) for α = 1/(1 − 2d/n_s) to be positive")
        }
        return .applies(.upper)
    }

    public func prepare(_ linearOperator: ConvolutionOperator, context: MethodContext) throws -> any PreparedComputation {
        let samples = self.samples
        let axis = (0..<samples).map { 2 * Double.pi * Double($0) / Double(samples - 1) }
        let frequencies = axis.flatMap { rows in axis.map { FrequencyAngle(rows: rows, columns: $0) } }
        let shape = linearOperator.kernel.shape
        let d = Double(shape.height - 1) / 2
        let alpha = 1 / (1 - 2 * d / Double(samples))
        let spectrum = KernelSpectrum(kernel: linearOperator.kernel)
        return ClosureComputation {
            let entries = shape.outputChannels * shape.inputChannels
            var best = 0.0
            spectrum.forEachChunk(of: frequencies) { _, count, matrices in
                for f in 0..<count {
                    best = max(best, BLAS.norm(matrices, offset: 2 * f * entries, count: 2 * entries))
                }
            }
            return MethodOutcome(values: [alpha * best])
        }
    }
}
