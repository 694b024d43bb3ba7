import NumericCore

/// The linear map `A` of a convolution layer (methods.md §1), applied matrix-free.
///
/// `y[o, r, c] = Σ_{i, dy, dx} K[o, i, dy, dx] · x[i, r·s + dy − p_h, c·s + dx − p_w]` with zero or
/// circular padding. Vectors are flat row-major arrays: inputs `(cin, n, n)`, outputs
/// `(cout, m_h, m_w)`; batches stack vectors one after the other. Forward and adjoint are im2col
/// plus one dgemm per vector: O(cout·cin·kh·kw·m²) each, with an index table of `kh·kw·m²`
/// entries built once. This is what power iteration, PowerQR and Lanczos call in their loops.
public struct ConvolutionOperator: Sendable {
    /// The kernel.
    public let kernel: ConvolutionKernel
    /// Sizes, padding and stride.
    public let geometry: ConvolutionGeometry
    /// For tap `t = dy·kw + dx` and output position `q`: the input offset within a channel, or −1.
    private let tapIndex: [Int32]

    /// Builds the operator for `kernel` under `geometry` (whose shape must be the kernel's).
    /// O(kh·kw·m²).
    public init(kernel: ConvolutionKernel, geometry: ConvolutionGeometry) {
        precondition(kernel.shape == geometry.shape, "geometry was made for another kernel shape")
        self.kernel = kernel
        self.geometry = geometry
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
        tapIndex = table
    }

    /// Bytes of the kernel and the operator's tap table (`kh·kw·m_h·m_w` 32-bit offsets) for
    /// `geometry`: what every method of a point shares, before any method runs.
    public static func memoryNeed(for geometry: ConvolutionGeometry) -> MemoryNeed {
        let shape = geometry.shape
        return .doubles(shape.count) + .elements(shape.taps, geometry.outputHeight, geometry.outputWidth, size: 4)
    }

    /// Bytes one `apply` and one `applyAdjoint` of a batch of `count` vectors allocate: the
    /// gathered columns (`cin·kh·kw·m_h·m_w` doubles) and the `count` results of each.
    public static func applicationMemory(for geometry: ConvolutionGeometry, count: Int = 1) -> MemoryNeed {
        let shape = geometry.shape
        return .doubles(shape.inputChannels, shape.taps, geometry.outputHeight, geometry.outputWidth)
            + .doubles(count, geometry.rows) + .doubles(count, geometry.columns)
    }

    /// Length of an input vector: `cin·n²`.
    public var inputDimension: Int { geometry.columns }
    /// Length of an output vector: `cout·m_h·m_w`.
    public var outputDimension: Int { geometry.rows }

    /// `A·x` for one input vector.
    public func apply(_ input: [Double]) -> [Double] { apply(batch: input, count: 1) }

    /// `Aᵀ·y` for one output vector.
    public func applyAdjoint(_ output: [Double]) -> [Double] { applyAdjoint(batch: output, count: 1) }

    /// `AᵀA·x` for one input vector.
    public func applyNormal(_ input: [Double]) -> [Double] { applyAdjoint(apply(input)) }

    /// `A·x_b` for `count` input vectors stored one after the other.
    public func apply(batch input: [Double], count: Int) -> [Double] {
        precondition(input.count == count * inputDimension, "input batch has the wrong length")
        let shape = geometry.shape
        let channelStride = geometry.inputSize * geometry.inputSize
        let positions = geometry.outputHeight * geometry.outputWidth
        let inner = shape.inputChannels * shape.taps
        var columns = [Double](repeating: 0, count: inner * positions)
        var output = [Double](repeating: 0, count: count * outputDimension)
        for b in 0..<count {
            IndexedGather.gather(
                source: input, sourceOffset: b * inputDimension, channels: shape.inputChannels,
                channelStride: channelStride, index: tapIndex, taps: shape.taps, positions: positions,
                into: &columns)
            BLAS.multiply(
                rows: shape.outputChannels, columns: positions, inner: inner,
                a: kernel.values, b: columns, into: &output, cOffset: b * outputDimension)
        }
        return output
    }

    /// `Aᵀ·y_b` for `count` output vectors stored one after the other.
    public func applyAdjoint(batch output: [Double], count: Int) -> [Double] {
        precondition(output.count == count * outputDimension, "output batch has the wrong length")
        let shape = geometry.shape
        let channelStride = geometry.inputSize * geometry.inputSize
        let positions = geometry.outputHeight * geometry.outputWidth
        let inner = shape.inputChannels * shape.taps
        var columns = [Double](repeating: 0, count: inner * positions)
        var input = [Double](repeating: 0, count: count * inputDimension)
        for b in 0..<count {
            BLAS.multiply(
                rows: inner, columns: positions, inner: shape.outputChannels,
                a: kernel.values, transposeA: true, b: output, bOffset: b * outputDimension,
                into: &columns)
            IndexedGather.scatterAdd(
                columns: columns, channels: shape.inputChannels, channelStride: channelStride,
                index: tapIndex, taps: shape.taps, positions: positions,
                into: &input, destinationOffset: b * inputDimension)
        }
        return input
    }
}
