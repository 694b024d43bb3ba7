

/// A way of placing the layers of a file that stores tensors only (checkpoints, safetensors)
/// from their names: `--preset` of `bench model`, `preset:` of a config's model. Parsed once
/// where it enters.
public enum ModelPreset: String, Sendable, Hashable, Codable, CaseIterable {
    /// torchvision's ResNets (`TorchvisionResNetPreset`).
    case torchvisionResNet = "torchvision-resnet"
    /// EfficientNet-Lite0 in the PyTorch port's layout (`EfficientNetLitePreset`).
    case efficientNetLite0 = "efficientnet-lite0"
    /// MTCNN's P-, R- and O-Nets, facenet-pytorch's layout (`MTCNNPreset`).
    case mtcnn

    /// The preset named `text`, or an `InvalidInput` naming it and the accepted names.
    public init(parsing text: String) throws {
        guard let preset = ModelPreset(rawValue: text) else {
            throw InvalidInput("unknown preset '\(text)'; accepted: \(Self.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self = preset
    }
}
