import Foundation
import SpecBenchCore
import SwiftProtobuf

/// A trained network in ONNX format (`.onnx`): every `Conv` and `ConvTranspose` node (2-D, or 1-D
/// read as `kh = 1`) with its weight, stride, pads, dilation, groups and output padding, the spatial size of its input followed through the graph
/// (`OnnxShapeInference`), and the `BatchNormalization` that follows it, if any.
///
/// Parsed with swift-protobuf from ONNX's own schema (`onnx.pb.swift`, generated from
/// `onnx/onnx.proto` of onnx 1.17.0). Weights are read from the graph's initializers or
/// `Constant` nodes, in float32, float64, float16 or bfloat16, raw or typed; weights stored in
/// external files are refused. A file that does not parse as a model with a graph is an
/// `InvalidInput` ("not an ONNX model"). Time O(file size); memory, the file and its parse.
public struct OnnxModel: Sendable {
    /// The file's path, as given.
    public let path: String
    /// Every convolution, in graph order.
    public let convolutions: [ModelConvolution]
    /// The graph's image input size used for inference: `[height, width]`, when known.
    public let inputSize: [Int]?
    private let tensors: [String: Onnx_TensorProto]
    private let batchNorms: [String: Onnx_NodeProto]

    /// Files above this size are refused before reading (2 GiB: protobuf's own message limit).
    public static let maximumFileBytes = 2 << 30

    /// Reads `path`; `inputSize` overrides the graph's declared image size (`H × W`).
    public init(path: String, inputSize: AxisPair? = nil) throws {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        guard let size = attributes?[.size] as? Int, let data = FileManager.default.contents(atPath: path) else {
            throw InvalidInput("cannot read '\(path)'; accepted: a readable .onnx file")
        }
        guard size <= Self.maximumFileBytes else {
            throw InvalidInput("'\(path)' is \(size) bytes, above ONNX's 2 GiB limit for one file")
        }
        try self.init(data: data, path: path, inputSize: inputSize)
    }

    /// Parses ONNX bytes; `path` only names the file in messages.
    public init(data: Data, path: String = "the file", inputSize: AxisPair? = nil) throws {
        self.path = path
        var options = BinaryDecodingOptions()
        options.messageDepthLimit = 100
        let model: Onnx_ModelProto
        do {
            model = try Onnx_ModelProto(serializedBytes: data, options: options)
        } catch {
            throw InvalidInput("'\(path)' is not an ONNX model: it does not parse as one (\(error)); accepted: an .onnx file")
        }
        guard model.hasGraph, model.irVersion > 0, !model.graph.node.isEmpty else {
            throw InvalidInput("'\(path)' is not an ONNX model: it has no graph with nodes (ir_version \(model.irVersion)); accepted: an .onnx file")
        }
        let graph = model.graph
        var tensors: [String: Onnx_TensorProto] = [:]
        for initializer in graph.initializer { tensors[initializer.name] = initializer }
        for node in graph.node where node.opType == "Constant" {
            if let value = node.attribute.first(where: { $0.name == "value" }), value.hasT, let output = node.output.first {
                tensors[output] = value.t
            }
        }
        self.tensors = tensors

        var inference = OnnxShapeInference(graph: graph, constants: tensors, inputSize: inputSize)
        inference.run()
        self.inputSize = inference.imageSize

        // Who reads each tensor: a conv whose output only a BatchNormalization reads is followed by it.
        var readers: [String: [Onnx_NodeProto]] = [:]
        for node in graph.node {
            for input in node.input where !input.isEmpty { readers[input, default: []].append(node) }
        }
        var batchNorms: [String: Onnx_NodeProto] = [:]
        var convolutions: [ModelConvolution] = []
        for (index, node) in graph.node.enumerated() where node.opType == "Conv" || node.opType == "ConvTranspose" {
            let transposed = node.opType == "ConvTranspose"
            let label = "\(node.opType) '\(node.name)'"
            guard node.input.count >= 2 else {
                throw InvalidInput("'\(path)': \(label) has no weight input")
            }
            let weightName = node.input[1]
            guard let weight = tensors[weightName] else {
                throw InvalidInput("'\(path)': \(label) reads weight '\(weightName)', which is neither an initializer nor a Constant; computed weights are not supported")
            }
            try OnnxTensorValues.checkLength(of: weight, path: path)
            let dims = weight.dims.map { Int(clamping: $0) }
            guard dims.count == 4 || dims.count == 3, dims.allSatisfy({ $0 >= 1 }) else {
                throw InvalidInput("'\(path)': \(label) has a weight of shape \(dims); accepted: 2-D convolutions, shape (cout, cin/groups, kh, kw), or 1-D, (cout, cin/groups, k)")
            }
            // A 1-D layer is the 2-D case kh = 1 (docs/methods.md §5): its attributes gain a row axis.
            let oneDimensional = dims.count == 3
            let kernel = Array(dims[2...])
            let shape = KernelShape(outputChannels: dims[0], inputChannels: dims[1],
                                    height: oneDimensional ? 1 : dims[2], width: dims[dims.count - 1])
            let attributes = OnnxAttributes(node)
            let axes = kernel.count
            let groups = attributes.integer("group") ?? 1
            let strides = attributes.integers("strides") ?? Array(repeating: 1, count: axes)
            let dilations = attributes.integers("dilations") ?? Array(repeating: 1, count: axes)
            let input = inference.size(of: node.input[0])
            let attributeProblem = OnnxShapeInference.convolutionProblem(
                label, kernel: kernel, strides: strides, dilations: dilations, attributes: attributes, axes: axes)
                ?? (groups >= 1 && groups <= OnnxShapeInference.maximumAttribute ? nil : "\(label) has group \(groups)")
            var pads: [Int]?
            var outputPadding: [Int]?
            if attributeProblem == nil {
                if transposed {
                    pads = attributes.integers("pads") ?? Array(repeating: 0, count: 2 * axes)
                    outputPadding = attributes.integers("output_padding") ?? Array(repeating: 0, count: axes)
                } else {
                    let sides = input.size.map { oneDimensional ? [$0[1]] : $0 }
                    pads = OnnxShapeInference.convolutionPads(attributes, kernel: kernel, strides: strides, dilations: dilations, inputSize: sides)
                }
            }
            func rows(_ values: [Int], fill: Int) -> [Int] { oneDimensional ? [fill] + values : values }
            func rowPads(_ values: [Int]) -> [Int] { oneDimensional && values.count == 2 ? [0, values[0], 0, values[1]] : values }
            var batchNorm: String?
            if let output = node.output.first, let consumers = readers[output], consumers.count == 1,
               consumers[0].opType == "BatchNormalization" {
                let name = consumers[0].name.isEmpty ? "BatchNormalization after \(node.name)" : consumers[0].name
                batchNorm = name
                batchNorms[node.name.isEmpty ? weightName : node.name] = consumers[0]
            }
            var problem = attributeProblem
            if problem == nil && pads == nil { problem = "auto_pad with an unknown input size: its padding cannot be placed" }
            if problem == nil && input.size == nil { problem = "input size unknown: \(input.reason ?? "not inferred")" }
            let name = node.name.isEmpty ? "\(node.opType) #\(index) (\(weightName))" : node.name
            convolutions.append(ModelConvolution(
                name: name, weightName: weightName, shape: shape, strides: rows(strides, fill: 1), pads: rowPads(pads ?? Array(repeating: 0, count: 2 * axes)),
                dilations: rows(dilations, fill: 1), groups: groups, inputSize: input.size, batchNorm: batchNorm, problem: problem,
                outputPadding: outputPadding.map { rows($0, fill: 0) }, dimensions: oneDimensional ? 1 : nil).checked())
        }
        self.convolutions = convolutions
        self.batchNorms = batchNorms
    }

    /// The weight of `layer` as a kernel (float64), converted from the file's type.
    public func kernel(of layer: ModelConvolution) throws -> ConvolutionKernel {
        guard let tensor = tensors[layer.weightName] else {
            throw InvalidInput("'\(path)' has no tensor '\(layer.weightName)'")
        }
        return try ConvolutionKernel(shape: layer.shape, values: OnnxTensorValues.values(of: tensor, path: path))
    }

    /// The batch normalisation after `layer` as per-output-channel `(scale, shift)`, where
    /// `scale = γ/√(σ² + ε)`: what `BatchNormFolding` multiplies into the kernel. `nil` when no
    /// batch norm follows.
    public func batchNormScale(of layer: ModelConvolution) throws -> [Double]? {
        try batchNormGain(of: layer)?.scales
    }

    /// The gain of the batch norm that follows `layer` (`BatchNormGain`), nil when none does.
    public func batchNormGain(of layer: ModelConvolution) throws -> BatchNormGain? {
        guard let node = batchNorms[layer.name] ?? batchNorms[layer.weightName] else { return nil }
        guard node.input.count >= 5 else {
            throw InvalidInput("'\(path)': BatchNormalization '\(node.name)' needs scale, bias, mean and variance inputs")
        }
        func vector(_ name: String) throws -> [Double] {
            guard let tensor = tensors[name] else {
                throw InvalidInput("'\(path)': BatchNormalization '\(node.name)' reads '\(name)', which is not a stored tensor")
            }
            return try OnnxTensorValues.values(of: tensor, path: path)
        }
        let epsilon = Double(OnnxAttributes(node).float("epsilon") ?? 1e-5)
        return try BatchNormFolding.gain(gamma: vector(node.input[1]), variance: vector(node.input[4]), epsilon: epsilon,
                                         channels: layer.shape.outputChannels, layer: layer.name)
    }
}
