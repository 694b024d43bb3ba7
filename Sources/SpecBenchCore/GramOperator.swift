import NumericCore

/// The Gram operator of a linear operator on its smaller side: `AᵀA` on the input side, or
/// `AAᵀ` on the output side when that is smaller. Its eigenvalues are the squares `σ²` of the
/// operator's singular values (and zeros). Holds the intermediate vector and the operator's
/// workspace so that products allocate nothing. A product costs one forward and one adjoint
/// application; memory, one vector of the larger side plus the application's buffers.
struct GramOperator<Base: LinearOperator> {
    let base: Base
    /// Whether the Gram operator is `AAᵀ` (output side smaller).
    let onOutputSide: Bool
    private var middle: [Double]
    private var workspace = ConvolutionWorkspace<Double>()

    init(_ base: Base) {
        self.base = base
        onOutputSide = base.outputDimension < base.inputDimension
        middle = [Double](repeating: 0, count: onOutputSide ? base.inputDimension : base.outputDimension)
    }

    /// Length of the vectors the Gram operator acts on.
    var dimension: Int { onOutputSide ? base.outputDimension : base.inputDimension }

    /// `y = AᵀA·x` (or `AAᵀ·x`); `y` must have length `dimension`.
    mutating func multiply(_ x: [Double], into y: inout [Double]) {
        if onOutputSide {
            base.applyAdjoint(batch: x, count: 1, into: &middle, workspace: &workspace)
            base.apply(batch: middle, count: 1, into: &y, workspace: &workspace)
        } else {
            base.apply(batch: x, count: 1, into: &middle, workspace: &workspace)
            base.applyAdjoint(batch: middle, count: 1, into: &y, workspace: &workspace)
        }
    }
}
