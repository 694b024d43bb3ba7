/// An operator as a user states it, before its kernel is known (`bench estimate`'s options, a
/// config's layer): input size, padding mode, stride, dilation, pads, groups and, for a
/// transposed layer, its output padding (docs/methods.md §5). Parsed once where it enters;
/// `geometry(kernel:dimensions:)` turns it into the operator. For a 1-D kernel every value
/// describes the one axis: `inputSize` is `W`, `stride`/`dilation` the width's, pads `P` or
/// `[left, right]`.
public struct OperatorSpecification: Codable, Sendable, Hashable {
    /// Input size `H × W` (for a transposed layer, its own input; for 1-D, `W`).
    public var inputSize: AxisPair
    /// Padding mode.
    public var padding: Padding
    /// Stride per axis.
    public var stride: AxisPair
    /// Dilation per axis.
    public var dilation: AxisPair
    /// Explicit pads; nil for `d·⌊k/2⌋` (0 for a transposed layer, as PyTorch's default).
    public var pads: Pads?
    /// Groups.
    public var groups: Int
    /// Set for a transposed layer (kernel in ConvTranspose layout `(cin, cout/groups, kh, kw)`).
    public var outputPadding: AxisPair?

    /// A specification; every value but the input size and padding has PyTorch's default.
    public init(inputSize: AxisPair, padding: Padding, stride: AxisPair = .one, dilation: AxisPair = .one,
                pads: Pads? = nil, groups: Int = 1, outputPadding: AxisPair? = nil) {
        self.inputSize = inputSize
        self.padding = padding
        self.stride = stride
        self.dilation = dilation
        self.pads = pads
        self.groups = groups
        self.outputPadding = outputPadding
    }

    /// The operator for a kernel of `shape` (`(cout, cin/groups, kh, kw)`, `kh = 1` for 1-D) with
    /// `dimensions` 2 or 1: a forward convolution, or for a transposed layer the forward
    /// convolution whose adjoint it is. Throws `InvalidInput` naming the bad value. O(1).
    public func geometry(kernel shape: KernelShape, dimensions: Int = 2) throws -> ConvolutionGeometry {
        var input = inputSize, stride = self.stride, dilation = self.dilation, pads = self.pads
        var outputPadding = self.outputPadding
        if dimensions == 1 {
            // One axis: a single value is the width's; rows are absent.
            guard input.isUniform, stride.isUniform, dilation.isUniform, outputPadding?.isUniform ?? true else {
                throw InvalidInput("a 1-D convolution has one axis: give --input-size W, --stride, --dilation and --output-padding as one value each")
            }
            input = AxisPair(1, input.width)
            stride = AxisPair(1, stride.width)
            dilation = AxisPair(1, dilation.width)
            outputPadding = outputPadding.map { AxisPair(0, $0.width) }
            if let given = pads {
                guard given.top == given.left && given.bottom == given.right || given.top == 0 && given.bottom == 0 else {
                    throw InvalidInput("a 1-D convolution has one axis: give --pad P or 0,L,0,R")
                }
                pads = Pads(top: 0, left: given.left, bottom: 0, right: given.right)
            }
        }
        if let outputPadding {
            return try ConvolutionGeometry.transposedConvolution(
                weightShape: shape, inputHeight: input.height, inputWidth: input.width, stride: stride, dilation: dilation,
                pads: pads ?? 0, outputPadding: outputPadding, groups: groups, dimensions: dimensions)
        }
        return try ConvolutionGeometry(
            shape: shape, inputHeight: input.height, inputWidth: input.width, padding: padding, stride: stride,
            dilation: dilation, pads: pads, groups: groups, dimensions: dimensions)
    }
}
