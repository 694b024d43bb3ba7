import SpecBenchCore
import SpecBenchModels
import SpecBenchResults

extension KernelSource {
    /// Loads or draws the kernel.
    public func load() throws -> ConvolutionKernel {
        switch self {
        case .random(let shape, let distribution, let seed):
            return try ConvolutionKernel.random(shape: shape, distribution: distribution, seed: seed)
        case .file(let path):
            return try NumpyFile.readKernel(path: path)
        case .modelLayer(let path, let layer, let weight, let batchNorm, let composition, let epsilon):
            return try ModelWeights.kernel(path: path, layer: layer, weight: weight, batchNorm: batchNorm, composition: composition,
                                           batchNormEpsilon: epsilon ?? ModelWeights.checkpointEpsilon)
        }
    }

    /// A `conv+bn` model layer's two parts (`ModelWeights.layer`): the convolution's own kernel
    /// and the gain of the batch norm after it (nil when the model has none there); nil for every
    /// other source, whose kernel `load` gives whole.
    public func loadBatchNormLayer() throws -> (kernel: ConvolutionKernel, batchNorm: BatchNormGain?)? {
        guard case .modelLayer(let path, let layer, let weight, let batchNorm, .convolutionBatchNorm, let epsilon) = self else { return nil }
        return try ModelWeights.layer(path: path, layer: layer, weight: weight, batchNorm: batchNorm, composed: true,
                                      batchNormEpsilon: epsilon ?? ModelWeights.checkpointEpsilon)
    }

    /// The kernel's shape without drawing or reading its entries (a file's header only).
    public func shape() throws -> KernelShape {
        switch self {
        case .random(let shape, _, _): return try shape.validated()
        case .file(let path): return try NumpyFile.readShape(path: path)
        case .modelLayer: return try load().shape
        }
    }
}
