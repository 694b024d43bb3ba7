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
    /// The memory `singularValues` needs for a kernel of `shape` at input size `inputSize`
    /// (square, stride `s`): see `memoryNeed(problem:top:precision:)`.
    public static func memoryNeed(shape: KernelShape, inputSize: Int, stride: Int, top: Int?, precision: Precision = .float64) -> MemoryNeed {
        let geometry = try? ConvolutionGeometry(shape: shape, inputSize: inputSize, padding: .circular, stride: stride)
        guard let geometry else { return MemoryNeed(bytes: Int.max) }
        return memoryNeed(problem: CircularProblem(geometry), top: top, precision: precision)
    }

    /// The memory `singularValues` needs for `problem`: the polyphase kernel (strided), the
    /// spectrum's chunk and frequency list of the half grid, the values kept (every value when
    /// `top` is nil, else a few chunks' worth) and one block's zgesdd copy and workspace.
    /// Saturating; O(1).
    public static func memoryNeed(problem: CircularProblem, top: Int?, precision: Precision = .float64) -> MemoryNeed {
        let blockShape = problem.blockShape
        let frequencies = MemoryNeed.product([problem.gridHeight, problem.gridWidth / 2 + 1])
        let rows = blockShape.outputChannels, columns = blockShape.inputChannels
        let perBlock = min(rows, columns)
        let chunk = min(KernelSpectrum.chunkSize(shape: blockShape, chunkBytes: KernelSpectrum.defaultChunkBytes(shape: blockShape, precision: precision), precision: precision), frequencies)
        let every = MemoryNeed.product([perBlock, problem.gridHeight, problem.gridWidth])
        let kept = top.map { min(every, (MemoryNeed.elements(2, chunk, perBlock, size: 1) + .elements(4, $0 + perBlock, size: 1)).bytes) } ?? every
        let polyphase: MemoryNeed = problem.rewritesKernel ? .doubles(blockShape.outputChannels, blockShape.inputChannels, blockShape.taps) : .zero
        return polyphase
            + KernelSpectrum.memoryNeed(shape: blockShape, frequencies: frequencies, precision: precision)
            + .reals(precision, 2, kept)
            + .complexes(precision, rows, columns) + .complexes(precision, max(rows, columns)) + .reals(precision, 16, perBlock)
    }

    /// Singular values of the square circular operator with stride `s` on `n × n`, descending:
    /// all of them when `top` is nil, else the largest `top`. Computed in float64 (`zgesdd`).
    /// Throws `LAPACKError` if an SVD fails.
    public static func singularValues(
        kernel: ConvolutionKernel, inputSize: Int, stride: Int, top: Int? = nil
    ) throws -> [Double] {
        let geometry = try ConvolutionGeometry(shape: kernel.shape, inputSize: inputSize, padding: .circular, stride: stride)
        return try singularValues(kernel: kernel, problem: CircularProblem(geometry), top: top, in: Double.self)
    }

    /// `singularValues` computed in the precision `Scalar`, returned as float64.
    public static func singularValues<Scalar: LinearAlgebraScalar>(
        kernel: ConvolutionKernel, inputSize: Int, stride: Int, top: Int? = nil, in precision: Scalar.Type
    ) throws -> [Double] {
        let geometry = try ConvolutionGeometry(shape: kernel.shape, inputSize: inputSize, padding: .circular, stride: stride)
        return try singularValues(kernel: kernel, problem: CircularProblem(geometry), top: top, in: Scalar.self)
    }

    /// Singular values of the circular operator `problem` describes (any rectangular grid,
    /// per-axis stride, dilation) for one group's `kernel`, descending, in the precision `Scalar`
    /// (the symbol by `KernelSpectrum` in that precision, each block by `zgesdd` or `cgesdd`),
    /// returned as float64. Each block's values count `problem.multiplicity` times (the subgrids
    /// of a dilation).
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    public static func singularValues<Scalar: LinearAlgebraScalar>(
        kernel: ConvolutionKernel, problem: CircularProblem, top: Int? = nil, in precision: Scalar.Type
    ) throws -> [Double] {
        let blockKernel = problem.blockKernel(kernel)
        let grid = HalfFrequencyGrid(height: problem.gridHeight, width: problem.gridWidth)
        let rows = blockKernel.shape.outputChannels
        let columns = blockKernel.shape.inputChannels
        let perBlock = min(rows, columns)
        var values: [Double] = []
        let copies = problem.multiplicity
        let every = perBlock * problem.gridHeight * problem.gridWidth * copies
        values.reserveCapacity(top.map { min($0 * 2 + perBlock * 2 * copies, every) } ?? every)
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
                    for _ in 0..<(grid.multiplicities[first + task * perTask + index] * copies) {
                        for value in blockValues { values.append(Double(value)) }
                    }
                }
            }
            if let top, values.count > 4 * top + 4 * perBlock * copies {
                values.sort(by: >)
                values.removeLast(values.count - top)
            }
        }
        values.sort(by: >)
        if let top, values.count > top { values.removeLast(values.count - top) }
        return values
    }
}

/// The circular operator of a geometry as `CircularSpectrum` block-diagonalises it
/// (docs/methods.md §5): the kernel dilated by zero-filling (or, for stride 1 and a dilation
/// dividing both sides, the undilated kernel on each of the `d_h·d_w` subgrids of
/// `(H/d_h) × (W/d_w)`), then the polyphase kernel of the stride on the `(H/s_h) × (W/s_w)` grid.
/// For a geometry that is not circular the sides are rounded up to a multiple of the stride: the
/// circular counterpart `sedghi` reports there as an estimate.
public struct CircularProblem: Sendable, Hashable {
    /// Dilation applied by zero-filling the kernel (`.one` on subgrids).
    public let dilation: AxisPair
    /// Stride applied by the polyphase reshape (`.one` without it).
    public let stride: AxisPair
    /// Rows of the frequency grid.
    public let gridHeight: Int
    /// Columns of the frequency grid.
    public let gridWidth: Int
    /// How many copies of each block's values the operator has (`d_h·d_w` on subgrids, else 1).
    public let multiplicity: Int
    /// The shape of the kernel the blocks are the symbol of.
    public let blockShape: KernelShape

    /// The problem of one group of `geometry`; `polyphase: false` keeps the stride-1 operator
    /// (whose row subsampling a strided circular operator is: `gram-circular`). O(1).
    public init(_ geometry: ConvolutionGeometry, polyphase: Bool = true) {
        let g = geometry.perGroup
        let stride = polyphase ? g.stride : .one
        let height = (g.inputHeight + stride.height - 1) / stride.height * stride.height
        let width = (g.inputWidth + stride.width - 1) / stride.width * stride.width
        let d = g.dilation
        let subgrids = stride == .one && d != .one && height % d.height == 0 && width % d.width == 0
        self.dilation = subgrids ? .one : d
        self.stride = stride
        self.multiplicity = subgrids ? d.height * d.width : 1
        self.gridHeight = subgrids ? height / d.height : height / stride.height
        self.gridWidth = subgrids ? width / d.width : width / stride.width
        let kh = self.dilation.height * (g.shape.height - 1) + 1, kw = self.dilation.width * (g.shape.width - 1) + 1
        self.blockShape = KernelShape(
            outputChannels: g.shape.outputChannels, inputChannels: MemoryNeed.product([g.shape.inputChannels, stride.height, stride.width]),
            height: (kh + stride.height - 1) / stride.height, width: (kw + stride.width - 1) / stride.width)
    }

    /// Whether `blockKernel` builds a new kernel (dilation or stride), rather than the given one.
    public var rewritesKernel: Bool { dilation != .one || stride != .one }

    /// The kernel whose symbol gives the blocks. O(its entries).
    public func blockKernel(_ kernel: ConvolutionKernel) -> ConvolutionKernel {
        kernel.dilated(by: dilation).polyphase(stride: stride)
    }
}
