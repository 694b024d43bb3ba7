import Foundation
import SpecBenchCore
import SpecBenchModels

/// Where a kernel comes from: a seeded random draw, a `.npy` file or a layer of a model file.
public enum KernelSource: Codable, Sendable, Hashable {
    /// A seeded random kernel (`ConvolutionKernel.random`).
    case random(shape: KernelShape, distribution: KernelDistribution, seed: UInt64)
    /// A kernel read from a `.npy` file.
    case file(path: String)
    /// The weight of layer `layer` (its weight tensor `weight`) of the model file at `path`,
    /// composed as `composition` (`batchNorm`: the batch norm's name prefix in a checkpoint).
    case modelLayer(path: String, layer: String, weight: String, batchNorm: String?, composition: ModelComposition)

    /// Loads or draws the kernel.
    public func load() throws -> ConvolutionKernel {
        switch self {
        case .random(let shape, let distribution, let seed):
            return try ConvolutionKernel.random(shape: shape, distribution: distribution, seed: seed)
        case .file(let path):
            return try NumpyFile.readKernel(path: path)
        case .modelLayer(let path, let layer, let weight, let batchNorm, let composition):
            return try ModelWeights.kernel(path: path, layer: layer, weight: weight, batchNorm: batchNorm, composition: composition)
        }
    }

    /// The kernel's shape without drawing or reading its entries (a file's header only).
    public func shape() throws -> KernelShape {
        switch self {
        case .random(let shape, _, _): return try shape.validated()
        case .file(let path): return try NumpyFile.readShape(path: path)
        case .modelLayer: return try load().shape
        }
    }

    /// A short description for results: `normal(seed 3)` or the file path.
    public var label: String {
        switch self {
        case .random(_, let distribution, let seed): return "\(distribution.rawValue)(seed \(seed))"
        case .file(let path): return path
        case .modelLayer(let path, let layer, _, _, let composition):
            return "\(URL(fileURLWithPath: path).lastPathComponent):\(layer)" + (composition == .convolutionBatchNorm ? " (conv+bn)" : "")
        }
    }
}
