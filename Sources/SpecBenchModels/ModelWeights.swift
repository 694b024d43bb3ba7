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
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InvalidInput("cannot read '\(path)'; accepted: a readable model file")
        }
        switch ModelInventory.format(of: data) {
        case .onnx:
            let model = try OnnxModel(data: data, path: path)
            guard let convolution = model.convolutions.first(where: { $0.name == layer && $0.weightName == weight }) else {
                throw InvalidInput("'\(path)' has no convolution '\(layer)' with weight '\(weight)' (the file changed since the sweep was planned?)")
            }
            let kernel = try model.kernel(of: convolution)
            guard composition == .convolutionBatchNorm, let scales = try model.batchNormScale(of: convolution) else { return kernel }
            return try BatchNormFolding.folded(kernel, scales: scales)
        case .pytorchZip, .pytorchLegacy:
            let checkpoint = try TorchCheckpoint(data: data, path: path)
            let tensor = try checkpoint.tensor(named: weight)
            return try composed(try Self.kernel(shape: tensor.shape, values: tensor.values, name: weight, path: path),
                                batchNorm: composition == .convolutionBatchNorm ? batchNorm : nil, epsilon: batchNormEpsilon, layer: layer) {
                try checkpoint.tensor(named: $0).values
            }
        case .safetensors:
            let file = try SafetensorsFile(data: data, path: path)
            let entry = try file.entry(named: weight)
            return try composed(try Self.kernel(shape: entry.shape, values: try file.values(of: entry), name: weight, path: path),
                                batchNorm: composition == .convolutionBatchNorm ? batchNorm : nil, epsilon: batchNormEpsilon, layer: layer) {
                try file.values(of: try file.entry(named: $0))
            }
        }
    }

    /// `kernel` with the batch norm named by the prefix `batchNorm` folded in (`<prefix>.weight`
    /// and `<prefix>.running_var` read by `tensor`, with `epsilon`); `kernel` when nil.
    private static func composed(_ kernel: ConvolutionKernel, batchNorm: String?, epsilon: Double, layer: String,
                                 tensor: (String) throws -> [Double]) throws -> ConvolutionKernel {
        guard let batchNorm else { return kernel }
        let scales = try BatchNormFolding.scales(
            gamma: try tensor(batchNorm + ".weight"), variance: try tensor(batchNorm + ".running_var"),
            epsilon: epsilon, channels: kernel.shape.outputChannels, layer: layer)
        return try BatchNormFolding.folded(kernel, scales: scales)
    }

    private static func kernel(shape: [Int], values: [Double], name: String, path: String) throws -> ConvolutionKernel {
        guard shape.count == 4 else {
            throw InvalidInput("'\(path)': tensor '\(name)' has shape \(shape); accepted: a 4-D convolution weight (cout, cin, kh, kw)")
        }
        return try ConvolutionKernel(
            shape: KernelShape(outputChannels: shape[0], inputChannels: shape[1], height: shape[2], width: shape[3]), values: values)
    }
}
