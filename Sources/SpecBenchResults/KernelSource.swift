import Foundation
import SpecBenchCore

/// Where a kernel comes from: a seeded random draw, a `.npy` file or a layer of a model file.
public enum KernelSource: Codable, Sendable, Hashable {
    /// A seeded random kernel (`ConvolutionKernel.random`).
    case random(shape: KernelShape, distribution: KernelDistribution, seed: UInt64)
    /// A kernel read from a `.npy` file.
    case file(path: String)
    /// The weight of layer `layer` (its weight tensor `weight`) of the model file at `path`,
    /// composed as `composition` (`batchNorm`: the batch norm's name prefix in a checkpoint;
    /// `batchNormEpsilon`: its ε where the architecture's differs from PyTorch's 1e-5, which a
    /// checkpoint does not store; nil: 1e-5, and absent from older records).
    case modelLayer(path: String, layer: String, weight: String, batchNorm: String?, composition: ModelComposition,
                    batchNormEpsilon: Double? = nil)

    /// A short description for results: `normal(seed 3)` or the file path.
    public var label: String {
        switch self {
        case .random(_, let distribution, let seed): return "\(distribution.rawValue)(seed \(seed))"
        case .file(let path): return path
        case .modelLayer(let path, let layer, _, _, let composition, _):
            return "\(URL(fileURLWithPath: path).lastPathComponent):\(layer)" + (composition == .convolutionBatchNorm ? " (conv+bn)" : "")
        }
    }
}
