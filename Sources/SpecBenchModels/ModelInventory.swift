import Foundation
import SpecBenchCore

/// The convolutions of a model file, whatever its format: what `bench model` lists and what a
/// model sweep runs. Reads the file once; O(file size).
public struct ModelInventory: Codable, Sendable {
    /// Formats recognised by their first bytes.
    public enum Format: String, Codable, Sendable {
        /// ONNX protobuf (`.onnx`).
        case onnx
        /// safetensors (`.safetensors`): tensors only, no layer geometry.
        case safetensors
        /// PyTorch ≥ 1.6 zip checkpoint (`.pt`, `.pth`).
        case pytorchZip = "pytorch-zip"
        /// PyTorch legacy pickle checkpoint.
        case pytorchLegacy = "pytorch-legacy"
    }

    /// The file, as given.
    public var path: String
    /// Its format.
    public var format: Format
    /// The image size used for inference, `[height, width]`, when known.
    public var inputSize: [Int]?
    /// Every convolution found, in file order.
    public var convolutions: [ModelConvolution]

    /// Layers that can be benchmarked as they stand.
    public var supported: [ModelConvolution] { convolutions.filter { $0.problem == nil } }
    /// How many layers have groups other than 1 (not supported).
    public var groupedCount: Int { convolutions.filter { $0.groups != 1 }.count }

    /// A 4-D weight of a format that stores tensors only: listed, with the reason it cannot be
    /// placed by itself.
    static func unplaced(name: String, shape: [Int], format: String) -> ModelConvolution {
        ModelConvolution(
            name: name, weightName: name,
            shape: KernelShape(outputChannels: shape[0], inputChannels: shape[1], height: shape[2], width: shape[3]),
            strides: [1, 1], pads: [0, 0, 0, 0], dilations: [1, 1], groups: 1, inputSize: nil, batchNorm: nil,
            problem: "\(format) stores no stride, padding or input size; give them per layer in a sweep config (model.layers: {name, inputSize, stride, pad})")
    }

    /// The format of `data`, from its first bytes: zip magic (PyTorch zip), pickle protocol 2–5
    /// (PyTorch legacy), an 8-byte little-endian length then `{` (safetensors), else ONNX
    /// (protobuf has no magic: its parse decides).
    public static func format(of data: Data) -> Format {
        let bytes = [UInt8](data.prefix(9))
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return .pytorchZip }
        if bytes.count >= 2, bytes[0] == 0x80, (2...5).contains(bytes[1]) { return .pytorchLegacy }
        // An ONNX file starts with its ir_version field (tag 0x08); a safetensors header length
        // that large would be a damaged file, which the safetensors reader then names.
        if bytes.count == 9, bytes[8] == UInt8(ascii: "{"), bytes[0] != 0x08 { return .safetensors }
        return .onnx
    }

    /// Reads the model at `path`; `inputSize` (`H × W`) overrides or supplies the image size.
    /// Throws `InvalidInput` for a file that is not a model, a damaged one, a format not read
    /// yet, and a model with no convolutions.
    public init(path: String, inputSize: AxisPair? = nil, preset: ModelPreset? = nil) throws {
        try RegularFile.check(path, what: "model file", accepted: "a model file (.onnx, .pt/.pth, .safetensors)")
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InvalidInput("cannot read '\(path)'; accepted: a readable model file (.onnx, .pt/.pth, .safetensors)")
        }
        try self.init(data: data, path: path, inputSize: inputSize, preset: preset)
    }

    /// Reads model bytes; `path` names the file in messages.
    /// `preset` places the layers of formats that store tensors only from their names
    /// (`TorchvisionResNetPreset`, which needs `inputSize`).
    public init(data: Data, path: String, inputSize: AxisPair? = nil, preset: ModelPreset? = nil) throws {
        if let inputSize, !(1...(1 << 15)).contains(inputSize.height) || !(1...(1 << 15)).contains(inputSize.width) {
            throw InvalidInput("invalid input size \(inputSize); accepted: sides from 1 to 32768")
        }
        self.path = path
        format = Self.format(of: data)
        switch format {
        case .onnx:
            let model = try OnnxModel(data: data, path: path, inputSize: inputSize)
            self.inputSize = model.inputSize
            convolutions = model.convolutions
        case .safetensors:
            let file = try SafetensorsFile(data: data, path: path)
            self.inputSize = inputSize.map { [$0.height, $0.width] }
            convolutions = file.entries.filter { $0.shape.count == 4 }.map {
                Self.unplaced(name: $0.name, shape: $0.shape, format: "safetensors")
            }
        case .pytorchZip, .pytorchLegacy:
            let checkpoint = try TorchCheckpoint(data: data, path: path)
            self.inputSize = inputSize.map { [$0.height, $0.width] }
            convolutions = checkpoint.tensors.filter { $0.shape.count == 4 }.map {
                Self.unplaced(name: $0.name, shape: $0.shape, format: "a PyTorch state dict")
            }
        }
        if let preset {
            guard format != .onnx else {
                throw InvalidInput("'\(path)' is an ONNX model, which gives its own geometry; a preset is for checkpoints and safetensors")
            }
            switch preset {
            case .torchvisionResNet:
                guard let inputSize else {
                    throw InvalidInput("the \(TorchvisionResNetPreset.name) preset places layers from the image size: give --input-size (inputSize in a config)")
                }
                convolutions = TorchvisionResNetPreset.place(convolutions, inputSize: inputSize)
            case .efficientNetLite0:
                let size = inputSize ?? EfficientNetLitePreset.defaultInputSize
                self.inputSize = [size.height, size.width]
                convolutions = EfficientNetLitePreset.place(convolutions, inputSize: size)
            case .mtcnn:
                let size = inputSize ?? MTCNNPreset.defaultInputSize(convolutions)
                self.inputSize = [size.height, size.width]
                convolutions = MTCNNPreset.place(convolutions, inputSize: size)
            }
        }
        guard !convolutions.isEmpty else {
            throw InvalidInput("'\(path)' is a \(format.rawValue) model with no 2-D convolutions; nothing to benchmark")
        }
    }
}
