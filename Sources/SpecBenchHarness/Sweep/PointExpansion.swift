import Foundation
import SpecBenchCore
import SpecBenchResults

extension SweepPoint {
    /// Expands a config into its points, in order: grids first (paddings, strides, dilations,
    /// groups, kernel sizes, channels, input sizes, pads nested in that order), then layers,
    /// then model layers; repeats are dropped.
    /// Random kernels are seeded by the config seed and the kernel shape, so one shape uses the
    /// same kernel at every n, padding and stride.
    public static func expand(_ config: SweepConfiguration) throws -> [SweepPoint] {
        var points: [SweepPoint] = []
        var seen = Set<String>()
        func add(_ geometry: ConvolutionGeometry, source: KernelSource, label: String?) throws {
            let description = OperatorDescription(geometry)
            let kernelPart: String
            switch source {
            case .random(_, let distribution, _): kernelPart = distribution.rawValue
            case .file(let path): kernelPart = "file-" + URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
            case .modelLayer(let path, let layer, _, _, let composition, _):
                let file = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
                let safe = String((file + "." + layer).map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "_" ? $0 : "-" })
                kernelPart = "model-" + safe + (composition == .convolutionBatchNorm ? "-bn" : "")
            }
            let normalizedId = config.kernel.normalize.map { identifier(description, kernelPart: kernelPart) + "-" + $0.label }
                ?? identifier(description, kernelPart: kernelPart)
            guard seen.insert(normalizedId).inserted else { return }
            points.append(SweepPoint(id: normalizedId, index: points.count, label: label, operator: description, kernel: source))
        }
        func randomSource(_ shape: KernelShape) -> KernelSource {
            var generator = SeededGenerator(seed: config.seed, stream: "kernel/\(shape.outputChannels)x\(shape.inputChannels)x\(shape.height)x\(shape.width)")
            return .random(shape: shape, distribution: config.kernel.distribution, seed: generator.next())
        }
        let files = try config.kernel.files.map { ($0, try NumpyFile.readShape(path: $0)) }
        for grid in config.grids {
            var shapes: [(KernelShape, KernelSource)] = files.map { ($0.1, .file(path: $0.0)) }
            if files.isEmpty {
                for k in grid.kernelSizes {
                    for cout in grid.cout {
                        for cin in grid.cin ?? [cout] {
                            let shape = KernelShape(outputChannels: cout, inputChannels: cin, height: k.height, width: k.width)
                            shapes.append((shape, randomSource(shape)))
                        }
                    }
                }
            }
            try grid.forEachOperator(shapes: shapes) { geometry, source in try add(geometry, source: source, label: nil) }
        }
        for layer in config.layers {
            for padding in layer.paddings {
                try add(layer.geometry(padding: padding), source: randomSource(layer.shape), label: layer.name)
            }
        }
        for model in config.models ?? [] {
            for layer in try ModelLayerSelection.layers(of: model) {
                try add(layer.geometry(),
                        source: .modelLayer(path: model.path, layer: layer.name, weight: layer.weightName,
                                            batchNorm: layer.batchNorm, composition: model.composition,
                                            batchNormEpsilon: layer.batchNormEpsilon),
                        label: model.name.map { $0 + "." + layer.name } ?? layer.name)
            }
        }
        return points
    }

    /// A point's id from its operator: `COUTxCINxKHxKW-nN-PADDING-sS-pP` as always for the
    /// operators of docs/methods.md §1, with `HxW`, per-axis strides, four pads, `-dD`, `-gG`,
    /// `-tOP` (transposed) and `-1d` added for the general ones. O(1).
    static func identifier(_ o: OperatorDescription, kernelPart: String) -> String {
        func pair(_ value: AxisPair) -> String { value.isUniform ? "\(value.height)" : "\(value.height)x\(value.width)" }
        let pads = o.pads.isSymmetric ? "\(o.pads.top)" + (o.pads.top == o.pads.left ? "" : "x\(o.pads.left)")
            : o.pads.values.map(String.init).joined(separator: "x")
        var id = "\(o.cout)x\(o.cin)x\(o.kh)x\(o.kw)-n\(o.inputHeight == o.inputWidth ? "\(o.inputWidth)" : "\(o.inputHeight)x\(o.inputWidth)")"
            + "-\(o.padding.rawValue)-s\(pair(o.stride))-p\(pads)"
        if o.dilation != .one { id += "-d\(pair(o.dilation))" }
        if o.groups != 1 { id += "-g\(o.groups)" }
        if let op = o.outputPadding { id += "-t\(pair(op))" }
        if o.dimensions == 1 { id += "-1d" }
        return id + "-" + kernelPart
    }
}
