/// Everything about a convolution operator except its kernel's entries: input size, padding,
/// stride and the (optional) explicit pad, together with the derived output size (docs/methods.md §1).
public struct ConvolutionGeometry: Codable, Sendable, Hashable {
    /// Kernel shape `(cout, cin, kh, kw)`.
    public let shape: KernelShape
    /// Input side `n` (the input is `cin × n × n`).
    public let inputSize: Int
    /// Border handling.
    public let padding: Padding
    /// Stride `s ≥ 1`.
    public let stride: Int
    /// Pad along rows: the override when given, else `⌊kh/2⌋`.
    public let padHeight: Int
    /// Pad along columns: the override when given, else `⌊kw/2⌋`.
    public let padWidth: Int
    /// Output rows.
    public let outputHeight: Int
    /// Output columns.
    public let outputWidth: Int

    /// Validates and derives a geometry. Throws `InvalidInput` naming the bad value for
    /// `n < 1`, `s < 1`, a negative pad, a zero-padded kernel larger than the padded input, and a
    /// circular stride that does not divide `n`. O(1).
    public init(shape: KernelShape, inputSize: Int, padding: Padding, stride: Int = 1, pad: Int? = nil) throws {
        _ = try shape.validated()
        guard inputSize >= 1 else {
            throw InvalidInput("invalid input size n = \(inputSize); it must be a positive integer")
        }
        guard stride >= 1 else {
            throw InvalidInput("invalid stride \(stride); it must be a positive integer")
        }
        if let pad, pad < 0 {
            throw InvalidInput("invalid pad \(pad); it must be a non-negative integer")
        }
        guard inputSize <= 1 << 15 else {
            throw InvalidInput("invalid input size n = \(inputSize); at most 32768 is supported")
        }
        guard stride <= 1 << 15 else {
            throw InvalidInput("invalid stride \(stride); at most 32768 is supported")
        }
        if let pad, pad > 1 << 15 {
            throw InvalidInput("invalid pad \(pad); at most 32768 is supported")
        }
        _ = try shape.validated()
        self.shape = shape
        self.inputSize = inputSize
        self.padding = padding
        self.stride = stride
        self.padHeight = pad ?? shape.height / 2
        self.padWidth = pad ?? shape.width / 2
        switch padding {
        case .zero:
            let paddedHeight = inputSize + 2 * padHeight
            let paddedWidth = inputSize + 2 * padWidth
            guard paddedHeight >= shape.height, paddedWidth >= shape.width else {
                throw InvalidInput(
                    "kernel \(shape.height)×\(shape.width) is larger than the zero-padded input "
                    + "\(paddedHeight)×\(paddedWidth) (n = \(inputSize), pad = \(padHeight), \(padWidth)); "
                    + "use a larger n or pad, or a kernel no larger than n + 2·pad")
            }
            outputHeight = (paddedHeight - shape.height) / stride + 1
            outputWidth = (paddedWidth - shape.width) / stride + 1
        case .circular:
            guard inputSize % stride == 0 else {
                throw InvalidInput(
                    "circular padding needs the stride to divide n: stride \(stride) does not divide n = \(inputSize); "
                    + "accepted strides for n = \(inputSize): \(Self.divisors(of: inputSize).map(String.init).joined(separator: ", "))")
            }
            outputHeight = inputSize / stride
            outputWidth = inputSize / stride
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
              side([shape.inputChannels, inputSize, inputSize]) != nil else {
            throw InvalidInput("the operator of a \(shape.description) kernel at n = \(inputSize) (\(shape.outputChannels)·\(outputHeight)·\(outputWidth) × \(shape.inputChannels)·\(inputSize)·\(inputSize)) is beyond the supported 2^31 per side")
        }
    }

    /// Rows of the operator's matrix: `cout·m_h·m_w`.
    public var rows: Int { shape.outputChannels * outputHeight * outputWidth }
    /// Columns of the operator's matrix: `cin·n²`.
    public var columns: Int { shape.inputChannels * inputSize * inputSize }
    /// Number of singular values: `min(rows, columns)`.
    public var rank: Int { min(rows, columns) }

    private static func divisors(of n: Int) -> [Int] {
        (1...n).filter { n % $0 == 0 }
    }
}
