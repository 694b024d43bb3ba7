import SpecBenchCore

/// One convolution found in a trained model file: its weight's shape, its stride, padding,
/// dilation and groups as the file states them, its input's spatial size where the file lets us
/// infer it, and the batch normalisation that follows it, if any (issue "real trained networks").
///
/// `problem` says why the layer cannot be benchmarked as it stands (groups other than 1, an
/// input size that could not be inferred, asymmetric padding, …); it is `nil` for a layer that
/// maps onto a `ConvolutionGeometry` with zero padding (`geometry`).
public struct ModelConvolution: Codable, Sendable, Equatable {
    /// The layer's name: the node's name, else its weight's.
    public var name: String
    /// The name of its weight tensor in the file.
    public var weightName: String
    /// Weight shape `(cout, cin/groups, kh, kw)`.
    public var shape: KernelShape
    /// Stride along rows and columns.
    public var strides: [Int]
    /// Zero padding `[top, left, bottom, right]`.
    public var pads: [Int]
    /// Dilation along rows and columns.
    public var dilations: [Int]
    /// Number of groups (1: an ordinary convolution).
    public var groups: Int
    /// The input's spatial size `[height, width]`, when it could be inferred.
    public var inputSize: [Int]?
    /// The batch normalisation applied right after it (its node's name), if any.
    public var batchNorm: String?
    /// Why the layer cannot be benchmarked as it stands; `nil` when it can.
    public var problem: String?

    /// A layer with the given properties.
    public init(name: String, weightName: String, shape: KernelShape, strides: [Int], pads: [Int], dilations: [Int],
                groups: Int, inputSize: [Int]?, batchNorm: String?, problem: String?) {
        self.name = name
        self.weightName = weightName
        self.shape = shape
        self.strides = strides
        self.pads = pads
        self.dilations = dilations
        self.groups = groups
        self.inputSize = inputSize
        self.batchNorm = batchNorm
        self.problem = problem
    }

    /// The reason this layer cannot be benchmarked by specbench's operator (docs/methods.md §1: one
    /// stride, one pad per side pair, square input, no dilation, no groups), or `nil`. O(1).
    static func unsupportedReason(strides: [Int], pads: [Int], dilations: [Int], groups: Int, inputSize: [Int]?,
                                  shape: KernelShape) -> String? {
        if groups != 1 { return "groups = \(groups): grouped and depthwise convolutions are not supported" }
        if dilations.contains(where: { $0 != 1 }) { return "dilation \(dilations): only dilation 1 is supported" }
        if strides.count != 2 || strides[0] != strides[1] { return "stride \(strides): only equal strides along both axes are supported" }
        if pads.count != 4 || pads[0] != pads[2] || pads[1] != pads[3] {
            return "pads \(pads) (top, left, bottom, right): only symmetric padding is supported"
        }
        if pads[0] != pads[1] && !(pads[0] == shape.height / 2 && pads[1] == shape.width / 2) {
            return "pads \(pads): rows and columns padded differently, other than ⌊k/2⌋ each, are not supported"
        }
        if let inputSize, inputSize[0] != inputSize[1] {
            return "input \(inputSize[0])×\(inputSize[1]): only square inputs are supported"
        }
        return nil
    }

    /// The zero-padded operator of this layer at its inferred input size; throws `InvalidInput`
    /// naming the problem when the layer cannot be benchmarked.
    public func geometry() throws -> ConvolutionGeometry {
        if let problem { throw InvalidInput("layer '\(name)': \(problem)") }
        guard let inputSize else { throw InvalidInput("layer '\(name)': its input size is unknown") }
        let pad = pads[0] == pads[1] ? pads[0] : nil
        return try ConvolutionGeometry(shape: shape, inputSize: inputSize[0], padding: .zero, stride: strides[0], pad: pad)
    }
}
