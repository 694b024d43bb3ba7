/// How a model layer's operator is composed: the convolution alone, or followed by its batch norm.
public enum ModelComposition: String, Codable, Sendable, Hashable, CaseIterable {
    /// The kernel as the file stores it.
    case convolution = "conv"
    /// The batch norm that follows folded into the kernel (`γ/√(σ² + ε)` per output channel);
    /// a layer without one is the convolution alone.
    case convolutionBatchNorm = "conv+bn"
}
