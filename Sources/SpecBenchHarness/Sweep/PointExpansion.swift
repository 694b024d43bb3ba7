import Foundation
import SpecBenchCore
import SpecBenchResults

extension SweepPoint {
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
