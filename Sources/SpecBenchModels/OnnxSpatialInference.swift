import SpecBenchCore

/// Follows the spatial size `[height, width]` of every tensor of an ONNX graph from its image
/// input, node by node in graph order (ONNX requires topological order): through `Conv`,
/// `ConvTranspose`, pooling, `Resize`/`Upsample`, `Pad`, channel `Concat`/`Split`, broadcasting
/// element-wise ops and the shape-preserving ones. A tensor whose size cannot be followed keeps
/// the reason (the first op that was not followed), so that a layer is never placed by a guess.
/// O(nodes + attributes).
struct OnnxSpatialInference {
    /// What is known of one tensor.
    struct Size {
        /// `[height, width]`, when known.
        var size: [Int]?
        /// Why it is unknown.
        var reason: String?
    }

    private let graph: Onnx_GraphProto
    private let constants: [String: Onnx_TensorProto]
    private let override: AxisPair?
    private var sizes: [String: Size] = [:]
    /// The image input's `[height, width]` used (the override, else the declared one).
    private(set) var imageSize: [Int]?

    /// Ops whose output has their first input's spatial size.
    static let shapePreserving: Set<String> = [
        "Relu", "LeakyRelu", "PRelu", "Sigmoid", "HardSigmoid", "HardSwish", "Tanh", "Elu", "Selu", "Celu", "Softplus",
        "Softsign", "Clip", "Gelu", "Mish", "Erf", "Exp", "Log", "Sqrt", "Neg", "Abs", "Reciprocal", "Cast", "Identity",
        "Dropout", "BatchNormalization", "InstanceNormalization", "LRN", "Softmax", "LogSoftmax", "ThresholdedRelu",
        "QuantizeLinear", "DequantizeLinear", "Floor", "Ceil", "Round", "Sign",
    ]
    /// The largest spatial side followed (2^24): beyond it a file is not a real network, and
    /// bounding sides and attributes keeps every size computation far from overflow.
    static let maximumSide = 1 << 24
    /// The largest stride, dilation, kernel side or pad accepted from a file (2^20).
    static let maximumAttribute = 1 << 20

    /// Why attribute `name`'s `values` cannot be used (not `count` integers in `range`), or nil.
    static func attributeProblem(_ label: String, _ name: String, _ values: [Int], count: Int, range: ClosedRange<Int>) -> String? {
        guard values.count != count || !values.allSatisfy(range.contains) else { return nil }
        return "\(label) has \(name) \(values); accepted: \(count) integers from \(range.lowerBound) to \(range.upperBound)"
    }

    /// Why a convolution's or pool's kernel, strides, dilations or explicit pads cannot be used,
    /// or nil: checked before any size is computed from them (strides of 0 divided by zero, pads
    /// of 2^62 overflowed).
    static func convolutionProblem(_ label: String, kernel: [Int], strides: [Int], dilations: [Int],
                                   attributes: OnnxAttributes) -> String? {
        let positive = 1...maximumAttribute
        return attributeProblem(label, "kernel_shape", kernel, count: 2, range: positive)
            ?? attributeProblem(label, "strides", strides, count: 2, range: positive)
            ?? attributeProblem(label, "dilations", dilations, count: 2, range: positive)
            ?? attributes.integers("pads").flatMap { attributeProblem(label, "pads", $0, count: 4, range: 0...maximumAttribute) }
    }

    /// `size` when both sides are in `1...maximumSide`, else unknown with the reason.
    static func bounded(_ size: [Int], _ label: String) -> Size {
        guard size.allSatisfy({ $0 >= 1 && $0 <= maximumSide }) else {
            return Size(size: nil, reason: "\(label) gives the spatial size \(size); accepted: sides from 1 to \(maximumSide)")
        }
        return Size(size: size)
    }

    /// Element-wise ops that broadcast their inputs.
    static let broadcasting: Set<String> = ["Add", "Sub", "Mul", "Div", "Pow", "Max", "Min", "Sum", "Mean", "Where", "Equal", "Greater", "Less"]

    /// Prepares the inference; `inputSize` overrides the image input's declared size.
    init(graph: Onnx_GraphProto, constants: [String: Onnx_TensorProto], inputSize: AxisPair?) {
        self.graph = graph
        self.constants = constants
        self.override = inputSize
    }

    /// What is known of tensor `name`'s spatial size.
    func size(of name: String) -> Size {
        sizes[name] ?? Size(size: nil, reason: constants[name] != nil ? "it is a constant" : "tensor '\(name)' is not produced by a followed op")
    }

    /// Runs the inference over the whole graph.
    mutating func run() {
        let initialized = Set(graph.initializer.map(\.name))
        var imageInputs = 0
        for input in graph.input where !initialized.contains(input.name) {
            let dims = input.type.tensorType.shape.dim
            guard dims.count == 4 else {
                sizes[input.name] = Size(size: nil, reason: "graph input '\(input.name)' is not a 4-D image tensor")
                continue
            }
            imageInputs += 1
            if let override {
                sizes[input.name] = Size(size: [override.height, override.width])
                imageSize = [override.height, override.width]
            } else if case .dimValue(let height)? = dims[2].value, case .dimValue(let width)? = dims[3].value,
                      (1...Int64(Self.maximumSide)).contains(height), (1...Int64(Self.maximumSide)).contains(width) {
                let size = [Int(height), Int(width)]
                sizes[input.name] = Size(size: size)
                imageSize = size
            } else if case .dimValue? = dims[2].value, case .dimValue? = dims[3].value {
                sizes[input.name] = Size(size: nil, reason: "graph input '\(input.name)' declares a spatial size outside 1 to \(Self.maximumSide); give --input-size")
            } else {
                sizes[input.name] = Size(size: nil, reason: "graph input '\(input.name)' has a symbolic size; give --input-size")
            }
        }
        if imageInputs == 0 { imageSize = nil }
        for node in graph.node { infer(node) }
    }

    private mutating func infer(_ node: Onnx_NodeProto) {
        let label = "\(node.opType) '\(node.name)'"
        func setAll(_ value: Size) { for output in node.output where !output.isEmpty { sizes[output] = value } }
        guard let first = node.input.first else {
            setAll(Size(size: nil, reason: "\(label) has no input"))
            return
        }
        let input = size(of: first)
        guard let inputSize = input.size else {
            if Self.broadcasting.contains(node.opType) {
                // A constant operand broadcasts; the spatial one decides.
                let known = node.input.filter { constants[$0] == nil }.map { size(of: $0) }
                if known.count == 1, let only = known.first { setAll(only); return }
            }
            setAll(Size(size: nil, reason: input.reason))
            return
        }
        let attributes = OnnxAttributes(node)
        switch node.opType {
        case "Conv", "MaxPool", "AveragePool", "LpPool":
            var kernel = attributes.integers("kernel_shape") ?? []
            if node.opType == "Conv", node.input.count > 1, let weight = constants[node.input[1]], weight.dims.count == 4 {
                kernel = [Int(weight.dims[2]), Int(weight.dims[3])]
            }
            guard kernel.count == 2 else { setAll(Size(size: nil, reason: "\(label) is not 2-D")); return }
            let strides = attributes.integers("strides") ?? [1, 1]
            let dilations = attributes.integers("dilations") ?? [1, 1]
            if let problem = Self.convolutionProblem(label, kernel: kernel, strides: strides, dilations: dilations, attributes: attributes) {
                setAll(Size(size: nil, reason: problem))
                return
            }
            guard let pads = Self.convolutionPads(attributes, kernel: kernel, strides: strides, dilations: dilations,
                                                  inputSize: inputSize) else {
                setAll(Size(size: nil, reason: "\(label) has an unknown auto_pad"))
                return
            }
            let ceilMode = attributes.integer("ceil_mode") == 1
            let output = (0..<2).map { axis -> Int in
                let span = inputSize[axis] + pads[axis] + pads[axis + 2] - dilations[axis] * (kernel[axis] - 1) - 1
                let quotient = ceilMode ? (span + strides[axis] - 1) / strides[axis] : span / strides[axis]
                return quotient + 1
            }
            setAll(output.allSatisfy { $0 >= 1 } ? Self.bounded(output, label) : Size(size: nil, reason: "\(label) has an empty output"))
        case "ConvTranspose":
            guard node.input.count > 1, let weight = constants[node.input[1]], weight.dims.count == 4 else {
                setAll(Size(size: nil, reason: "\(label) has no stored 2-D weight"))
                return
            }
            let kernel = [Int(weight.dims[2]), Int(weight.dims[3])]
            let strides = attributes.integers("strides") ?? [1, 1]
            let dilations = attributes.integers("dilations") ?? [1, 1]
            let pads = attributes.integers("pads") ?? [0, 0, 0, 0]
            let outputPadding = attributes.integers("output_padding") ?? [0, 0]
            let range = 0...Self.maximumAttribute
            if let problem = Self.convolutionProblem(label, kernel: kernel, strides: strides, dilations: dilations, attributes: attributes)
                ?? Self.attributeProblem(label, "pads", pads, count: 4, range: range)
                ?? Self.attributeProblem(label, "output_padding", outputPadding, count: 2, range: range) {
                setAll(Size(size: nil, reason: problem))
                return
            }
            setAll(Self.bounded((0..<2).map {
                strides[$0] * (inputSize[$0] - 1) + outputPadding[$0] + dilations[$0] * (kernel[$0] - 1) + 1 - pads[$0] - pads[$0 + 2]
            }, label))
        case "GlobalAveragePool", "GlobalMaxPool", "GlobalLpPool":
            setAll(Size(size: [1, 1]))
        case "Resize", "Upsample":
            setAll(resized(node, inputSize: inputSize, attributes: attributes, label: label))
        case "Pad":
            var pads = attributes.integers("pads")
            if pads == nil, node.input.count > 1, let tensor = constants[node.input[1]],
               let values = try? OnnxTensorValues.values(of: tensor, path: "") {
                pads = values.map { Int($0) }
            }
            guard let pads, pads.count == 8 else { setAll(Size(size: nil, reason: "\(label) has pads that are not stored")); return }
            if let problem = Self.attributeProblem(label, "pads", pads, count: 8, range: -Self.maximumSide...Self.maximumAttribute) {
                setAll(Size(size: nil, reason: problem))
                return
            }
            setAll(Self.bounded([inputSize[0] + pads[2] + pads[6], inputSize[1] + pads[3] + pads[7]], label))
        case "Concat":
            let axis = attributes.integer("axis") ?? 1
            let all = node.input.map { size(of: $0).size }
            if axis == 1 || axis == -3, all.allSatisfy({ $0 == inputSize }) {
                setAll(Size(size: inputSize))
            } else {
                setAll(Size(size: nil, reason: "\(label) joins along axis \(axis) or inputs of different sizes"))
            }
        case "Split":
            let axis = attributes.integer("axis") ?? 0
            setAll(axis == 1 || axis == -3 ? Size(size: inputSize) : Size(size: nil, reason: "\(label) splits along axis \(axis)"))
        case _ where Self.shapePreserving.contains(node.opType):
            setAll(Size(size: inputSize))
        case _ where Self.broadcasting.contains(node.opType):
            var result = inputSize
            for other in node.input.dropFirst() where constants[other] == nil {
                let operand = size(of: other)
                guard let operandSize = operand.size else {
                    setAll(Size(size: nil, reason: operand.reason))
                    return
                }
                result = zip(result, operandSize).map { Swift.max($0, $1) }
            }
            setAll(Size(size: result))
        default:
            setAll(Size(size: nil, reason: "it passes through \(label), whose effect on the spatial size is not followed"))
        }
    }

    private func resized(_ node: Onnx_NodeProto, inputSize: [Int], attributes: OnnxAttributes, label: String) -> Size {
        // Upsample-7: attribute scales; Upsample-9 and Resize-10: input 1; Resize-11+: scales
        // input 2, sizes input 3.
        func stored(_ index: Int) -> [Double]? {
            guard node.input.count > index, !node.input[index].isEmpty, let tensor = constants[node.input[index]] else { return nil }
            return try? OnnxTensorValues.values(of: tensor, path: "")
        }
        // Sides computed in floating point and checked before any conversion to Int (NaN, ±inf
        // or 1e300 would trap).
        func side(_ value: Double) -> Int? {
            value.isFinite && value >= 1 && value <= Double(Self.maximumSide) ? Int(value) : nil
        }
        if node.opType == "Resize", let sizes = stored(3), sizes.count == 4 {
            guard let height = side(sizes[2]), let width = side(sizes[3]) else {
                return Size(size: nil, reason: "\(label) has sizes \(sizes); accepted: spatial sides from 1 to \(Self.maximumSide)")
            }
            return Size(size: [height, width])
        }
        let scales = attributes.floats("scales").map { $0.map(Double.init) } ?? stored(node.opType == "Resize" && node.input.count > 2 ? 2 : 1)
        guard let scales, scales.count == 4 else { return Size(size: nil, reason: "\(label) has scales or sizes that are not stored") }
        guard let height = side((Double(inputSize[0]) * scales[2]).rounded(.down)),
              let width = side((Double(inputSize[1]) * scales[3]).rounded(.down)) else {
            return Size(size: nil, reason: "\(label) has scales \(scales) that give a side outside 1 to \(Self.maximumSide)")
        }
        return Size(size: [height, width])
    }

    /// A convolution's or pool's `[top, left, bottom, right]` padding from its `pads` or
    /// `auto_pad`; `nil` when `auto_pad` is SAME_* and the input size is unknown.
    static func convolutionPads(_ attributes: OnnxAttributes, kernel: [Int], strides: [Int], dilations: [Int],
                                inputSize: [Int]?) -> [Int]? {
        switch attributes.string("auto_pad") ?? "NOTSET" {
        case "VALID":
            return [0, 0, 0, 0]
        case "SAME_UPPER", "SAME_LOWER":
            guard let inputSize else { return nil }
            let upper = attributes.string("auto_pad") == "SAME_UPPER"
            var pads = [0, 0, 0, 0]
            for axis in 0..<2 {
                let output = (inputSize[axis] + strides[axis] - 1) / strides[axis]
                let total = max((output - 1) * strides[axis] + dilations[axis] * (kernel[axis] - 1) + 1 - inputSize[axis], 0)
                let small = total / 2
                pads[axis] = upper ? small : total - small
                pads[axis + 2] = total - pads[axis]
            }
            return pads
        default:
            return attributes.integers("pads") ?? [0, 0, 0, 0]
        }
    }
}
