

/// A way of placing the layers of a file that stores tensors only (checkpoints, safetensors)
/// from their names: `--preset` of `bench model`, `preset:` of a config's model. Parsed once
/// where it enters.
public enum ModelPreset: String, Sendable, Hashable, Codable, CaseIterable {
    /// torchvision's ResNets (`TorchvisionResNetPreset`).
    case torchvisionResNet = "torchvision-resnet"

    /// The preset named `text`, or an `InvalidInput` naming it and the accepted names.
    public init(parsing text: String) throws {
        guard let preset = ModelPreset(rawValue: text) else {
            throw InvalidInput("unknown preset '\(text)'; accepted: \(Self.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self = preset
    }
}
