import SpecBenchCore

/// What a clipping method clips: a convolution's kernel and geometry, and, when the composition
/// with the batch norm after it is clipped (FastClip's conv + BN), that batch norm's gain. The
/// operator whose norm the target is for is the composition's (`composedKernel`), or the
/// convolution's own when there is no batch norm. O(1) to build.
public struct ClipOperand: Sendable {
    /// The convolution's own kernel.
    public var kernel: ConvolutionKernel
    /// Sizes, padding, stride, groups.
    public var geometry: ConvolutionGeometry
    /// The batch norm composed after the convolution, nil when the convolution alone is clipped.
    public var batchNorm: BatchNormGain?

    /// An operand; see the properties.
    public init(kernel: ConvolutionKernel, geometry: ConvolutionGeometry, batchNorm: BatchNormGain? = nil) {
        self.kernel = kernel
        self.geometry = geometry
        self.batchNorm = batchNorm
    }

    /// The kernel of the operator being clipped: the batch norm folded in, if any. O(entries).
    public func composedKernel() throws -> ConvolutionKernel {
        guard let batchNorm else { return kernel }
        return try batchNorm.folded(kernel)
    }
}

/// What a clipping method returns: the clipped operator's kernel (the composition's, batch norm
/// folded in, when the operand had one), the clipped convolution and batch norm apart, and what
/// the method itself knew.
public struct ClipOutcome: Sendable {
    /// The clipped operator's kernel (what the harness measures and `--export-kernel` writes).
    public var composedKernel: ConvolutionKernel
    /// The clipped convolution's own kernel.
    public var kernel: ConvolutionKernel
    /// The batch norm after the clip (FastClip trains its `γ`; the others leave it as it was).
    public var batchNorm: BatchNormGain?
    /// The norm the method worked from (its estimate or bound of σ before the clip), if any.
    public var estimate: Double?
    /// Iterations or rounds run, when the method iterates.
    public var iterations: Int?
    /// Whether the method's own stopping test was met.
    public var converged: Bool?
    /// What the method measured along the way (the support projection's move, the rounds' σ).
    public var diagnostics: String?

    /// The outcome of a clip that changed only the convolution's kernel.
    public init(kernel: ConvolutionKernel, batchNorm: BatchNormGain?, estimate: Double? = nil) throws {
        self.kernel = kernel
        self.batchNorm = batchNorm
        self.composedKernel = try batchNorm.map { try $0.folded(kernel) } ?? kernel
        self.estimate = estimate
    }
}

/// A clipping method failed at a named step (non-finite weights, a diverging update): recorded as
/// an `error` result naming the step, the other methods still run.
public struct ClipFailure: Error, Sendable, CustomStringConvertible {
    /// The step that failed and what it produced.
    public let description: String

    /// A failure at `step`.
    public init(step: String, _ what: String) { description = "\(step): \(what)" }
}
