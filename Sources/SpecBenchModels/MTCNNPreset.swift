import SpecBenchCore

/// Places the convolutions of MTCNN's P-, R- or O-Net state dict (Zhang et al. 2016, in the
/// layout of facenet-pytorch: `conv1`…`conv4` weights) from their names and shapes alone. Every
/// convolution is valid (no padding), stride 1; a max-pool with `ceil_mode` follows conv1 and
/// conv2 (P-Net: 2×2/2 after conv1 only; R-Net and O-Net: 3×3/2; O-Net also 2×2/2 after conv3).
/// The net is recognised by its layers: `conv4_1` with 1×1 kernels is the P-Net (default input
/// 12), a `conv4` the O-Net (48), else the R-Net (24); the 1×1 heads of the P-Net read conv3's
/// output. No batch norm (PReLU). A weight that fits none of these is left unplaced. O(layers).
public enum MTCNNPreset {
    /// The preset's name in configs and on the command line.
    public static let name = ModelPreset.mtcnn.rawValue

    /// Which of the three nets `convolutions` are, with its own input size.
    static func net(_ convolutions: [ModelConvolution]) -> (name: String, inputSize: Int) {
        let names = Set(convolutions.map(\.name))
        if names.contains("conv4.weight") { return ("O-Net", 48) }
        if names.contains("conv4_1.weight"), convolutions.first(where: { $0.name == "conv4_1.weight" })?.shape.taps == 1 { return ("P-Net", 12) }
        return ("R-Net", 24)
    }

    /// The net's own input size (12, 24 or 48), used when no size is given.
    public static func defaultInputSize(_ convolutions: [ModelConvolution]) -> AxisPair { AxisPair(net(convolutions).inputSize) }

    /// `convolutions` placed for an `H × W` input.
    public static func place(_ convolutions: [ModelConvolution], inputSize: AxisPair) -> [ModelConvolution] {
        let net = net(convolutions).name
        func conv(_ size: [Int], _ k: Int) -> [Int] { size.map { $0 - k + 1 } }
        // Max-pool k×k stride 2 with ceil_mode: ⌈(n − k)/2⌉ + 1.
        func ceilPool(_ size: [Int], _ k: Int) -> [Int] { size.map { ($0 - k + 1) / 2 + 1 } }
        var inputs: [String: [Int]] = [:]
        var size = [inputSize.height, inputSize.width]
        func kernel(_ name: String) -> Int { convolutions.first { $0.name == name }?.shape.height ?? 1 }
        inputs["conv1.weight"] = size
        size = conv(size, kernel("conv1.weight"))
        size = net == "P-Net" ? ceilPool(size, 2) : ceilPool(size, 3)
        inputs["conv2.weight"] = size
        size = conv(size, kernel("conv2.weight"))
        if net != "P-Net" { size = ceilPool(size, 3) }
        inputs["conv3.weight"] = size
        size = conv(size, kernel("conv3.weight"))
        if net == "P-Net" {
            inputs["conv4_1.weight"] = size
            inputs["conv4_2.weight"] = size
        } else if net == "O-Net" {
            inputs["conv4.weight"] = ceilPool(size, 2)
        }
        return convolutions.map { layer in
            var placed = layer
            guard let input = inputs[layer.name] else {
                placed.problem = "not a layer of MTCNN's \(net) (conv1…conv4 weights)"
                return placed
            }
            placed.inputSize = input
            placed.strides = [1, 1]
            placed.pads = [0, 0, 0, 0]
            placed.problem = nil
            return placed.checked()
        }
    }
}
