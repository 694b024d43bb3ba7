/// A real convolution kernel `K[o, i, dy, dx]`, PyTorch layout `(cout, cin, kh, kw)`, float64.
///
/// The input every method takes (docs/methods.md §1). Entries are row-major: `K[o, i, dy, dx]` is at
/// `((o·cin + i)·kh + dy)·kw + dx`, so the array is also the `cout × (cin·kh·kw)` matrix of an
/// im2col convolution. Entries are finite (checked at construction).
public struct ConvolutionKernel: Sendable, Equatable {
    /// The kernel's shape.
    public let shape: KernelShape
    /// Row-major entries, `shape.count` of them.
    public let values: [Double]

    /// A kernel from its shape and row-major entries; rejects a wrong count and NaN/Inf entries
    /// with a message naming the first bad entry. O(count).
    public init(shape: KernelShape, values: [Double]) throws {
        _ = try shape.validated()
        guard values.count == shape.count else {
            throw InvalidInput("kernel of shape \(shape) needs \(shape.count) entries, got \(values.count)")
        }
        if let bad = values.firstIndex(where: { !$0.isFinite }) {
            let (o, rest) = bad.quotientAndRemainder(dividingBy: shape.inputChannels * shape.taps)
            let (i, tap) = rest.quotientAndRemainder(dividingBy: shape.taps)
            let (dy, dx) = tap.quotientAndRemainder(dividingBy: shape.width)
            throw InvalidInput("kernel entry [\(o), \(i), \(dy), \(dx)] is \(values[bad]); only finite numbers are accepted (no NaN or Inf)")
        }
        self.shape = shape
        self.values = values
    }

    /// A seeded random kernel. `normal`: entries from N(0, 1); `uniform`: from U(−1, 1).
    /// The same seed gives the same kernel on every machine (`SeededGenerator`). O(count).
    public static func random(shape: KernelShape, distribution: KernelDistribution, seed: UInt64) throws -> ConvolutionKernel {
        _ = try shape.validated()
        var generator = SeededGenerator(seed: seed, stream: "kernel")
        let values: [Double]
        switch distribution {
        case .normal: values = generator.normals(shape.count)
        case .uniform: values = (0..<shape.count).map { _ in 2 * generator.nextUniform() - 1 }
        }
        return try ConvolutionKernel(shape: shape, values: values)
    }

    /// The entry `K[o, i, dy, dx]`. O(1).
    public subscript(output: Int, input: Int, row: Int, column: Int) -> Double {
        values[((output * shape.inputChannels + input) * shape.height + row) * shape.width + column]
    }

    /// The kernel with every entry multiplied by `factor`. O(count).
    public func scaled(by factor: Double) throws -> ConvolutionKernel {
        try ConvolutionKernel(shape: shape, values: values.map { $0 * factor })
    }

    /// The kernel with output channel `o` multiplied by `scales[o]` (a batch norm folded in,
    /// `BatchNormGain`). O(count).
    public func scalingOutputChannels(by scales: [Double]) throws -> ConvolutionKernel {
        guard scales.count == shape.outputChannels else {
            throw InvalidInput("\(scales.count) per-channel scales for a kernel with \(shape.outputChannels) output channels")
        }
        let perChannel = shape.inputChannels * shape.taps
        return try ConvolutionKernel(shape: shape, values: values.enumerated().map { $1 * scales[$0 / perChannel] })
    }

    /// The Frobenius norm of all entries. O(count).
    public var frobeniusNorm: Double {
        values.reduce(0) { $0 + $1 * $1 }.squareRoot()
    }

    /// The polyphase kernel of a stride-`s` convolution (Senderovich et al. 2022): shape
    /// `(cout, cin·s², ⌈kh/s⌉, ⌈kw/s⌉)` with `K'[o, (i·s + a)·s + b, qy, qx] = K[o, i, qy·s + a, qx·s + b]`
    /// (zero beyond the kernel). A stride-`s` convolution with `K` equals, up to a permutation of
    /// the input, a stride-1 convolution with `K'` on the `n/s` grid; the two have the same
    /// singular values. Stride 1 returns the kernel itself. O(cout·cin·s²·kh·kw/s²).
    public func polyphase(stride: Int) -> ConvolutionKernel {
        polyphase(stride: AxisPair(stride))
    }

    /// The polyphase kernel for per-axis strides `(s_h, s_w)`: shape
    /// `(cout, cin·s_h·s_w, ⌈kh/s_h⌉, ⌈kw/s_w⌉)` with
    /// `K'[o, (i·s_h + a)·s_w + b, qy, qx] = K[o, i, qy·s_h + a, qx·s_w + b]`; the circular operator
    /// with stride `(s_h, s_w)` on `H × W` has the singular values of the stride-1 one with `K'`
    /// on `(H/s_h) × (W/s_w)`. O(cout·cin·kh·kw + the result).
    public func polyphase(stride: AxisPair) -> ConvolutionKernel {
        precondition(stride.height >= 1 && stride.width >= 1, "stride must be positive")
        if stride == .one { return self }
        let sh = stride.height, sw = stride.width
        let cout = shape.outputChannels, cin = shape.inputChannels
        let kh = shape.height, kw = shape.width
        let ph = (kh + sh - 1) / sh, pw = (kw + sw - 1) / sw
        let newShape = KernelShape(outputChannels: cout, inputChannels: cin * sh * sw, height: ph, width: pw)
        var result = [Double](repeating: 0, count: newShape.count)
        for o in 0..<cout {
            for i in 0..<cin {
                for dy in 0..<kh {
                    for dx in 0..<kw {
                        let (qy, a) = dy.quotientAndRemainder(dividingBy: sh)
                        let (qx, b) = dx.quotientAndRemainder(dividingBy: sw)
                        let channel = (i * sh + a) * sw + b
                        result[((o * newShape.inputChannels + channel) * ph + qy) * pw + qx] = self[o, i, dy, dx]
                    }
                }
            }
        }
        // Entries are copies of finite values: construction cannot fail.
        return try! ConvolutionKernel(shape: newShape, values: result)
    }

    /// The zero-filled dilated kernel: shape `(cout, cin, d_h(kh − 1) + 1, d_w(kw − 1) + 1)` with
    /// tap `(dy, dx)` at `(d_h·dy, d_w·dx)` and zeros between. A dilated convolution is the
    /// undilated convolution of this kernel (docs/methods.md §5). Dilation 1 returns the kernel
    /// itself. O(the result).
    public func dilated(by dilation: AxisPair) -> ConvolutionKernel {
        if dilation == .one { return self }
        let kh = shape.height, kw = shape.width
        let newShape = KernelShape(outputChannels: shape.outputChannels, inputChannels: shape.inputChannels,
                                   height: dilation.height * (kh - 1) + 1, width: dilation.width * (kw - 1) + 1)
        var result = [Double](repeating: 0, count: newShape.count)
        for o in 0..<shape.outputChannels {
            for i in 0..<shape.inputChannels {
                for dy in 0..<kh {
                    for dx in 0..<kw {
                        let row = dy * dilation.height, column = dx * dilation.width
                        result[((o * shape.inputChannels + i) * newShape.height + row) * newShape.width + column] = self[o, i, dy, dx]
                    }
                }
            }
        }
        return try! ConvolutionKernel(shape: newShape, values: result)
    }

    /// The kernel of group `index` of `groups`: output channels `[index·cout/g, (index+1)·cout/g)`,
    /// a contiguous slice of the PyTorch layout. O(the slice).
    public func group(_ index: Int, of groups: Int) -> ConvolutionKernel {
        precondition(groups >= 1 && shape.outputChannels % groups == 0 && (0..<groups).contains(index), "group out of range")
        if groups == 1 { return self }
        let perGroup = shape.outputChannels / groups
        let groupShape = KernelShape(outputChannels: perGroup, inputChannels: shape.inputChannels, height: shape.height, width: shape.width)
        let start = index * groupShape.count
        return try! ConvolutionKernel(shape: groupShape, values: Array(values[start..<(start + groupShape.count)]))
    }
}

/// The distribution of a seeded random kernel's entries.
public enum KernelDistribution: String, Codable, Sendable, CaseIterable {
    /// Standard normal N(0, 1), as in the tensor-norm paper's comparison (Grishina et al. 2024).
    case normal
    /// Uniform on (−1, 1).
    case uniform

    /// Parses a distribution name, naming the accepted ones on failure.
    public static func parse(_ text: String) throws -> KernelDistribution {
        guard let value = KernelDistribution(rawValue: text) else {
            throw InvalidInput("unknown distribution '\(text)'; accepted: \(allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }
}
