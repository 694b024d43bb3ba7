import Foundation
import SpecBenchCore

/// A model layer's kernel as a sweep point loads it, whatever the file's format, composed with
/// its batch norm when asked (`BatchNormFolding`). Reads the file; O(file size).
public enum ModelWeights {
    /// Batch-norm ε of checkpoints, which do not store it: PyTorch's default.
    public static let checkpointEpsilon = 1e-5

    /// The kernel of layer `layer` (weight tensor `weight`) of the model at `path`. For ONNX the
    /// batch norm is the node after the convolution; for checkpoints and safetensors it is
    /// `batchNorm` (a name prefix: `<prefix>.weight`, `<prefix>.running_var`), none when nil.
    /// `batchNormEpsilon` is a checkpoint's batch-norm ε (the file does not store it).
    public static func kernel(path: String, layer: String, weight: String, batchNorm: String?,
                              composition: ModelComposition, batchNormEpsilon: Double = checkpointEpsilon) throws -> ConvolutionKernel {
        let parts = try Self.layer(path: path, layer: layer, weight: weight, batchNorm: composition == .convolutionBatchNorm ? batchNorm : nil,
                                   composed: composition == .convolutionBatchNorm, batchNormEpsilon: batchNormEpsilon)
        guard let gain = parts.batchNorm else { return parts.kernel }
        return try gain.folded(parts.kernel)
    }

    /// The convolution's own kernel and, when `composed`, the gain of the batch norm after it
    /// (nil when the layer has none): what clipping the composition needs apart (FastClip trains
    /// `γ` beside the kernel). Same files and arguments as `kernel`.
    public static func layer(path: String, layer: String, weight: String, batchNorm: String?, composed: Bool,
                             batchNormEpsilon: Double = checkpointEpsilon) throws -> (kernel: ConvolutionKernel, batchNorm: BatchNormGain?) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InvalidInput("cannot read '\(path)'; accepted: a readable model file")
        }
        switch ModelInventory.format(of: data) {
        case .onnx:
            let model = try OnnxModel(data: data, path: path)
            guard let convolution = model.convolutions.first(where: { $0.name == layer && $0.weightName == weight }) else {
                throw InvalidInput("'\(path)' has no convolution '\(layer)' with weight '\(weight)' (the file changed since the sweep was planned?)")
            }
            return (try model.kernel(of: convolution), composed ? try model.batchNormGain(of: convolution) : nil)
        case .pytorchZip, .pytorchLegacy:
            let checkpoint = try TorchCheckpoint(data: data, path: path)
            let tensor = try checkpoint.tensor(named: weight)
            let kernel = try Self.kernel(shape: tensor.shape, values: tensor.values, name: weight, path: path)
            return (kernel, try gain(batchNorm: composed ? batchNorm : nil, epsilon: batchNormEpsilon, kernel: kernel, layer: layer) {
                try checkpoint.tensor(named: $0).values
            })
        case .safetensors:
            let file = try SafetensorsFile(data: data, path: path)
            let entry = try file.entry(named: weight)
            let kernel = try Self.kernel(shape: entry.shape, values: try file.values(of: entry), name: weight, path: path)
            return (kernel, try gain(batchNorm: composed ? batchNorm : nil, epsilon: batchNormEpsilon, kernel: kernel, layer: layer) {
                try file.values(of: try file.entry(named: $0))
            })
        }
    }

    /// The gain of the batch norm named by the prefix `batchNorm` (`<prefix>.weight` and
    /// `<prefix>.running_var` read by `tensor`, with `epsilon`); nil when `batchNorm` is nil.
    private static func gain(batchNorm: String?, epsilon: Double, kernel: ConvolutionKernel, layer: String,
                             tensor: (String) throws -> [Double]) throws -> BatchNormGain? {
        guard let batchNorm else { return nil }
        return try BatchNormFolding.gain(
            gamma: try tensor(batchNorm + ".weight"), variance: try tensor(batchNorm + ".running_var"),
            epsilon: epsilon, channels: kernel.shape.outputChannels, layer: layer)
    }

    private static func kernel(shape: [Int], values: [Double], name: String, path: String) throws -> ConvolutionKernel {
        guard shape.count == 4 else {
            throw InvalidInput("'\(path)': tensor '\(name)' has shape \(shape); accepted: a 4-D convolution weight (cout, cin, kh, kw)")
        }
        return try ConvolutionKernel(
            shape: KernelShape(outputChannels: shape[0], inputChannels: shape[1], height: shape[2], width: shape[3]), values: values)
    }
}
