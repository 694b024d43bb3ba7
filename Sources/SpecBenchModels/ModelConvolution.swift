import SpecBenchCore

/// One convolution found in a trained model file: its weight's shape, its stride, padding,
/// dilation and groups as the file states them, whether it is transposed (and its output
/// padding), its input's spatial size where the file lets us infer it, and the batch
/// normalisation that follows it, if any (docs/methods.md §5: every one of these is an operator).
///
/// `problem` says why the layer cannot be benchmarked as it stands (an input size that could not
/// be inferred, attributes out of range, a geometry that does not build); it is `nil` for a
/// layer that maps onto a `ConvolutionGeometry` (`geometry`).
public struct ModelConvolution: Codable, Sendable, Equatable {
    /// The layer's name: the node's name, else its weight's.
    public var name: String
    /// The name of its weight tensor in the file.
    public var weightName: String
    /// Weight shape `(cout, cin/groups, kh, kw)`; for a transposed layer the ConvTranspose
    /// weight `(cin, cout/groups, kh, kw)`; for a 1-D layer `kh = 1`.
    public var shape: KernelShape
    /// Stride along rows and columns.
    public var strides: [Int]
    /// Zero padding `[top, left, bottom, right]`.
    public var pads: [Int]
    /// Dilation along rows and columns.
    public var dilations: [Int]
    /// Number of groups (1: an ordinary convolution; `cout`: depthwise).
    public var groups: Int
    /// The input's spatial size `[height, width]`, when it could be inferred.
    public var inputSize: [Int]?
    /// The batch normalisation applied right after it (its node's name), if any.
    public var batchNorm: String?
    /// Why the layer cannot be benchmarked as it stands; `nil` when it can.
    public var problem: String?
    /// A transposed layer's output padding `[rows, columns]`; nil for a forward convolution.
    public var outputPadding: [Int]?
    /// 1 for a 1-D layer (`kh = 1` on an input of height 1); nil: 2.
    public var dimensions: Int?
    /// The batch norm's ε where a checkpoint's architecture uses another than PyTorch's 1e-5
    /// (a preset says it); nil: 1e-5 (ONNX stores its own).
    public var batchNormEpsilon: Double?

    /// A layer with the given properties.
    public init(name: String, weightName: String, shape: KernelShape, strides: [Int], pads: [Int], dilations: [Int],
                groups: Int, inputSize: [Int]?, batchNorm: String?, problem: String?, outputPadding: [Int]? = nil, dimensions: Int? = nil) {
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
        self.outputPadding = outputPadding
        self.dimensions = dimensions
    }

    /// Whether the layer is a transposed convolution.
    public var isTransposed: Bool { outputPadding != nil }

    /// The layer's zero-padded operator at its inferred input size (for a transposed layer, the
    /// forward convolution whose adjoint it is, docs/methods.md §5), ignoring `problem`; throws
    /// `InvalidInput` naming what does not build.
    public func placedGeometry() throws -> ConvolutionGeometry {
        guard let inputSize, inputSize.count == 2 else { throw InvalidInput("layer '\(name)': its input size is unknown") }
        guard strides.count == 2, dilations.count == 2, pads.count == 4 else {
            throw InvalidInput("layer '\(name)': strides \(strides), dilations \(dilations) and pads \(pads) are not those of a 2-D layer")
        }
        let stride = AxisPair(strides[0], strides[1]), dilation = AxisPair(dilations[0], dilations[1])
        let pads = Pads(top: self.pads[0], left: self.pads[1], bottom: self.pads[2], right: self.pads[3])
        do {
            if let outputPadding {
                guard outputPadding.count == 2 else { throw InvalidInput("output padding \(outputPadding) is not 2-D") }
                return try ConvolutionGeometry.transposedConvolution(
                    weightShape: shape, inputHeight: inputSize[0], inputWidth: inputSize[1], stride: stride, dilation: dilation,
                    pads: pads, outputPadding: AxisPair(outputPadding[0], outputPadding[1]), groups: groups, dimensions: dimensions ?? 2)
            }
            return try ConvolutionGeometry(
                shape: shape, inputHeight: inputSize[0], inputWidth: inputSize[1], padding: .zero, stride: stride,
                dilation: dilation, pads: pads, groups: groups, dimensions: dimensions ?? 2)
        } catch let error as InvalidInput {
            throw InvalidInput("layer '\(name)': \(error.message)")
        }
    }

    /// The operator of this layer (`placedGeometry`); throws `InvalidInput` naming the problem
    /// when the layer cannot be benchmarked.
    public func geometry() throws -> ConvolutionGeometry {
        if let problem { throw InvalidInput("layer '\(name)': \(problem)") }
        return try placedGeometry()
    }

    /// The layer with `problem` set to why its geometry does not build, if it does not. O(1).
    public func checked() -> ModelConvolution {
        guard problem == nil else { return self }
        var layer = self
        do { _ = try placedGeometry() } catch let error as InvalidInput { layer.problem = error.message } catch { layer.problem = "\(error)" }
        return layer
    }
}
