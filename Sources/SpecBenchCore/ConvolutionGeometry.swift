/// Everything about a convolution operator except its kernel's entries (docs/methods.md §1, §5):
/// a rectangular input `cin × H × W`, per-axis stride and dilation, pads `(top, left, bottom,
/// right)`, the padding mode and the groups, together with the derived output size. It always
/// describes a forward convolution; a transposed layer is described by the forward convolution
/// whose adjoint it is (`transposed`), with the same singular values, and a 1-D layer as the 2-D
/// case `kh = 1`, `H = 1` (`dimensions`).
public struct ConvolutionGeometry: Codable, Sendable, Hashable {
    /// Kernel shape `(cout, cin/groups, kh, kw)`: the input channels are those of one group.
    public let shape: KernelShape
    /// Groups `g`: output channels `[j·cout/g, (j+1)·cout/g)` read input channels
    /// `[j·cin/g, (j+1)·cin/g)`.
    public let groups: Int
    /// Input rows `H`.
    public let inputHeight: Int
    /// Input columns `W`.
    public let inputWidth: Int
    /// Border handling.
    public let padding: Padding
    /// Stride `(s_h, s_w)`.
    public let stride: AxisPair
    /// Dilation `(d_h, d_w)`: tap `dy` reads `d_h·dy` rows below the anchor.
    public let dilation: AxisPair
    /// Pads; by default `d·⌊k/2⌋` on every side.
    public let pads: Pads
    /// Output rows.
    public let outputHeight: Int
    /// Output columns.
    public let outputWidth: Int
    /// 2, or 1 for a 1-D layer (kernel `(cout, cin/g, k)` on `1 × W`, here `kh = 1`, `H = 1`).
    public let dimensions: Int
    /// Set when the layer is a transposed convolution, the adjoint of this forward one: its
    /// input is this geometry's output grid and its output this geometry's input grid.
    public let transposed: TransposedLayer?

    /// Validates and derives a geometry. Throws `InvalidInput` naming the bad value and what is
    /// accepted for sides, strides and dilations below 1, negative pads, groups that do not
    /// divide the output channels, a dilated kernel larger than the padded input, reflect pads
    /// not smaller than the side, a circular stride that does not divide the side, a 1-D geometry
    /// with rows, and operators beyond 2^31 per side. O(1).
    public init(
        shape: KernelShape, inputHeight: Int, inputWidth: Int, padding: Padding,
        stride: AxisPair = .one, dilation: AxisPair = .one, pads: Pads? = nil, groups: Int = 1,
        dimensions: Int = 2, transposed: TransposedLayer? = nil
    ) throws {
        _ = try shape.validated()
        let limit = 1 << 15
        for (name, value) in [("input height H", inputHeight), ("input width W", inputWidth)] where !(1...limit).contains(value) {
            throw InvalidInput("invalid \(name) = \(value); it must be an integer from 1 to \(limit)")
        }
        for (name, pair) in [("stride", stride), ("dilation", dilation)]
        where !(1...limit).contains(pair.height) || !(1...limit).contains(pair.width) {
            throw InvalidInput("invalid \(name) \(pair); accepted: integers from 1 to \(limit)")
        }
        guard (1...limit).contains(groups) else {
            throw InvalidInput("invalid groups \(groups); it must be an integer from 1 to \(limit)")
        }
        guard shape.outputChannels % groups == 0 else {
            throw InvalidInput("groups \(groups) do not divide the output channels cout = \(shape.outputChannels); accepted: a divisor of cout (the kernel is (cout, cin/groups, kh, kw))")
        }
        if let bad = pads?.values.first(where: { !(0...limit).contains($0) }) {
            throw InvalidInput(bad < 0 ? "invalid pad \(bad); it must be a non-negative integer" : "invalid pad \(bad); it must be an integer from 0 to \(limit)")
        }
        let pads = pads ?? Pads(height: dilation.height * (shape.height / 2), width: dilation.width * (shape.width / 2))
        guard dimensions == 1 || dimensions == 2 else {
            throw InvalidInput("invalid dimensions \(dimensions); accepted: 1 or 2")
        }
        if dimensions == 1, shape.height != 1 || inputHeight != 1 || pads.top != 0 || pads.bottom != 0 || stride.height != 1 || dilation.height != 1 {
            throw InvalidInput("a 1-D convolution has no rows: kh = 1, H = 1 and no row pads, stride or dilation")
        }
        let extentHeight = dilation.height * (shape.height - 1) + 1
        let extentWidth = dilation.width * (shape.width - 1) + 1
        if padding.padsTheInput {
            let paddedHeight = inputHeight + pads.top + pads.bottom
            let paddedWidth = inputWidth + pads.left + pads.right
            guard paddedHeight >= extentHeight, paddedWidth >= extentWidth else {
                throw InvalidInput(
                    "kernel \(shape.height)×\(shape.width)\(dilation == .one ? "" : " at dilation \(dilation) (extent \(extentHeight)×\(extentWidth))") "
                    + "is larger than the padded input \(paddedHeight)×\(paddedWidth) (input \(inputHeight)×\(inputWidth), pads \(pads)); "
                    + "use a larger input or pad, or a kernel no larger than the padded input")
            }
            if padding == .reflect, pads.top >= inputHeight || pads.bottom >= inputHeight || pads.left >= inputWidth || pads.right >= inputWidth {
                throw InvalidInput("reflect padding needs each pad smaller than the side: pads \(pads) on \(inputHeight)×\(inputWidth); accepted: pads below the input's side")
            }
            outputHeight = (paddedHeight - extentHeight) / stride.height + 1
            outputWidth = (paddedWidth - extentWidth) / stride.width + 1
        } else {
            for (side, step, axis) in [(inputHeight, stride.height, "H"), (inputWidth, stride.width, "W")] where side % step != 0 {
                let named = inputHeight == inputWidth ? "n" : axis
                throw InvalidInput(
                    "circular padding needs the stride to divide the side: stride \(step) does not divide \(named) = \(side); "
                    + "accepted strides: \(Self.divisors(of: side).map(String.init).joined(separator: ", "))")
            }
            outputHeight = inputHeight / stride.height
            outputWidth = inputWidth / stride.width
        }
        if let transposed {
            let op = transposed.outputPadding
            guard op.height >= 0, op.width >= 0, op.height < stride.height, op.width < stride.width else {
                throw InvalidInput("invalid output padding \(op) for stride \(stride); accepted: from 0 to stride − 1 on each axis")
            }
            guard padding == .zero else {
                throw InvalidInput("a transposed convolution pads with zeros only (PyTorch and ONNX); got '\(padding.rawValue)'")
            }
        }
        // Overflow-checked products: the sides of A must fit LAPACK's 32-bit integers.
        func side(_ factors: [Int]) -> Int? {
            var product = 1
            for factor in factors {
                let (next, overflow) = product.multipliedReportingOverflow(by: factor)
                guard !overflow, next <= Int(Int32.max) else { return nil }
                product = next
            }
            return product
        }
        guard side([shape.outputChannels, outputHeight, outputWidth]) != nil,
              side([shape.inputChannels, groups, inputHeight, inputWidth]) != nil else {
            throw InvalidInput("the operator of a \(shape.description) kernel on \(inputHeight)×\(inputWidth) (\(shape.outputChannels)·\(outputHeight)·\(outputWidth) × \(shape.inputChannels * groups)·\(inputHeight)·\(inputWidth)) is beyond the supported 2^31 per side")
        }
        self.shape = shape
        self.groups = groups
        self.inputHeight = inputHeight
        self.inputWidth = inputWidth
        self.padding = padding
        self.stride = stride
        self.dilation = dilation
        self.pads = pads
        self.dimensions = dimensions
        self.transposed = transposed
    }

    /// A square, ungrouped, undilated operator on `cin × n × n` with stride `s` and the same pad
    /// `pad` on every side (default `⌊k/2⌋` per axis): the operator of docs/methods.md §1.
    public init(shape: KernelShape, inputSize: Int, padding: Padding, stride: Int = 1, pad: Int? = nil) throws {
        if let pad, pad < 0 {
            throw InvalidInput("invalid pad \(pad); it must be a non-negative integer")
        }
        if inputSize < 1 {
            throw InvalidInput("invalid input size n = \(inputSize); it must be a positive integer")
        }
        if stride < 1 {
            throw InvalidInput("invalid stride \(stride); it must be a positive integer")
        }
        try self.init(shape: shape, inputHeight: inputSize, inputWidth: inputSize, padding: padding,
                      stride: AxisPair(stride), pads: pad.map { Pads(height: $0, width: $0) })
    }

    /// The geometry of a transposed convolution (PyTorch/ONNX ConvTranspose) with weight
    /// `weightShape = (cin_t, cout_t/g, kh, kw)` on a `height × width` input: the forward
    /// convolution with the same weight read as `(cout = cin_t, cin/g = cout_t/g, kh, kw)`, the
    /// same stride, pads, dilation and groups, on the transposed layer's output
    /// `H' = (H − 1)s − p_top − p_bottom + d(kh − 1) + op + 1` (docs/methods.md §5).
    public static func transposedConvolution(
        weightShape: KernelShape, inputHeight: Int, inputWidth: Int, stride: AxisPair = .one, dilation: AxisPair = .one,
        pads: Pads = Pads(height: 0, width: 0), outputPadding: AxisPair = .zero, groups: Int = 1, dimensions: Int = 2
    ) throws -> ConvolutionGeometry {
        guard outputPadding.height >= 0, outputPadding.width >= 0,
              outputPadding.height < stride.height, outputPadding.width < stride.width else {
            throw InvalidInput("invalid output padding \(outputPadding) for stride \(stride); accepted: from 0 to stride − 1 on each axis")
        }
        let height = (inputHeight - 1) * stride.height - pads.top - pads.bottom + dilation.height * (weightShape.height - 1) + outputPadding.height + 1
        let width = (inputWidth - 1) * stride.width - pads.left - pads.right + dilation.width * (weightShape.width - 1) + outputPadding.width + 1
        guard height >= 1, width >= 1 else {
            throw InvalidInput("a transposed convolution on \(inputHeight)×\(inputWidth) with pads \(pads) has an empty output (\(height)×\(width)); use smaller pads")
        }
        let geometry = try ConvolutionGeometry(
            shape: weightShape, inputHeight: height, inputWidth: width, padding: .zero, stride: stride, dilation: dilation,
            pads: pads, groups: groups, dimensions: dimensions, transposed: TransposedLayer(outputPadding: outputPadding))
        guard geometry.outputHeight == inputHeight, geometry.outputWidth == inputWidth else {
            throw InvalidInput("a transposed convolution on \(inputHeight)×\(inputWidth) does not invert to its input (forward output \(geometry.outputHeight)×\(geometry.outputWidth)); check the pads and output padding")
        }
        return geometry
    }

    /// Input channels of the whole layer, `cin = groups · shape.inputChannels`.
    public var inputChannels: Int { shape.inputChannels * groups }
    /// Rows of the operator's matrix: `cout·m_h·m_w`.
    public var rows: Int { shape.outputChannels * outputHeight * outputWidth }
    /// Columns of the operator's matrix: `cin·H·W`.
    public var columns: Int { inputChannels * inputHeight * inputWidth }
    /// Number of singular values: `min(rows, columns)`.
    public var rank: Int { min(rows, columns) }
    /// Pad above (the row pad of a symmetric geometry).
    public var padHeight: Int { pads.top }
    /// Pad on the left (the column pad of a symmetric geometry).
    public var padWidth: Int { pads.left }
    /// Whether the input is square (`H = W`).
    public var isSquare: Bool { inputHeight == inputWidth }

    /// Whether this is the operator of docs/methods.md §1 that the fast schemes (Winograd,
    /// direct, tap by tap) and the default figures were built for: one group, a square input,
    /// the same stride on both axes, no dilation, symmetric pads, zero or circular padding.
    public var isClassic: Bool {
        groups == 1 && isSquare && stride.isUniform && dilation == .one && pads.isSymmetric
            && (padding == .zero || padding == .circular)
    }

    /// The geometry of one group: kernel `(cout/g, cin/g, kh, kw)`, one group, the rest unchanged.
    /// The layer's operator is the block-diagonal sum of `groups` such operators (up to a
    /// permutation), so its singular values are the union of theirs (docs/methods.md §5).
    public var perGroup: ConvolutionGeometry {
        guard groups > 1 else { return self }
        let groupShape = KernelShape(outputChannels: shape.outputChannels / groups, inputChannels: shape.inputChannels,
                                     height: shape.height, width: shape.width)
        // A sub-operator of a valid one: the same checks pass.
        return try! ConvolutionGeometry(
            shape: groupShape, inputHeight: inputHeight, inputWidth: inputWidth, padding: padding, stride: stride,
            dilation: dilation, pads: pads, groups: 1, dimensions: dimensions, transposed: transposed)
    }

    /// The input row read by output row `r` at tap row `dy`, or nil for a padding zero.
    @inlinable
    public func sourceRow(_ r: Int, tap dy: Int) -> Int? {
        padding.source(r * stride.height + dy * dilation.height - pads.top, size: inputHeight)
    }

    /// The input column read by output column `c` at tap column `dx`, or nil for a padding zero.
    @inlinable
    public func sourceColumn(_ c: Int, tap dx: Int) -> Int? {
        padding.source(c * stride.width + dx * dilation.width - pads.left, size: inputWidth)
    }

    /// The same operator for a kernel of another spatial size `shape` (same channels): itself
    /// when the shape is this one's; else the same input, padding, stride and groups, pads kept
    /// for circular padding (a shift: the same singular values) and ⌊k/2⌋ otherwise. For a
    /// clipped kernel that grew to the grid's size (Sedghi's clip without its projection). O(1).
    public func with(kernelShape shape: KernelShape) throws -> ConvolutionGeometry {
        if shape == self.shape { return self }
        return try ConvolutionGeometry(
            shape: shape, inputHeight: inputHeight, inputWidth: inputWidth, padding: padding, stride: stride, dilation: dilation,
            pads: padding == .circular ? pads : nil, groups: groups, dimensions: dimensions, transposed: transposed)
    }

    /// The input size as printed: `n` when square, else `H×W`.
    public var inputLabel: String { isSquare ? "\(inputHeight)" : "\(inputHeight)×\(inputWidth)" }

    private static func divisors(of n: Int) -> [Int] {
        (1...n).filter { n % $0 == 0 }
    }
}
