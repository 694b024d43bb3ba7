import SpecBenchCore
import SpecBenchModels
import SpecBenchResults

/// The layers of a model sweep: the named ones (each must exist and be benchmarkable), or every
/// layer that can be benchmarked. Reads the model file; O(file size).
public enum ModelLayerSelection {
    /// The layers `settings` selects, in file order; throws `InvalidInput` for an unknown name or
    /// a named layer that cannot be benchmarked (with the reason).
    public static func layers(of settings: SweepConfiguration.ModelSettings) throws -> [ModelConvolution] {
        let inventory = try ModelInventory(path: settings.path, inputSize: settings.inputSize, preset: settings.preset)
        // conv+bn of a layer with no batch norm after it is the convolution itself: `all` runs
        // only the layers that have one (`skipped` says so for the others).
        guard let choices = settings.layers else {
            return inventory.supported.filter { settings.composition == .convolution || $0.batchNorm != nil }
        }
        return try choices.map { choice in
            guard var layer = inventory.convolutions.first(where: { $0.name == choice.name }) else {
                let known = inventory.convolutions.prefix(8).map(\.name).joined(separator: ", ")
                throw InvalidInput("model \(settings.path) has no convolution '\(choice.name)'; it has \(inventory.convolutions.count): \(known)\(inventory.convolutions.count > 8 ? ", …" : "") (bench model lists them)")
            }
            if inventory.format == .onnx || settings.preset != nil {
                guard choice.inputSize == nil, choice.stride == nil, choice.pad == nil, choice.batchNorm == nil else {
                    throw InvalidInput("model layer '\(choice.name)': an ONNX file or a preset gives the geometry and batch norm; give only the name")
                }
            } else {
                // Checkpoints and safetensors store tensors only: the config places the layer.
                guard let inputSize = choice.inputSize ?? settings.inputSize else {
                    throw InvalidInput("model layer '\(choice.name)': \(inventory.format.rawValue) stores no input size; give inputSize (and stride, pad)")
                }
                let stride = choice.stride ?? 1
                let pads = choice.pad ?? Pads(height: layer.shape.height / 2, width: layer.shape.width / 2)
                layer.inputSize = [inputSize.height, inputSize.width]
                layer.strides = [stride.height, stride.width]
                layer.pads = pads.values
                layer.batchNorm = choice.batchNorm
                layer.problem = nil
                _ = try layer.geometry()
            }
            if let problem = layer.problem { throw InvalidInput("model layer '\(choice.name)' cannot be benchmarked: \(problem)") }
            return layer
        }
    }

    /// The layers of the model that will not run, with the reason: what a sweep reports on stderr
    /// (for conv+bn, also the layers with no batch norm).
    public static func skipped(of settings: SweepConfiguration.ModelSettings) throws -> [ModelConvolution] {
        guard settings.layers == nil else { return [] }
        return try ModelInventory(path: settings.path, inputSize: settings.inputSize, preset: settings.preset)
            .convolutions.compactMap { layer in
                if layer.problem != nil { return layer }
                guard settings.composition == .convolutionBatchNorm, layer.batchNorm == nil else { return nil }
                var skipped = layer
                skipped.problem = "no batch norm follows it: conv+bn is the convolution itself (run in the conv composition)"
                return skipped
            }
    }
}
