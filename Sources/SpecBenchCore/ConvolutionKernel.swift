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
        precondition(stride >= 1, "stride must be positive")
        if stride == 1 { return self }
        let s = stride
        let cout = shape.outputChannels, cin = shape.inputChannels
        let kh = shape.height, kw = shape.width
        let ph = (kh + s - 1) / s, pw = (kw + s - 1) / s
        let newShape = KernelShape(outputChannels: cout, inputChannels: cin * s * s, height: ph, width: pw)
        var result = [Double](repeating: 0, count: newShape.count)
        for o in 0..<cout {
            for i in 0..<cin {
                for dy in 0..<kh {
                    for dx in 0..<kw {
                        let (qy, a) = dy.quotientAndRemainder(dividingBy: s)
                        let (qx, b) = dx.quotientAndRemainder(dividingBy: s)
                        let channel = (i * s + a) * s + b
                        result[((o * newShape.inputChannels + channel) * ph + qy) * pw + qx] = self[o, i, dy, dx]
                    }
                }
            }
        }
        // Entries are copies of finite values: construction cannot fail.
        return try! ConvolutionKernel(shape: newShape, values: result)
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
