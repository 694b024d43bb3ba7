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
        try gain(gamma: gamma, variance: variance, epsilon: epsilon, channels: channels, layer: layer).scales
    }

    /// The batch norm's gain as its two factors `γ` and `1/√(σ² + ε)` (`BatchNormGain`); throws
    /// as `scales` does.
    public static func gain(gamma: [Double], variance: [Double], epsilon: Double, channels: Int, layer: String) throws -> BatchNormGain {
        guard gamma.count == channels, variance.count == channels else {
            throw InvalidInput("batch norm after '\(layer)' has \(gamma.count) scales and \(variance.count) variances for \(channels) output channels")
        }
        let inverse = try variance.map { variance in
            guard variance + epsilon > 0 else {
                throw InvalidInput("batch norm after '\(layer)' has variance \(variance) with ε = \(epsilon); σ² + ε must be positive")
            }
            return 1 / (variance + epsilon).squareRoot()
        }
        return try BatchNormGain(gamma: gamma, inverseDeviation: inverse)
    }

    /// `kernel` with output channel `o` multiplied by `scales[o]`.
    public static func folded(_ kernel: ConvolutionKernel, scales: [Double]) throws -> ConvolutionKernel {
        try kernel.scalingOutputChannels(by: scales)
    }
}
