import SpecBenchCore

/// The operator block of every result: kernel shape, input size, padding, stride and pad.
public struct OperatorDescription: Codable, Sendable, Hashable {
    /// Output channels.
    public var cout: Int
    /// Input channels.
    public var cin: Int
    /// Kernel height.
    public var kh: Int
    /// Kernel width.
    public var kw: Int
    /// Input side `n`.
    public var inputSize: Int
    /// `zero` or `circular`.
    public var padding: Padding
    /// Stride.
    public var stride: Int
    /// Pad along rows and columns, `[p_h, p_w]` (equal unless the kernel is rectangular).
    public var pad: [Int]

    /// The description of `geometry`.
    public init(_ geometry: ConvolutionGeometry) {
        cout = geometry.shape.outputChannels
        cin = geometry.shape.inputChannels
        kh = geometry.shape.height
        kw = geometry.shape.width
        inputSize = geometry.inputSize
        padding = geometry.padding
        stride = geometry.stride
        pad = [geometry.padHeight, geometry.padWidth]
    }

    /// The kernel shape.
    public var shape: KernelShape {
        KernelShape(outputChannels: cout, inputChannels: cin, height: kh, width: kw)
    }

    /// Rebuilds (and revalidates) the geometry.
    public func geometry() throws -> ConvolutionGeometry {
        try ConvolutionGeometry(
            shape: shape, inputSize: inputSize, padding: padding, stride: stride,
            pad: pad == [kh / 2, kw / 2] ? nil : pad[0])
    }

    /// A compact label, e.g. `16×16×3×3 n=32 zero s=1`.
    public var label: String {
        "\(cout)×\(cin)×\(kh)×\(kw) n=\(inputSize) \(padding.rawValue) s=\(stride)"
            + (pad == [kh / 2, kw / 2] ? "" : " p=\(pad[0])")
    }
}
