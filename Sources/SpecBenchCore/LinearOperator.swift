import NumericCore

/// A real linear map given only by its action and the action of its transpose: what power
/// iteration, PowerQR and Lanczos need (docs/methods.md §2). Vectors are flat arrays.
public protocol LinearOperator: Sendable {
    /// Length of an input vector (columns of the matrix).
    var inputDimension: Int { get }
    /// Length of an output vector (rows of the matrix).
    var outputDimension: Int { get }
    /// `A·x_b` for `count` vectors stored one after the other.
    func apply(batch input: [Double], count: Int) -> [Double]
    /// `Aᵀ·y_b` for `count` vectors stored one after the other.
    func applyAdjoint(batch output: [Double], count: Int) -> [Double]
    /// `A·x_b` written over the start of `output`, with scratch memory kept in `workspace`
    /// across calls (a loop that keeps both allocates nothing).
    func apply(batch input: [Double], count: Int, into output: inout [Double], workspace: inout ConvolutionWorkspace<Double>)
    /// `Aᵀ·y_b` written over the start of `input`, with scratch memory kept in `workspace`.
    func applyAdjoint(batch output: [Double], count: Int, into input: inout [Double], workspace: inout ConvolutionWorkspace<Double>)
}

extension ConvolutionOperator: LinearOperator where Scalar == Double {}
