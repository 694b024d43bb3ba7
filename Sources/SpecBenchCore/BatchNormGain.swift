/// The linear part of a batch norm in evaluation mode after a convolution: output channel `o`
/// multiplied by `γ_o · d_o`, `d_o = 1/√(σ²_o + ε)` from its running variance. Kept as the two
/// factors because a clipping method that trains the composition (FastClip) updates `γ` and
/// leaves the running statistics alone. O(cout) storage.
public struct BatchNormGain: Codable, Sendable, Hashable {
    /// `γ_o`, the batch norm's weight.
    public var gamma: [Double]
    /// `1/√(σ²_o + ε)`.
    public var inverseDeviation: [Double]

    /// A gain from its two factors (same count, finite, deviations positive).
    public init(gamma: [Double], inverseDeviation: [Double]) throws {
        guard gamma.count == inverseDeviation.count else {
            throw InvalidInput("batch norm has \(gamma.count) weights and \(inverseDeviation.count) deviations; accepted: one of each per output channel")
        }
        guard gamma.allSatisfy(\.isFinite), inverseDeviation.allSatisfy({ $0.isFinite && $0 > 0 }) else {
            throw InvalidInput("batch norm has a non-finite weight or a non-positive variance + ε; accepted: finite weights, variance + ε > 0")
        }
        self.gamma = gamma
        self.inverseDeviation = inverseDeviation
    }

    /// `γ_o · d_o` per output channel: what the composition multiplies channel `o` by.
    public var scales: [Double] { zip(gamma, inverseDeviation).map { $0 * $1 } }

    /// `kernel` with output channel `o` multiplied by `scales[o]`: the composition's kernel.
    /// O(kernel entries).
    public func folded(_ kernel: ConvolutionKernel) throws -> ConvolutionKernel {
        try kernel.scalingOutputChannels(by: scales)
    }
}
