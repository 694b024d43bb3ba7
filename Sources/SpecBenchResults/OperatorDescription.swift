import SpecBenchCore

/// The operator block of every result: kernel shape, input size, padding, stride and pads, and
/// for the general operators of docs/methods.md §5 dilation, groups, a transposed layer's output
/// padding and the dimensions.
///
/// A square, symmetric, ungrouped, undilated 2-D operator writes exactly the fields it always
/// wrote (`cout`, `cin`, `kh`, `kw`, `inputSize`, `padding`, `stride`, `pad`), so older runs and
/// baselines read unchanged; the others add `inputHeight`/`inputWidth` (instead of `inputSize`),
/// `pads` (`[top, left, bottom, right]`, instead of `pad`), `stride`/`dilation` as
/// `[height, width]` when they differ per axis, `dilation`, `groups`, `transposed`,
/// `outputPadding` and `dimensions` only when they are not the defaults. The kernel fields are
/// the kernel's own dimensions: `cin` is the input channels of one group; for a transposed layer
/// the operator described is the forward convolution whose adjoint the layer is (the same
/// singular values): its weight `(cin_t, cout_t/g, kh, kw)` read as `(cout, cin/g, kh, kw)`, and
/// its input the transposed layer's output.
public struct OperatorDescription: Codable, Sendable, Hashable {
    /// Output channels.
    public var cout: Int
    /// Input channels of one group (the kernel's second dimension).
    public var cin: Int
    /// Kernel height.
    public var kh: Int
    /// Kernel width.
    public var kw: Int
    /// Input rows `H`.
    public var inputHeight: Int
    /// Input columns `W`.
    public var inputWidth: Int
    /// `zero`, `circular`, `reflect` or `replicate`.
    public var padding: Padding
    /// Stride per axis.
    public var stride: AxisPair
    /// Pads `(top, left, bottom, right)`.
    public var pads: Pads
    /// Dilation per axis.
    public var dilation: AxisPair
    /// Groups.
    public var groups: Int
    /// A transposed layer's output padding; nil for a forward convolution.
    public var outputPadding: AxisPair?
    /// 2, or 1 for a 1-D layer.
    public var dimensions: Int

    /// The description of `geometry`.
    public init(_ geometry: ConvolutionGeometry) {
        cout = geometry.shape.outputChannels
        cin = geometry.shape.inputChannels
        kh = geometry.shape.height
        kw = geometry.shape.width
        inputHeight = geometry.inputHeight
        inputWidth = geometry.inputWidth
        padding = geometry.padding
        stride = geometry.stride
        pads = geometry.pads
        dilation = geometry.dilation
        groups = geometry.groups
        outputPadding = geometry.transposed?.outputPadding
        dimensions = geometry.dimensions
    }

    /// The kernel shape `(cout, cin/groups, kh, kw)`.
    public var shape: KernelShape {
        KernelShape(outputChannels: cout, inputChannels: cin, height: kh, width: kw)
    }

    /// The input's width (its side when square): the x-axis of figures against input size.
    public var inputSize: Int { inputWidth }

    /// The input size as printed: `n` when square, else `H×W`.
    public var inputLabel: String { inputHeight == inputWidth ? "\(inputWidth)" : "\(inputHeight)×\(inputWidth)" }

    /// Whether this is the operator of docs/methods.md §1 (square input, one stride, symmetric
    /// pads, no dilation, one group, a forward 2-D convolution).
    public var isClassic: Bool {
        inputHeight == inputWidth && stride.isUniform && pads.isSymmetric && dilation == .one && groups == 1
            && outputPadding == nil && dimensions == 2
    }

    /// Pads along rows and columns, `[top, left]` (the pads of a symmetric operator).
    public var pad: [Int] { [pads.top, pads.left] }

    /// Whether this is a transposed layer.
    public var transposed: Bool { outputPadding != nil }

    /// Rebuilds (and revalidates) the geometry.
    public func geometry() throws -> ConvolutionGeometry {
        try ConvolutionGeometry(
            shape: shape, inputHeight: inputHeight, inputWidth: inputWidth, padding: padding, stride: stride,
            dilation: dilation, pads: pads, groups: groups, dimensions: dimensions,
            transposed: outputPadding.map { TransposedLayer(outputPadding: $0) })
    }

    /// A compact label, e.g. `16×16×3×3 n=32 zero s=1`, with the general operator's extras
    /// (`H×W`, `p=T,L,B,R`, `d=2`, `g=32`, `transposed op=1`, `1-D`) when present.
    public var label: String {
        let kernel = dimensions == 1 ? "\(cout)×\(cin)×\(kw)" : "\(cout)×\(cin)×\(kh)×\(kw)"
        let input = dimensions == 1 ? "W=\(inputWidth)" : inputHeight == inputWidth ? "n=\(inputWidth)" : "n=\(inputHeight)×\(inputWidth)"
        var parts = [kernel, input, padding.rawValue, "s=\(stride)"]
        let defaultPads = Pads(height: dilation.height * (kh / 2), width: dilation.width * (kw / 2))
        if pads != defaultPads { parts.append("p=\(pads)") }
        if dilation != .one { parts.append("d=\(dilation)") }
        if groups != 1 { parts.append("g=\(groups)") }
        if let outputPadding { parts.append(outputPadding == .zero ? "transposed" : "transposed op=\(outputPadding)") }
        if dimensions == 1 { parts.append("1-D") }
        return parts.joined(separator: " ")
    }

    private enum CodingKeys: String, CodingKey {
        case cout, cin, kh, kw, inputSize, inputHeight, inputWidth, padding, stride, pad, pads, dilation, groups
        case transposed, outputPadding, dimensions
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        cout = try c.decode(Int.self, forKey: .cout)
        cin = try c.decode(Int.self, forKey: .cin)
        kh = try c.decode(Int.self, forKey: .kh)
        kw = try c.decode(Int.self, forKey: .kw)
        if let side = try c.decodeIfPresent(Int.self, forKey: .inputSize) {
            inputHeight = side
            inputWidth = side
        } else {
            inputHeight = try c.decode(Int.self, forKey: .inputHeight)
            inputWidth = try c.decode(Int.self, forKey: .inputWidth)
        }
        padding = try c.decode(Padding.self, forKey: .padding)
        stride = try c.decode(AxisPair.self, forKey: .stride)
        if let four = try c.decodeIfPresent([Int].self, forKey: .pads) {
            guard four.count == 4 else {
                throw DecodingError.dataCorruptedError(forKey: .pads, in: c, debugDescription: "expected [top, left, bottom, right]")
            }
            pads = Pads(top: four[0], left: four[1], bottom: four[2], right: four[3])
        } else {
            let two = try c.decode([Int].self, forKey: .pad)
            guard two.count == 2 else {
                throw DecodingError.dataCorruptedError(forKey: .pad, in: c, debugDescription: "expected [rows, columns]")
            }
            pads = Pads(height: two[0], width: two[1])
        }
        dilation = try c.decodeIfPresent(AxisPair.self, forKey: .dilation) ?? .one
        groups = try c.decodeIfPresent(Int.self, forKey: .groups) ?? 1
        let transposed = try c.decodeIfPresent(Bool.self, forKey: .transposed) ?? false
        outputPadding = transposed ? try c.decodeIfPresent(AxisPair.self, forKey: .outputPadding) ?? .zero : nil
        dimensions = try c.decodeIfPresent(Int.self, forKey: .dimensions) ?? 2
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(cout, forKey: .cout)
        try c.encode(cin, forKey: .cin)
        try c.encode(kh, forKey: .kh)
        try c.encode(kw, forKey: .kw)
        if inputHeight == inputWidth {
            try c.encode(inputWidth, forKey: .inputSize)
        } else {
            try c.encode(inputHeight, forKey: .inputHeight)
            try c.encode(inputWidth, forKey: .inputWidth)
        }
        try c.encode(padding, forKey: .padding)
        try c.encode(stride, forKey: .stride)
        if pads.isSymmetric {
            try c.encode([pads.top, pads.left], forKey: .pad)
        } else {
            try c.encode(pads.values, forKey: .pads)
        }
        if dilation != .one { try c.encode(dilation, forKey: .dilation) }
        if groups != 1 { try c.encode(groups, forKey: .groups) }
        if let outputPadding {
            try c.encode(true, forKey: .transposed)
            try c.encode(outputPadding, forKey: .outputPadding)
        }
        if dimensions != 2 { try c.encode(dimensions, forKey: .dimensions) }
    }
}
