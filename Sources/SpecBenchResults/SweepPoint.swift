import Foundation
import SpecBenchCore
import SpecBenchModels

/// One point of a sweep: one kernel on one operator. Its `id` is stable across runs of the same
/// config (resume and merge match points by it).
public struct SweepPoint: Codable, Sendable, Hashable {
    /// Stable identity, e.g. `16x16x3x3-n32-zero-s1-p1-normal`.
    public var id: String
    /// Position in the config's expansion order (shards and merges keep this order).
    public var index: Int
    /// A layer name, for points given as `layers`.
    public var label: String?
    /// The operator.
    public var `operator`: OperatorDescription
    /// The kernel.
    public var kernel: KernelSource

    /// Expands a config into its points, in order: grids first (paddings, strides, kernel sizes,
    /// channels, input sizes, pads nested in that order), then layers; repeats are dropped.
    /// Random kernels are seeded by the config seed and the kernel shape, so one shape uses the
    /// same kernel at every n, padding and stride.
    public static func expand(_ config: SweepConfiguration) throws -> [SweepPoint] {
        var points: [SweepPoint] = []
        var seen = Set<String>()
        func add(shape: KernelShape, source: KernelSource, n: Int, padding: Padding, stride: Int, pad: Int?, label: String?) throws {
            let geometry = try ConvolutionGeometry(shape: shape, inputSize: n, padding: padding, stride: stride, pad: pad)
            let description = OperatorDescription(geometry)
            let kernelPart: String
            switch source {
            case .random(_, let distribution, _): kernelPart = distribution.rawValue
            case .file(let path): kernelPart = "file-" + URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
            case .modelLayer(let path, let layer, _, _, let composition):
                let file = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
                let safe = String((file + "." + layer).map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "_" ? $0 : "-" })
                kernelPart = "model-" + safe + (composition == .convolutionBatchNorm ? "-bn" : "")
            }
            let id = "\(shape.outputChannels)x\(shape.inputChannels)x\(shape.height)x\(shape.width)-n\(n)-\(padding.rawValue)"
                + "-s\(stride)-p\(description.pad[0])" + (description.pad[0] == description.pad[1] ? "" : "x\(description.pad[1])")
                + "-\(kernelPart)"
            let normalizedId = config.kernel.normalize.map { id + "-" + $0.label } ?? id
            guard seen.insert(normalizedId).inserted else { return }
            points.append(SweepPoint(id: normalizedId, index: points.count, label: label, operator: description, kernel: source))
        }
        func randomSource(_ shape: KernelShape) -> KernelSource {
            var generator = SeededGenerator(seed: config.seed, stream: "kernel/\(shape.outputChannels)x\(shape.inputChannels)x\(shape.height)x\(shape.width)")
            return .random(shape: shape, distribution: config.kernel.distribution, seed: generator.next())
        }
        let files = try config.kernel.files.map { ($0, try NumpyFile.readShape(path: $0)) }
        for grid in config.grids {
            for padding in grid.paddings {
                for stride in grid.strides {
                    var shapes: [(KernelShape, KernelSource)] = files.map { ($0.1, .file(path: $0.0)) }
                    if files.isEmpty {
                        for k in grid.kernelSizes {
                            for cout in grid.cout {
                                for cin in grid.cin ?? [cout] {
                                    let shape = KernelShape(outputChannels: cout, inputChannels: cin, height: k, width: k)
                                    shapes.append((shape, randomSource(shape)))
                                }
                            }
                        }
                    }
                    for (shape, source) in shapes {
                        for n in grid.inputSizes {
                            for pad in grid.pads.isEmpty ? [nil] : grid.pads.map(Optional.some) {
                                try add(shape: shape, source: source, n: n, padding: padding, stride: stride, pad: pad, label: nil)
                            }
                        }
                    }
                }
            }
        }
        for layer in config.layers {
            let shape = KernelShape(outputChannels: layer.cout, inputChannels: layer.cin, height: layer.kernelHeight, width: layer.kernelWidth)
            for padding in layer.paddings {
                try add(shape: shape, source: randomSource(shape), n: layer.inputSize, padding: padding, stride: layer.stride,
                        pad: layer.pad, label: layer.name)
            }
        }
        for model in config.models ?? [] {
            for layer in try ModelLayerSelection.layers(of: model) {
                let geometry = try layer.geometry()
                let pad = layer.pads[0] == layer.pads[1] ? layer.pads[0] : nil
                try add(shape: layer.shape,
                        source: .modelLayer(path: model.path, layer: layer.name, weight: layer.weightName,
                                            batchNorm: layer.batchNorm, composition: model.composition),
                        n: geometry.inputSize, padding: .zero, stride: geometry.stride, pad: pad,
                        label: model.name.map { $0 + "." + layer.name } ?? layer.name)
            }
        }
        return points
    }
}

/// The layers of a model sweep: the named ones (each must exist and be benchmarkable), or every
/// layer that can be benchmarked. Reads the model file; O(file size).
public enum ModelLayerSelection {
    /// The layers `settings` selects, in file order; throws `InvalidInput` for an unknown name or
    /// a named layer that cannot be benchmarked (with the reason).
    public static func layers(of settings: SweepConfiguration.ModelSettings) throws -> [ModelConvolution] {
        let inventory = try ModelInventory(path: settings.path, inputSize: settings.inputSize, preset: settings.preset)
        guard let choices = settings.layers else { return inventory.supported }
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
                let padHeight = choice.pad ?? layer.shape.height / 2, padWidth = choice.pad ?? layer.shape.width / 2
                layer.inputSize = [inputSize, inputSize]
                layer.strides = [stride, stride]
                layer.pads = [padHeight, padWidth, padHeight, padWidth]
                layer.batchNorm = choice.batchNorm
                layer.problem = nil
                _ = try layer.geometry()
            }
            if let problem = layer.problem { throw InvalidInput("model layer '\(choice.name)' cannot be benchmarked: \(problem)") }
            return layer
        }
    }

    /// The layers of the model that will not run, with the reason: what a sweep reports on stderr.
    public static func skipped(of settings: SweepConfiguration.ModelSettings) throws -> [ModelConvolution] {
        guard settings.layers == nil else { return [] }
        return try ModelInventory(path: settings.path, inputSize: settings.inputSize, preset: settings.preset)
            .convolutions.filter { $0.problem != nil }
    }
}

/// Which deterministic part of a sweep this process runs: shard `index` of `count` takes the
/// points whose position modulo `count` is `index − 1`.
public struct ShardSelection: Codable, Sendable, Hashable, CustomStringConvertible {
    /// 1-based shard number.
    public var index: Int
    /// Number of shards.
    public var count: Int

    /// Parses `I/N` with `1 ≤ I ≤ N`.
    public static func parse(_ text: String) throws -> ShardSelection {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]), count >= 1, (1...count).contains(index) else {
            throw InvalidInput("invalid --shard '\(text)'; expected I/N with 1 ≤ I ≤ N, for example 2/8")
        }
        return ShardSelection(index: index, count: count)
    }

    /// Whether the point at `position` belongs to this shard.
    public func contains(_ position: Int) -> Bool { position % count == index - 1 }

    public var description: String { "\(index)/\(count)" }
}
