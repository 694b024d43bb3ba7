import SpecBenchCore

/// Follows the full shape of every tensor of an ONNX graph (any rank: batch, channels, spatial
/// sides) and the values of the small integer tensors that graphs compute shapes with, node by
/// node in graph order (ONNX requires topological order), from the image input (docs/methods.md
/// §5: real exports compute shapes in the graph). Followed: `Conv`, `ConvTranspose`, pooling,
/// `Resize`/`Upsample` by scales or sizes, `Pad` (attribute or input), element-wise and
/// shape-preserving ops, reductions, and the shape ops `Shape`, `Gather`, `Unsqueeze`,
/// `Squeeze`, `Concat`, `Split`, `Reshape`, `Flatten`, `Transpose` (so NHWC graphs exported
/// from Keras, whose first op transposes the image), `Slice`, `Constant`, `ConstantOfShape`,
/// `Range`, `Expand`, `Cast`. A tensor whose shape cannot be followed keeps the reason (the first
/// op that was not followed), so that a layer is never placed by a guess. Every size is checked
/// before it is used: sides above `maximumSide`, element counts above 2^40, malformed
/// attributes and values make a tensor unknown, never a trap. O(nodes + attributes + values).
struct OnnxShapeInference {
    /// What is known of one tensor.
    struct Known {
        /// Its shape, when known.
        var shape: [Int]?
        /// Its values, for small integer tensors whose values are known (shapes, axes, sizes).
        var value: [Int]?
        /// Why the shape is unknown.
        var reason: String?

        static func unknown(_ reason: String?) -> Known { Known(shape: nil, value: nil, reason: reason) }
    }

    /// The spatial size of a tensor as a convolution reads it.
    struct Size {
        /// `[height, width]` (`[1, width]` for a 1-D tensor `(N, C, W)`), when known.
        var size: [Int]?
        /// Why it is unknown.
        var reason: String?
    }

    private let graph: Onnx_GraphProto
    private let constants: [String: Onnx_TensorProto]
    private let override: AxisPair?
    private var known: [String: Known] = [:]
    /// The image input's `[height, width]` used (the override, else the declared one).
    private(set) var imageSize: [Int]?

    /// Ops whose output has their first input's shape.
    static let shapePreserving: Set<String> = [
        "Relu", "LeakyRelu", "PRelu", "Sigmoid", "HardSigmoid", "HardSwish", "Tanh", "Elu", "Selu", "Celu", "Softplus",
        "Softsign", "Clip", "Gelu", "Mish", "Erf", "Exp", "Log", "Sqrt", "Neg", "Abs", "Reciprocal", "Identity",
        "Dropout", "BatchNormalization", "InstanceNormalization", "LRN", "Softmax", "LogSoftmax", "ThresholdedRelu",
        "QuantizeLinear", "DequantizeLinear", "Floor", "Ceil", "Round", "Sign", "Not", "Swish", "LayerNormalization",
    ]
    /// Element-wise ops that broadcast their inputs.
    static let broadcasting: Set<String> = ["Add", "Sub", "Mul", "Div", "Pow", "Max", "Min", "Sum", "Mean", "Where", "Equal", "Greater", "Less", "And", "Or", "Mod"]
    /// Reductions (`axes` attribute or input, `keepdims`).
    static let reductions: Set<String> = ["ReduceMean", "ReduceMax", "ReduceMin", "ReduceSum", "ReduceProd", "ReduceL2", "ReduceL1", "ReduceLogSumExp", "ArgMax", "ArgMin"]
    /// The largest spatial side followed (2^24): beyond it a file is not a real network, and
    /// bounding sides and attributes keeps every size computation far from overflow.
    static let maximumSide = 1 << 24
    /// The largest stride, dilation, kernel side or pad accepted from a file (2^20).
    static let maximumAttribute = 1 << 20
    /// The most elements a followed tensor may have (2^40), and the most values kept (1024).
    static let maximumElements = 1 << 40
    static let maximumValues = 1024

    /// Why attribute `name`'s `values` cannot be used (not `count` integers in `range`), or nil.
    static func attributeProblem(_ label: String, _ name: String, _ values: [Int], count: Int, range: ClosedRange<Int>) -> String? {
        guard values.count != count || !values.allSatisfy(range.contains) else { return nil }
        return "\(label) has \(name) \(values); accepted: \(count) integers from \(range.lowerBound) to \(range.upperBound)"
    }

    /// Why a convolution's or pool's kernel, strides, dilations or explicit pads cannot be used,
    /// or nil: checked before any size is computed from them (strides of 0 divided by zero, pads
    /// of 2^62 overflowed). `axes` is 2, or 1 for a 1-D layer.
    static func convolutionProblem(_ label: String, kernel: [Int], strides: [Int], dilations: [Int],
                                   attributes: OnnxAttributes, axes: Int = 2) -> String? {
        let positive = 1...maximumAttribute
        return attributeProblem(label, "kernel_shape", kernel, count: axes, range: positive)
            ?? attributeProblem(label, "strides", strides, count: axes, range: positive)
            ?? attributeProblem(label, "dilations", dilations, count: axes, range: positive)
            ?? attributes.integers("pads").flatMap { attributeProblem(label, "pads", $0, count: 2 * axes, range: 0...maximumAttribute) }
    }

    /// Prepares the inference; `inputSize` overrides the image input's declared size.
    init(graph: Onnx_GraphProto, constants: [String: Onnx_TensorProto], inputSize: AxisPair?) {
        self.graph = graph
        self.constants = constants
        self.override = inputSize
    }

    /// What is known of tensor `name`.
    func known(_ name: String) -> Known {
        if let entry = known[name] { return entry }
        if let tensor = constants[name] { return Self.constant(tensor) }
        return .unknown("tensor '\(name)' is not produced by a followed op")
    }

    /// The spatial size a convolution reading tensor `name` sees: `[H, W]` of an `(N, C, H, W)`
    /// tensor, `[1, W]` of an `(N, C, W)` one.
    func size(of name: String) -> Size {
        let entry = known(name)
        guard let shape = entry.shape else { return Size(size: nil, reason: entry.reason) }
        switch shape.count {
        case 4: return Size(size: [shape[2], shape[3]])
        case 3: return Size(size: [1, shape[2]])
        default: return Size(size: nil, reason: "tensor '\(name)' has shape \(shape), not an image")
        }
    }

    /// What a stored tensor says: its dims, and its values when it is a small integer tensor.
    static func constant(_ tensor: Onnx_TensorProto) -> Known {
        let dims = tensor.dims.map { Int(clamping: $0) }
        guard dims.allSatisfy({ $0 >= 0 && $0 <= maximumSide }), let count = elements(dims) else {
            return .unknown("constant '\(tensor.name)' has dims \(tensor.dims)")
        }
        var value: [Int]?
        let integer: Set<Int32> = [6, 7, 2, 3, 4, 5, 12, 13]  // int32, int64, uint8, int8, uint16, int16, uint32, uint64
        if count <= maximumValues, integer.contains(tensor.dataType), let values = try? OnnxTensorValues.values(of: tensor, path: "") {
            value = values.allSatisfy({ abs($0) < 1e15 }) ? values.map { Int($0) } : nil
        }
        return Known(shape: dims, value: value, reason: nil)
    }

    /// The product of `dims`, or nil above `maximumElements` (or for a negative dim).
    static func elements(_ dims: [Int]) -> Int? {
        var product = 1
        for dim in dims {
            guard dim >= 0 else { return nil }
            let (next, overflow) = product.multipliedReportingOverflow(by: dim)
            guard !overflow, next <= maximumElements else { return nil }
            product = next
        }
        return product
    }

    /// Runs the inference over the whole graph.
    mutating func run() {
        let initialized = Set(graph.initializer.map(\.name))
        var imageInputs = 0
        for input in graph.input where !initialized.contains(input.name) {
            let dims = input.type.tensorType.shape.dim.map { dimension -> Int? in
                if case .dimValue(let value)? = dimension.value, (0...Int64(Self.maximumSide)).contains(value) { return Int(value) }
                return nil
            }
            guard dims.count == 4 || dims.count == 3 else {
                known[input.name] = .unknown("graph input '\(input.name)' is not an image tensor (rank \(dims.count))")
                continue
            }
            imageInputs += 1
            var shape = dims
            shape[0] = shape[0] ?? 1  // a symbolic batch: one image
            // NHWC (Keras): channels last, a small known count, with the sides before them.
            let channelsLast = dims.count == 4 && (dims[3].map { $0 <= 4 } ?? false) && !(dims[1].map { $0 <= 4 } ?? false)
            let sides = dims.count == 3 ? [2] : channelsLast ? [1, 2] : [2, 3]
            if let override {
                let values = dims.count == 3 ? [override.width] : [override.height, override.width]
                for (axis, value) in zip(sides, values) { shape[axis] = value }
            }
            guard shape.allSatisfy({ $0 != nil && $0! >= 1 }) else {
                let symbolic = sides.contains { dims[$0] == nil } && override == nil
                known[input.name] = .unknown(symbolic
                    ? "graph input '\(input.name)' has a symbolic size; give --input-size"
                    : "graph input '\(input.name)' has an unknown or empty dimension \(dims.map { $0.map(String.init) ?? "?" }); give --input-size")
                continue
            }
            let full = shape.map { $0! }
            known[input.name] = Known(shape: full, value: nil, reason: nil)
            imageSize = dims.count == 3 ? [1, full[2]] : sides.map { full[$0] }
        }
        if imageInputs == 0 { imageSize = nil }
        for node in graph.node { infer(node) }
    }

    private mutating func infer(_ node: Onnx_NodeProto) {
        let label = "\(node.opType) '\(node.name)'"
        let outputs = node.output.filter { !$0.isEmpty }
        func setAll(_ value: Known) { for output in outputs { known[output] = checked(value, label) } }
        if node.opType == "Constant" {
            if let attribute = node.attribute.first(where: { $0.name == "value" }), attribute.hasT {
                setAll(Self.constant(attribute.t))
            } else {
                setAll(.unknown("\(label) holds no tensor value"))
            }
            return
        }
        let inputs = node.input.map { $0.isEmpty ? Known.unknown("an omitted input") : known($0) }
        guard let first = inputs.first else {
            setAll(.unknown("\(label) has no input"))
            return
        }
        let attributes = OnnxAttributes(node)
        switch node.opType {
        case "Conv", "MaxPool", "AveragePool", "LpPool", "ConvTranspose":
            setAll(convolution(node, input: first, attributes: attributes, label: label))
        case "GlobalAveragePool", "GlobalMaxPool", "GlobalLpPool":
            guard let shape = first.shape, shape.count >= 3 else { setAll(.unknown(first.reason)); return }
            setAll(Known(shape: Array(shape.prefix(2)) + Array(repeating: 1, count: shape.count - 2)))
        case "Resize", "Upsample":
            setAll(resized(node, inputs: inputs, attributes: attributes, label: label))
        case "Pad":
            guard let shape = first.shape else { setAll(.unknown(first.reason)); return }
            guard let pads = attributes.integers("pads") ?? (inputs.count > 1 ? inputs[1].value : nil), pads.count == 2 * shape.count,
                  pads.allSatisfy({ abs($0) <= Self.maximumAttribute }) else {
                setAll(.unknown("\(label) has pads that are not known or not 2 per axis"))
                return
            }
            setAll(Known(shape: shape.indices.map { shape[$0] + pads[$0] + pads[$0 + shape.count] }))
        case "Shape":
            guard let shape = first.shape else { setAll(.unknown(first.reason)); return }
            let rank = shape.count
            let start = Self.axis(attributes.integer("start") ?? 0, rank: rank, clamped: true) ?? 0
            let end = Self.axis(attributes.integer("end") ?? rank, rank: rank, clamped: true) ?? rank
            let value = start < end ? Array(shape[start..<end]) : []
            setAll(Known(shape: [value.count], value: value))
        case "Cast", "Identity":
            setAll(first)
        case _ where Self.shapePreserving.contains(node.opType):
            setAll(first.shape == nil ? .unknown(first.reason) : Known(shape: first.shape))
        case _ where Self.broadcasting.contains(node.opType):
            setAll(broadcast(node.opType, inputs, label: label))
        case _ where Self.reductions.contains(node.opType):
            guard let shape = first.shape else { setAll(.unknown(first.reason)); return }
            let keep = (attributes.integer("keepdims") ?? 1) != 0
            var axes = attributes.integers("axes") ?? (inputs.count > 1 ? inputs[1].value : nil)
            if let axis = attributes.integer("axis"), node.opType.hasPrefix("Arg") { axes = [axis] }
            let chosen = Set((axes ?? Array(0..<shape.count)).compactMap { Self.axis($0, rank: shape.count) })
            setAll(Known(shape: shape.indices.compactMap { chosen.contains($0) ? (keep ? 1 : nil) : shape[$0] }))
        case "Concat":
            setAll(concatenated(inputs, axis: attributes.integer("axis") ?? 0, label: label))
        case "Split":
            guard let shape = first.shape, let axis = Self.axis(attributes.integer("axis") ?? 0, rank: shape.count) else {
                setAll(.unknown(first.reason ?? "\(label) splits along an axis the tensor does not have"))
                return
            }
            var parts = attributes.integers("split") ?? (inputs.count > 1 ? inputs[1].value : nil)
            if parts == nil, !outputs.isEmpty, shape[axis] % outputs.count == 0 {
                parts = Array(repeating: shape[axis] / outputs.count, count: outputs.count)
            }
            guard let parts, parts.count == outputs.count, parts.allSatisfy({ $0 >= 0 }), parts.reduce(0, +) == shape[axis] else {
                setAll(.unknown("\(label) has split sizes that are not known or do not add up"))
                return
            }
            for (output, part) in zip(outputs, parts) {
                var piece = shape
                piece[axis] = part
                known[output] = checked(Known(shape: piece), label)
            }
        case "Reshape":
            setAll(reshaped(first, inputs.count > 1 ? inputs[1] : .unknown("no shape input"),
                            allowZero: attributes.integer("allowzero") == 1, label: label))
        case "Flatten":
            guard let shape = first.shape, let axis = Self.axis(attributes.integer("axis") ?? 1, rank: shape.count, clamped: true),
                  let before = Self.elements(Array(shape[..<axis])), let after = Self.elements(Array(shape[axis...])) else {
                setAll(.unknown(first.reason ?? "\(label) flattens at an axis the tensor does not have"))
                return
            }
            setAll(Known(shape: [before, after]))
        case "Transpose":
            guard let shape = first.shape else { setAll(.unknown(first.reason)); return }
            let perm = attributes.integers("perm") ?? Array(shape.indices.reversed())
            guard perm.count == shape.count, Set(perm) == Set(shape.indices) else {
                setAll(.unknown("\(label) has perm \(perm), not a permutation of \(shape.count) axes"))
                return
            }
            setAll(Known(shape: perm.map { shape[$0] }))
        case "Unsqueeze", "Squeeze":
            guard let shape = first.shape else { setAll(.unknown(first.reason)); return }
            let axes = attributes.integers("axes") ?? (inputs.count > 1 ? inputs[1].value : nil)
            if node.opType == "Squeeze" {
                let chosen = Set((axes ?? shape.indices.filter { shape[$0] == 1 }).compactMap { Self.axis($0, rank: shape.count) })
                setAll(Known(shape: shape.indices.filter { !chosen.contains($0) }.map { shape[$0] }, value: first.value))
            } else {
                guard let axes else { setAll(.unknown("\(label) has no axes")); return }
                let rank = shape.count + axes.count
                let chosen = Set(axes.compactMap { Self.axis($0, rank: rank) })
                guard chosen.count == axes.count else { setAll(.unknown("\(label) has axes \(axes) outside rank \(rank)")); return }
                var rest = shape.makeIterator()
                setAll(Known(shape: (0..<rank).map { chosen.contains($0) ? 1 : rest.next() ?? 1 }, value: first.value))
            }
        case "Gather":
            setAll(gathered(first, inputs.count > 1 ? inputs[1] : .unknown("no indices"), axis: attributes.integer("axis") ?? 0, label: label))
        case "Slice":
            setAll(sliced(node, inputs: inputs, attributes: attributes, label: label))
        case "ConstantOfShape":
            guard let dims = first.value, dims.allSatisfy({ $0 >= 0 }) else { setAll(.unknown("\(label) has a shape that is not known")); return }
            setAll(Known(shape: dims))
        case "Range":
            guard inputs.count == 3, let start = inputs[0].value?.first, let limit = inputs[1].value?.first,
                  let delta = inputs[2].value?.first, delta != 0 else {
                setAll(.unknown("\(label) has bounds that are not known integers"))
                return
            }
            let count = Swift.max(0, (limit - start + delta - (delta > 0 ? 1 : -1)) / delta)
            setAll(Known(shape: [count], value: count <= Self.maximumValues ? stride(from: start, to: limit, by: delta).map { $0 } : nil))
        case "Expand":
            guard inputs.count > 1, let target = inputs[1].value else { setAll(.unknown("\(label) has a shape that is not known")); return }
            setAll(broadcast("Expand", [first, Known(shape: target)], label: label))
        default:
            setAll(.unknown("it passes through \(label), whose effect on the shape is not followed"))
        }
    }

    /// `value` when its shape's sides and element count are in bounds, else unknown.
    private func checked(_ value: Known, _ label: String) -> Known {
        guard let shape = value.shape else { return value }
        guard shape.allSatisfy({ $0 >= 0 && $0 <= Self.maximumSide }), Self.elements(shape) != nil else {
            return .unknown("\(label) gives the shape \(shape); accepted: sides from 0 to \(Self.maximumSide)")
        }
        var result = value
        if let values = value.value, values.count > Self.maximumValues || values.contains(where: { abs($0) > 1 << 50 }) { result.value = nil }
        return result
    }

    /// An axis in `0..<rank` (negative counts from the end); `clamped` clamps to `0...rank`
    /// (slicing bounds) instead of refusing.
    static func axis(_ axis: Int, rank: Int, clamped: Bool = false) -> Int? {
        guard abs(axis) <= 1 << 30 else { return clamped ? (axis < 0 ? 0 : rank) : nil }
        let resolved = axis < 0 ? axis + rank : axis
        if clamped { return Swift.min(Swift.max(resolved, 0), rank) }
        return resolved >= 0 && resolved < rank ? resolved : nil
    }

    private func convolution(_ node: Onnx_NodeProto, input: Known, attributes: OnnxAttributes, label: String) -> Known {
        guard let shape = input.shape else { return .unknown(input.reason) }
        guard shape.count == 4 || shape.count == 3 else { return .unknown("\(label) reads a tensor of shape \(shape), not an image") }
        let axes = shape.count - 2
        let transposed = node.opType == "ConvTranspose"
        var kernel = attributes.integers("kernel_shape") ?? []
        var channels = shape[1]
        if node.opType == "Conv" || transposed {
            guard node.input.count > 1, let weight = constants[node.input[1]], weight.dims.count == axes + 2 else {
                return .unknown("\(label) has no stored weight of rank \(axes + 2)")
            }
            let dims = weight.dims.map { Int(clamping: $0) }
            kernel = Array(dims[2...])
            let groups = attributes.integer("group") ?? 1
            guard (1...Self.maximumAttribute).contains(groups), dims.allSatisfy({ $0 >= 0 && $0 <= Self.maximumSide }) else {
                return .unknown("\(label) has group \(groups) or weight dims \(dims) out of range")
            }
            channels = transposed ? dims[1] * groups : dims[0]
        }
        let strides = attributes.integers("strides") ?? Array(repeating: 1, count: axes)
        let dilations = attributes.integers("dilations") ?? Array(repeating: 1, count: axes)
        if let problem = Self.convolutionProblem(label, kernel: kernel, strides: strides, dilations: dilations, attributes: attributes, axes: axes) {
            return .unknown(problem)
        }
        let sides = Array(shape[2...])
        if transposed {
            let pads = attributes.integers("pads") ?? Array(repeating: 0, count: 2 * axes)
            let outputPadding = attributes.integers("output_padding") ?? Array(repeating: 0, count: axes)
            let range = 0...Self.maximumAttribute
            if let problem = Self.attributeProblem(label, "pads", pads, count: 2 * axes, range: range)
                ?? Self.attributeProblem(label, "output_padding", outputPadding, count: axes, range: range) {
                return .unknown(problem)
            }
            let output = (0..<axes).map { axis -> Int in
                let spread: Int = strides[axis] * (sides[axis] - 1) + outputPadding[axis]
                let extent: Int = dilations[axis] * (kernel[axis] - 1) + 1
                return spread + extent - pads[axis] - pads[axis + axes]
            }
            guard output.allSatisfy({ $0 >= 1 }) else { return .unknown("\(label) has an empty output") }
            return Known(shape: [shape[0], channels] + output)
        }
        guard let pads = Self.convolutionPads(attributes, kernel: kernel, strides: strides, dilations: dilations, inputSize: sides) else {
            return .unknown("\(label) has an unknown auto_pad")
        }
        let ceilMode = attributes.integer("ceil_mode") == 1
        let output = (0..<axes).map { axis -> Int in
            let span = sides[axis] + pads[axis] + pads[axis + axes] - dilations[axis] * (kernel[axis] - 1) - 1
            let quotient = ceilMode ? (span + strides[axis] - 1) / strides[axis] : span / strides[axis]
            return span < 0 ? 0 : quotient + 1
        }
        guard output.allSatisfy({ $0 >= 1 }) else { return .unknown("\(label) has an empty output") }
        return Known(shape: [shape[0], channels] + output)
    }

    private func broadcast(_ op: String, _ inputs: [Known], label: String) -> Known {
        var shapes: [[Int]] = []
        for operand in inputs {
            guard let shape = operand.shape else { return .unknown(operand.reason) }
            shapes.append(shape)
        }
        let rank = shapes.map(\.count).max() ?? 0
        var result = Array(repeating: 1, count: rank)
        for shape in shapes {
            let padded = Array(repeating: 1, count: rank - shape.count) + shape
            for axis in 0..<rank where padded[axis] != 1 {
                guard result[axis] == 1 || result[axis] == padded[axis] else {
                    return .unknown("\(label) broadcasts shapes \(shapes) that do not match")
                }
                result[axis] = padded[axis]
            }
        }
        // Integer arithmetic on known 1-D values (shape computations).
        var value: [Int]?
        if inputs.count == 2, rank <= 1, let a = inputs[0].value, let b = inputs[1].value, !a.isEmpty, !b.isEmpty {
            let count = Swift.max(a.count, b.count)
            if (a.count == 1 || a.count == count) && (b.count == 1 || b.count == count) {
                let pairs = (0..<count).map { (a[a.count == 1 ? 0 : $0], b[b.count == 1 ? 0 : $0]) }
                switch op {
                case "Add": value = pairs.map { $0.0 &+ $0.1 }
                case "Sub": value = pairs.map { $0.0 &- $0.1 }
                case "Mul": value = pairs.map { $0.0 &* $0.1 }
                case "Div": value = pairs.contains { $0.1 == 0 } ? nil : pairs.map { $0.0 / $0.1 }
                default: value = nil
                }
            }
        }
        return Known(shape: result, value: value)
    }

    private func concatenated(_ inputs: [Known], axis: Int, label: String) -> Known {
        var shapes: [[Int]] = []
        for input in inputs {
            guard let shape = input.shape else { return .unknown(input.reason) }
            shapes.append(shape)
        }
        guard let first = shapes.first, let resolved = Self.axis(axis, rank: first.count),
              shapes.allSatisfy({ shape in shape.count == first.count && shape.indices.allSatisfy { $0 == resolved || shape[$0] == first[$0] } }) else {
            return .unknown("\(label) joins shapes \(shapes) along axis \(axis)")
        }
        var shape = first
        shape[resolved] = shapes.reduce(0) { $0 + $1[resolved] }
        let values = inputs.compactMap(\.value)
        return Known(shape: shape, value: first.count == 1 && values.count == inputs.count ? values.flatMap { $0 } : nil)
    }

    private func reshaped(_ data: Known, _ target: Known, allowZero: Bool, label: String) -> Known {
        guard let shape = data.shape, let count = Self.elements(shape) else { return .unknown(data.reason) }
        guard let requested = target.value else { return .unknown(target.reason ?? "\(label) has a shape that is not known") }
        var result = requested.enumerated().map { index, dim in !allowZero && dim == 0 && index < shape.count ? shape[index] : dim }
        let unknownAxes = result.indices.filter { result[$0] == -1 }
        guard unknownAxes.count <= 1, result.allSatisfy({ $0 >= -1 }) else { return .unknown("\(label) asks for the shape \(requested)") }
        if let axis = unknownAxes.first {
            let rest = result.filter { $0 != -1 }
            guard let known = Self.elements(rest), known > 0, count % known == 0 else { return .unknown("\(label) cannot infer -1 in \(requested)") }
            result[axis] = count / known
        }
        guard Self.elements(result) == count else { return .unknown("\(label) reshapes \(shape) to \(result), a different size") }
        return Known(shape: result, value: data.value)
    }

    private func gathered(_ data: Known, _ indices: Known, axis: Int, label: String) -> Known {
        guard let shape = data.shape, let resolved = Self.axis(axis, rank: shape.count) else {
            return .unknown(data.reason ?? "\(label) gathers along an axis the tensor does not have")
        }
        guard let indexShape = indices.shape else { return .unknown(indices.reason) }
        let result = Array(shape[..<resolved]) + indexShape + Array(shape[(resolved + 1)...])
        var value: [Int]?
        if shape.count == 1, let values = data.value, let picks = indices.value {
            let resolvedPicks = picks.map { $0 < 0 ? $0 + values.count : $0 }
            if resolvedPicks.allSatisfy({ $0 >= 0 && $0 < values.count }) { value = resolvedPicks.map { values[$0] } }
        }
        return Known(shape: result, value: value)
    }

    private func sliced(_ node: Onnx_NodeProto, inputs: [Known], attributes: OnnxAttributes, label: String) -> Known {
        guard let shape = inputs[0].shape else { return .unknown(inputs[0].reason) }
        func input(_ index: Int) -> [Int]? { inputs.count > index ? inputs[index].value : nil }
        guard let starts = attributes.integers("starts") ?? input(1), let ends = attributes.integers("ends") ?? input(2),
              starts.count == ends.count else {
            return .unknown("\(label) has starts and ends that are not known")
        }
        let axes = attributes.integers("axes") ?? input(3) ?? Array(0..<starts.count)
        let steps = input(4) ?? Array(repeating: 1, count: starts.count)
        guard axes.count == starts.count, steps.count == starts.count, !steps.contains(0) else {
            return .unknown("\(label) has axes or steps that do not match its starts")
        }
        var result = shape
        var value = inputs[0].value
        for index in starts.indices {
            guard let axis = Self.axis(axes[index], rank: shape.count) else { return .unknown("\(label) slices an axis the tensor does not have") }
            let size = shape[axis], step = steps[index]
            func bound(_ raw: Int, _ low: Int, _ high: Int) -> Int {
                let clampedRaw = Swift.max(-(1 << 40), Swift.min(raw, 1 << 40))
                return Swift.min(Swift.max(clampedRaw < 0 ? clampedRaw + size : clampedRaw, low), high)
            }
            let start = step > 0 ? bound(starts[index], 0, size) : bound(starts[index], -1, size - 1)
            let end = step > 0 ? bound(ends[index], 0, size) : bound(ends[index], -1, size - 1)
            // Elements start, start + step, … before end, counted without listing them.
            let span = step > 0 ? end - start : start - end
            let count = span <= 0 ? 0 : (span - 1) / abs(step) + 1
            result[axis] = count
            if shape.count == 1, let values = value, values.count == size, count <= Self.maximumValues {
                value = (0..<count).map { values[start + $0 * step] }
            } else {
                value = nil
            }
        }
        return Known(shape: result, value: value)
    }

    private func resized(_ node: Onnx_NodeProto, inputs: [Known], attributes: OnnxAttributes, label: String) -> Known {
        guard let shape = inputs[0].shape else { return .unknown(inputs[0].reason) }
        // Upsample-7: attribute scales; Upsample-9 and Resize-10: input 1; Resize-11+: scales
        // input 2, sizes input 3 (integers, possibly computed in the graph).
        func stored(_ index: Int) -> [Double]? {
            guard node.input.count > index, !node.input[index].isEmpty, let tensor = constants[node.input[index]] else { return nil }
            return try? OnnxTensorValues.values(of: tensor, path: "")
        }
        if node.opType == "Resize", inputs.count > 3, let sizes = inputs[3].value ?? stored(3).map({ $0.map { Int(clamping: Int64(exactly: $0.rounded()) ?? -1) } }) {
            let axes = attributes.integers("axes").map { $0.compactMap { Self.axis($0, rank: shape.count) } } ?? Array(shape.indices)
            guard sizes.count == axes.count, sizes.allSatisfy({ $0 >= 1 && $0 <= Self.maximumSide }) else {
                return .unknown("\(label) has sizes \(sizes); accepted: one per resized axis, from 1 to \(Self.maximumSide)")
            }
            var result = shape
            for (axis, size) in zip(axes, sizes) { result[axis] = size }
            return Known(shape: result)
        }
        let scales = attributes.floats("scales").map { $0.map(Double.init) } ?? stored(node.opType == "Resize" && node.input.count > 2 ? 2 : 1)
        guard let scales, scales.count == shape.count else { return .unknown("\(label) has scales or sizes that are not stored") }
        var result = shape
        for axis in shape.indices {
            let side = (Double(shape[axis]) * scales[axis]).rounded(.down)
            guard side.isFinite, side >= 1, side <= Double(Self.maximumSide) else {
                return .unknown("\(label) has scales \(scales) that give a side outside 1 to \(Self.maximumSide)")
            }
            result[axis] = Int(side)
        }
        return Known(shape: result)
    }

    /// A convolution's or pool's pads `[begin…, end…]` (for 2-D `[top, left, bottom, right]`)
    /// from its `pads` or `auto_pad`; `nil` when `auto_pad` is SAME_* and the input size is
    /// unknown.
    static func convolutionPads(_ attributes: OnnxAttributes, kernel: [Int], strides: [Int], dilations: [Int],
                                inputSize: [Int]?) -> [Int]? {
        let axes = kernel.count
        switch attributes.string("auto_pad") ?? "NOTSET" {
        case "VALID":
            return Array(repeating: 0, count: 2 * axes)
        case "SAME_UPPER", "SAME_LOWER":
            guard let inputSize, inputSize.count == axes else { return nil }
            let upper = attributes.string("auto_pad") == "SAME_UPPER"
            var pads = Array(repeating: 0, count: 2 * axes)
            for axis in 0..<axes {
                let (small, large) = Pads.same(side: inputSize[axis], kernel: kernel[axis], stride: strides[axis], dilation: dilations[axis])
                pads[axis] = upper ? small : large
                pads[axis + axes] = upper ? large : small
            }
            return pads
        default:
            return attributes.integers("pads") ?? Array(repeating: 0, count: 2 * axes)
        }
    }
}
