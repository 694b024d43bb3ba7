import Foundation
import SpecBenchCore
import SpecBenchModels

/// How a model layer's operator is composed: the convolution alone, or followed by its batch norm.
public enum ModelComposition: String, Codable, Sendable, Hashable, CaseIterable {
    /// The kernel as the file stores it.
    case convolution = "conv"
    /// The batch norm that follows folded into the kernel (`γ/√(σ² + ε)` per output channel);
    /// a layer without one is the convolution alone.
    case convolutionBatchNorm = "conv+bn"
}

/// Where a kernel comes from: a seeded random draw, a `.npy` file or a layer of a model file.
public enum KernelSource: Codable, Sendable, Hashable {
    /// A seeded random kernel (`ConvolutionKernel.random`).
    case random(shape: KernelShape, distribution: KernelDistribution, seed: UInt64)
    /// A kernel read from a `.npy` file.
    case file(path: String)
    /// The weight of layer `layer` (its weight tensor `weight`) of the model file at `path`,
    /// composed as `composition`.
    case modelLayer(path: String, layer: String, weight: String, composition: ModelComposition)

    /// Loads or draws the kernel.
    public func load() throws -> ConvolutionKernel {
        switch self {
        case .random(let shape, let distribution, let seed):
            return try ConvolutionKernel.random(shape: shape, distribution: distribution, seed: seed)
        case .file(let path):
            return try NumpyFile.readKernel(path: path)
        case .modelLayer(let path, let layerName, let weight, let composition):
            let model = try OnnxModel(path: path)
            guard let layer = model.convolutions.first(where: { $0.name == layerName && $0.weightName == weight }) else {
                throw InvalidInput("'\(path)' has no convolution '\(layerName)' with weight '\(weight)' (the file changed since the sweep was planned?)")
            }
            let kernel = try model.kernel(of: layer)
            guard composition == .convolutionBatchNorm, let scales = try model.batchNormScale(of: layer) else { return kernel }
            return try BatchNormFolding.folded(kernel, scales: scales)
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
        case .modelLayer(let path, let layer, _, let composition):
            return "\(URL(fileURLWithPath: path).lastPathComponent):\(layer)" + (composition == .convolutionBatchNorm ? " (conv+bn)" : "")
        }
    }
}
