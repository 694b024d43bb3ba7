import SpecBenchCore

/// Folding a batch normalisation into the convolution before it (the `conv+bn` composition the
/// FastClip and TN papers study): `BN(conv(x)) = γ·(conv(x) − μ)/√(σ² + ε) + β` is the
/// convolution with output channel `o` scaled by `γ_o/√(σ²_o + ε)`, plus a bias. The bias does
/// not change the linear part, so the folded operator's singular values are those of the scaled
/// kernel. O(kernel entries).
public enum BatchNormFolding {
    /// Per-output-channel scales `γ/√(σ² + ε)`; throws `InvalidInput` naming `layer` when the
    /// lengths do not match its `channels` or a variance is negative.
    public static func scales(gamma: [Double], variance: [Double], epsilon: Double, channels: Int, layer: String) throws -> [Double] {
        guard gamma.count == channels, variance.count == channels else {
            throw InvalidInput("batch norm after '\(layer)' has \(gamma.count) scales and \(variance.count) variances for \(channels) output channels")
        }
        return try zip(gamma, variance).map { scale, variance in
            guard variance + epsilon > 0 else {
                throw InvalidInput("batch norm after '\(layer)' has variance \(variance) with ε = \(epsilon); σ² + ε must be positive")
            }
            return scale / (variance + epsilon).squareRoot()
        }
    }

    /// `kernel` with output channel `o` multiplied by `scales[o]`.
    public static func folded(_ kernel: ConvolutionKernel, scales: [Double]) throws -> ConvolutionKernel {
        let shape = kernel.shape
        guard scales.count == shape.outputChannels else {
            throw InvalidInput("\(scales.count) batch-norm scales for a kernel with \(shape.outputChannels) output channels")
        }
        let perChannel = shape.inputChannels * shape.height * shape.width
        var values = kernel.values
        for channel in 0..<shape.outputChannels {
            for index in (channel * perChannel)..<((channel + 1) * perChannel) { values[index] *= scales[channel] }
        }
        return try ConvolutionKernel(shape: shape, values: values)
    }
}
