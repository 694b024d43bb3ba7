import NumericCore

/// The exact singular values of a circular convolution by block-diagonalisation in the Fourier
/// basis (Sedghi et al. 2019; strided through the polyphase reshape of Senderovich et al. 2022).
///
/// With circular padding the operator is unitarily similar to a block-diagonal matrix with one
/// block `K̂'(ω)` per frequency of the `m×m` grid (`m = n/s`, `K'` the polyphase kernel), so its
/// singular values are the union of the blocks' singular values; the pad only shifts the input
/// and does not change them (docs/methods.md §1). Both `sedghi` and the `fft-block-svd` reference tier
/// are this computation. Time O(m²·(cout·cin·k² + cout·cin·s²·min(cout, cin·s²))) using the half
/// grid; memory O(chunk·cout·cin·s² + number of values kept).
public enum CircularSpectrum {
    /// The memory `singularValues` needs for a kernel of `shape` at input size `inputSize`: the
    /// polyphase kernel (strided), the spectrum's chunk and frequency list of the `(n/s)²` half
    /// grid, the values kept (every value when `top` is nil, else a few chunks' worth) and one
    /// block's zgesdd copy and workspace. Saturating; O(1).
    public static func memoryNeed(shape: KernelShape, inputSize: Int, stride: Int, top: Int?, precision: Precision = .float64) -> MemoryNeed {
        let blockShape = KernelShape(
            outputChannels: shape.outputChannels, inputChannels: MemoryNeed.product([shape.inputChannels, stride, stride]),
            height: (shape.height + stride - 1) / stride, width: (shape.width + stride - 1) / stride)
        let side = inputSize / stride
        let frequencies = MemoryNeed.product([side, side / 2 + 1])
        let rows = blockShape.outputChannels, columns = blockShape.inputChannels
        let perBlock = min(rows, columns)
        let chunk = min(KernelSpectrum.chunkSize(shape: blockShape, chunkBytes: KernelSpectrum.defaultChunkBytes(shape: blockShape, precision: precision), precision: precision), frequencies)
        let every = MemoryNeed.product([perBlock, side, side])
        let kept = top.map { min(every, (MemoryNeed.elements(2, chunk, perBlock, size: 1) + .elements(4, $0 + perBlock, size: 1)).bytes) } ?? every
        let polyphase: MemoryNeed = stride > 1 ? .doubles(blockShape.outputChannels, blockShape.inputChannels, blockShape.taps) : .zero
        return polyphase
            + KernelSpectrum.memoryNeed(shape: blockShape, frequencies: frequencies, precision: precision)
            + .reals(precision, 2, kept)
            + .complexes(precision, rows, columns) + .complexes(precision, max(rows, columns)) + .reals(precision, 16, perBlock)
    }

    /// Singular values of the circular operator, descending: all of them when `top` is nil,
    /// else the largest `top`. Computed in float64 (`zgesdd`). Throws `LAPACKError` if an SVD fails.
    public static func singularValues(
        kernel: ConvolutionKernel, inputSize: Int, stride: Int, top: Int? = nil
    ) throws -> [Double] {
        try singularValues(kernel: kernel, inputSize: inputSize, stride: stride, top: top, in: Double.self)
    }

    /// `singularValues` computed in the precision `Scalar` (the symbol by `KernelSpectrum` in
    /// that precision, each block by `zgesdd` or `cgesdd`), returned as float64.
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    public static func singularValues<Scalar: LinearAlgebraScalar>(
        kernel: ConvolutionKernel, inputSize: Int, stride: Int, top: Int? = nil, in precision: Scalar.Type
    ) throws -> [Double] {
        precondition(inputSize % stride == 0, "circular stride must divide n")
        let blockKernel = kernel.polyphase(stride: stride)
        let side = inputSize / stride
        let grid = HalfFrequencyGrid(height: side, width: side)
        let rows = blockKernel.shape.outputChannels
        let columns = blockKernel.shape.inputChannels
        let perBlock = min(rows, columns)
        var values: [Double] = []
        values.reserveCapacity(top.map { min($0 * 2 + perBlock * 2, perBlock * side * side) } ?? perBlock * side * side)
        try KernelSpectrum(kernel: blockKernel).forEachChunk(of: grid.frequencies, in: Scalar.self) { first, count, matrices in
            // One values-only SVD per frequency, tasks of a few frequencies side by side on the
            // thread budget; the values are gathered in frequency order.
            let perTask = 4
            let tasks = (count + perTask - 1) / perTask
            let taskValues = try ParallelWork.map(count: tasks) { task in
                try ((task * perTask)..<min(count, (task + 1) * perTask)).map { f in
                    try LAPACK.complexSingularValues(rows: rows, columns: columns, elements: matrices, offset: f * rows * columns)
                }
            }
            for (task, blocks) in taskValues.enumerated() {
                for (index, blockValues) in blocks.enumerated() {
                    for _ in 0..<grid.multiplicities[first + task * perTask + index] {
                        for value in blockValues { values.append(Double(value)) }
                    }
                }
            }
            if let top, values.count > 4 * top + 4 * perBlock {
                values.sort(by: >)
                values.removeLast(values.count - top)
            }
        }
        values.sort(by: >)
        if let top, values.count > top { values.removeLast(values.count - top) }
        return values
    }
}
