import NumericCore

/// The linear map `A` of a convolution layer (methods.md §1), applied matrix-free.
///
/// `y[o, r, c] = Σ_{i, dy, dx} K[o, i, dy, dx] · x[i, r·s + dy − p_h, c·s + dx − p_w]` with zero or
/// circular padding. Vectors are flat row-major arrays: inputs `(cin, n, n)`, outputs
/// `(cout, m_h, m_w)`; batches stack vectors one after the other. Forward and adjoint are im2col
/// plus one dgemm per vector: O(cout·cin·kh·kw·m²) each, with an index table of `kh·kw·m²`
/// entries built once. This is what power iteration, PowerQR and Lanczos call in their loops.
///
/// Generic over the scalar it computes in (`Double`: dgemm; `Float`: sgemm): the kernel is kept
/// as given (float64, the input every method and the exact reference share) and rounded once to
/// `weights` in the operator's precision. `ConvolutionOperator(kernel:geometry:)` is float64.
public struct ConvolutionOperator<Scalar: LinearAlgebraScalar>: Sendable {
    /// The kernel, as given (float64).
    public let kernel: ConvolutionKernel
    /// The kernel's entries rounded to `Scalar`, same layout as `kernel.values`.
    public let weights: [Scalar]
    /// Sizes, padding and stride.
    public let geometry: ConvolutionGeometry
    /// For tap `t = dy·kw + dx` and output position `q`: the input offset within a channel, or −1.
    private let tapIndex: [Int32]

    /// Builds the operator for `kernel` under `geometry` (whose shape must be the kernel's) in
    /// the precision `Scalar`. O(kh·kw·m² + cout·cin·kh·kw).
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    public init(kernel: ConvolutionKernel, geometry: ConvolutionGeometry, precision: Scalar.Type) {
        precondition(kernel.shape == geometry.shape, "geometry was made for another kernel shape")
        self.kernel = kernel
        self.weights = Scalar.rounding(kernel.values)
        self.geometry = geometry
        self.tapIndex = Self.tapTable(geometry)
    }

    private init(kernel: ConvolutionKernel, weights: [Scalar], geometry: ConvolutionGeometry, tapIndex: [Int32]) {
        self.kernel = kernel
        self.weights = weights
        self.geometry = geometry
        self.tapIndex = tapIndex
    }

    /// The same operator in the precision `Other`, sharing the tap table (the kernel is rounded
    /// from its float64 values, not from this operator's). O(cout·cin·kh·kw).
    public func converted<Other: LinearAlgebraScalar>(to precision: Other.Type) -> ConvolutionOperator<Other> {
        ConvolutionOperator<Other>(kernel: kernel, weights: Other.rounding(kernel.values), geometry: geometry, tapIndex: tapIndex)
    }

    /// The precision this operator computes in.
    public var precision: Precision { Scalar.precision }

    /// For tap `t = dy·kw + dx` and output position `q`: the input offset within a channel, or −1.
    private static func tapTable(_ geometry: ConvolutionGeometry) -> [Int32] {
        let g = geometry
        let n = g.inputSize
        let kh = g.shape.height, kw = g.shape.width
        let positions = g.outputHeight * g.outputWidth
        var table = [Int32](repeating: -1, count: kh * kw * positions)
        for dy in 0..<kh {
            for dx in 0..<kw {
                let tap = dy * kw + dx
                for r in 0..<g.outputHeight {
                    var row = r * g.stride + dy - g.padHeight
                    if g.padding == .circular { row = ((row % n) + n) % n }
                    guard row >= 0 && row < n else { continue }
                    for c in 0..<g.outputWidth {
                        var column = c * g.stride + dx - g.padWidth
                        if g.padding == .circular { column = ((column % n) + n) % n }
                        guard column >= 0 && column < n else { continue }
                        table[tap * positions + r * g.outputWidth + c] = Int32(row * n + column)
                    }
                }
            }
        }
        return table
    }

    /// Length of an input vector: `cin·n²`.
    public var inputDimension: Int { geometry.columns }
    /// Length of an output vector: `cout·m_h·m_w`.
    public var outputDimension: Int { geometry.rows }

    /// `A·x` for one input vector.
    public func apply(_ input: [Scalar]) -> [Scalar] { apply(batch: input, count: 1) }

    /// `Aᵀ·y` for one output vector.
    public func applyAdjoint(_ output: [Scalar]) -> [Scalar] { applyAdjoint(batch: output, count: 1) }

    /// `AᵀA·x` for one input vector.
    public func applyNormal(_ input: [Scalar]) -> [Scalar] { applyAdjoint(apply(input)) }

    /// `A·x_b` for `count` input vectors stored one after the other.
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    public func apply(batch input: [Scalar], count: Int) -> [Scalar] {
        precondition(input.count == count * inputDimension, "input batch has the wrong length")
        let shape = geometry.shape
        let channelStride = geometry.inputSize * geometry.inputSize
        let positions = geometry.outputHeight * geometry.outputWidth
        let inner = shape.inputChannels * shape.taps
        var columns = [Scalar](repeating: 0, count: inner * positions)
        var output = [Scalar](repeating: 0, count: count * outputDimension)
        for b in 0..<count {
            IndexedGather.gather(
                source: input, sourceOffset: b * inputDimension, channels: shape.inputChannels,
                channelStride: channelStride, index: tapIndex, taps: shape.taps, positions: positions,
                into: &columns)
            BLAS.multiply(
                rows: shape.outputChannels, columns: positions, inner: inner,
                a: weights, b: columns, into: &output, cOffset: b * outputDimension)
        }
        return output
    }

    /// `Aᵀ·y_b` for `count` output vectors stored one after the other.
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    public func applyAdjoint(batch output: [Scalar], count: Int) -> [Scalar] {
        precondition(output.count == count * outputDimension, "output batch has the wrong length")
        let shape = geometry.shape
        let channelStride = geometry.inputSize * geometry.inputSize
        let positions = geometry.outputHeight * geometry.outputWidth
        let inner = shape.inputChannels * shape.taps
        var columns = [Scalar](repeating: 0, count: inner * positions)
        var input = [Scalar](repeating: 0, count: count * inputDimension)
        for b in 0..<count {
            BLAS.multiply(
                rows: inner, columns: positions, inner: shape.outputChannels,
                a: weights, transposeA: true, b: output, bOffset: b * outputDimension,
                into: &columns)
            IndexedGather.scatterAdd(
                columns: columns, channels: shape.inputChannels, channelStride: channelStride,
                index: tapIndex, taps: shape.taps, positions: positions,
                into: &input, destinationOffset: b * inputDimension)
        }
        return input
    }
}

extension ConvolutionOperator where Scalar == Double {
    /// The float64 operator of `kernel` under `geometry`. O(kh·kw·m²).
    public init(kernel: ConvolutionKernel, geometry: ConvolutionGeometry) {
        self.init(kernel: kernel, geometry: geometry, precision: Double.self)
    }
}

extension ConvolutionGeometry {
    /// Bytes of the kernel and the operator's tap table (`kh·kw·m_h·m_w` 32-bit offsets) for
    /// this geometry: what every method of a point shares, before any method runs.
    public var operatorMemoryNeed: MemoryNeed {
        let shape = self.shape
        return .doubles(shape.count) + .elements(shape.taps, outputHeight, outputWidth, size: 4)
    }

    /// Bytes of the kernel's copy rounded to `precision` (none for float64, which shares the
    /// kernel's storage).
    public func weightMemory(precision: Precision) -> MemoryNeed {
        precision == .float64 ? .zero : .reals(precision, shape.count)
    }

    /// Bytes one `apply` and one `applyAdjoint` of a batch of `count` vectors allocate in
    /// `precision`: the gathered columns (`cin·kh·kw·m_h·m_w` scalars) and the `count` results of each.
    public func applicationMemory(count: Int = 1, precision: Precision = .float64) -> MemoryNeed {
        .reals(precision, shape.inputChannels, shape.taps, outputHeight, outputWidth)
            + .reals(precision, count, rows) + .reals(precision, count, columns)
    }
}
