import SpecBenchCore

/// Places the convolutions of a torchvision ResNet state dict (ResNet-18/34 basic blocks,
/// ResNet-50/101/152 bottlenecks, torchvision's v1.5 layout) from their names alone, for formats
/// that store tensors only (checkpoints, safetensors): stride, padding, input size and the batch
/// norm after each.
///
/// `conv1` is 7×7 stride 2 pad 3 on the n × n image; a 3×3 stride-2 max-pool (pad 1) follows;
/// `layer1` runs at that size; in the first block of `layer2`–`layer4` the 3×3 convolution
/// (`conv1` of a basic block, `conv2` of a bottleneck) and `downsample.0` (1×1) have stride 2
/// and read the block's input size; every other convolution has stride 1 and pad ⌊k/2⌋. The
/// batch norm of `convK` is `bnK` in the same block, of `downsample.0` it is `downsample.1`,
/// of `conv1` it is `bn1`. A 4-D weight whose name fits none of these is left unplaced, with
/// that reason. O(layers).
public enum TorchvisionResNetPreset {
    /// The preset's name in configs and on the command line.
    public static let name = ModelPreset.torchvisionResNet.rawValue

    /// `convolutions` (unplaced, as listed from a checkpoint) placed for an `H × W` image.
    public static func place(_ convolutions: [ModelConvolution], inputSize: AxisPair) -> [ModelConvolution] {
        func output(_ size: Int, kernel: Int, stride: Int, pad: Int) -> Int { (size + 2 * pad - kernel) / stride + 1 }
        // Output size of stage s along one axis: the pooled size, halved (3×3, stride 2, pad 1)
        // by stages 2…s (stage 0: the image, stage 1: after the stem and its max-pool).
        func sizeAfter(_ stage: Int, _ side: Int) -> Int {
            guard stage >= 1 else { return side }
            var size = output(output(side, kernel: 7, stride: 2, pad: 3), kernel: 3, stride: 2, pad: 1)
            if stage >= 2 { for _ in 2...stage { size = output(size, kernel: 3, stride: 2, pad: 1) } }
            return size
        }
        func stageOutput(_ stage: Int) -> [Int] { [sizeAfter(stage, inputSize.height), sizeAfter(stage, inputSize.width)] }
        let pooled = stageOutput(1)
        // Bottleneck blocks have a conv3; their stride-2 convolution is conv2.
        let stridedIndex = convolutions.contains { $0.name.hasSuffix(".conv3.weight") } ? 2 : 1
        let unknownName = "not a torchvision ResNet layer name (conv1, layerL.B.convK, layerL.B.downsample.0)"
        return convolutions.map { layer in
            var placed = layer
            func set(input: [Int], stride: Int, batchNorm: String) {
                let pad = layer.shape.height / 2, padWidth = layer.shape.width / 2
                placed.inputSize = input
                placed.strides = [stride, stride]
                placed.pads = [pad, padWidth, pad, padWidth]
                placed.batchNorm = batchNorm
                placed.problem = nil
            }
            if layer.name == "conv1.weight" && layer.shape.height == 7 && layer.shape.width == 7 {
                set(input: stageOutput(0), stride: 2, batchNorm: "bn1")
                placed.pads = [3, 3, 3, 3]
                return placed
            }
            let parts = layer.name.split(separator: ".").map(String.init)
            guard parts.count >= 4, parts[0].hasPrefix("layer"), let stage = Int(parts[0].dropFirst(5)), (1...4).contains(stage),
                  let block = Int(parts[1]), parts.last == "weight" else {
                placed.problem = unknownName
                return placed
            }
            let stageIn = stage == 1 ? pooled : stageOutput(stage - 1)
            let stageOut = stageOutput(stage)
            let firstStrided = stage >= 2 && block == 0
            if parts.count == 5 && parts[2] == "downsample" && parts[3] == "0" {
                set(input: block == 0 ? stageIn : stageOut, stride: firstStrided ? 2 : 1,
                    batchNorm: "layer\(stage).\(block).downsample.1")
                return placed
            }
            guard parts.count == 4, parts[2].hasPrefix("conv"), let index = Int(parts[2].dropFirst(4)) else {
                placed.problem = unknownName
                return placed
            }
            let batchNorm = "layer\(stage).\(block).bn\(index)"
            if block == 0 && index <= stridedIndex {
                // Up to the strided convolution the block reads the stage's input.
                set(input: stageIn, stride: firstStrided && index == stridedIndex ? 2 : 1, batchNorm: batchNorm)
            } else {
                set(input: stageOut, stride: 1, batchNorm: batchNorm)
            }
            return placed
        }
    }
}
