/// Where every entry of a convolution's patch matrix (im2col) comes from, and the two kernels
/// that move data between an input and that matrix.
///
/// For `channels` input channels of `inputHeight × inputWidth` values, kernel taps
/// `(dy, dx)` over an `outputHeight × outputWidth` output, the patch matrix has one row per
/// (channel, tap) pair, `t = dy·kernelWidth + dx`, matching the PyTorch kernel layout
/// `(cout, cin, kh, kw)` flattened to `cout × (cin·kh·kw)`, and one column per output position.
/// Its entry at output position `(r, c)` is the input value at row `rowSources[dy][r]` and column
/// `columnSources[dx][c]` of the channel, or a padding zero where either is −1.
///
/// The address is separable (row from `dy`, column from `dx`), so a patch row is a few
/// contiguous runs of the input row — one run per output row for zero padding, two for circular
/// wrap-around — with a constant source step (the stride). Both kernels copy or add whole runs
/// (vectorised memory moves for stride 1) instead of looking up every entry in a table: the
/// index table this replaces cost as much time as the gemm it feeds at 128 channels. Rows
/// narrower than 16 outputs have runs too short to pay their bookkeeping (at n = 4 a run is one to
/// four scalars); there each entry is read through a per-entry offset table instead. Each kernel
/// is O(channels·taps·outputHeight·outputWidth) memory traffic, in either precision.
public struct PatchMatrixLayout: Sendable {
    /// Input channels.
    public let channels: Int
    /// Kernel rows `kh`.
    public let kernelHeight: Int
    /// Kernel columns `kw`.
    public let kernelWidth: Int
    /// Input rows of a channel.
    public let inputHeight: Int
    /// Input columns of a channel.
    public let inputWidth: Int
    /// Output rows `m_h`.
    public let outputHeight: Int
    /// Output columns `m_w`.
    public let outputWidth: Int
    /// Step between the source columns of consecutive output columns (the stride).
    public let columnStep: Int
    /// `rowSources[dy·outputHeight + r]`: the input row of output row `r` under tap row `dy`, or −1.
    @usableFromInline let rowSources: [Int]
    /// The runs of an output row, flat: for tap column `dx`, `runs[runStarts[dx] ..< runStarts[dx + 1]]`
    /// holds triples (destination column, source column, length) — a contiguous stretch read
    /// from one input row in steps of the stride, or, with source −1, padding zeros. Flat integers
    /// rather than an array of structs, so that the loops stay plain even in a debug build.
    @usableFromInline let runs: [Int]
    /// Where each tap column's runs start in `runs` (`kernelWidth + 1` entries).
    @usableFromInline let runStarts: [Int]
    /// For narrow outputs (fewer than `narrowWidth` columns): the offset within a channel of the
    /// entry at tap `t`, position `p`, at `t·positions + p`, or −1 for a padding zero; else empty.
    @usableFromInline let entrySources: [Int32]

    /// Output widths below which `entrySources` replaces the runs.
    public static let narrowWidth = 16

    /// Number of kernel taps `kh·kw`.
    public var taps: Int { kernelHeight * kernelWidth }
    /// Output positions `m_h·m_w`: the columns of the patch matrix.
    public var positions: Int { outputHeight * outputWidth }
    /// Rows of the patch matrix, `channels·kh·kw`.
    public var patchRows: Int { channels * taps }
    /// Values of one input vector, `channels·inputHeight·inputWidth`.
    public var inputCount: Int { channels * inputHeight * inputWidth }

    /// A layout from its separable source maps. `rowSources` holds `kernelHeight` blocks of
    /// `outputHeight` input rows (or −1), `columnSources` `kernelWidth` blocks of `outputWidth`
    /// input columns (or −1); consecutive columns whose sources advance by `columnStep` become
    /// one run. O(kh·m_h + kw·m_w).
    public init(
        channels: Int, inputHeight: Int, inputWidth: Int, kernelHeight: Int, kernelWidth: Int,
        outputHeight: Int, outputWidth: Int, columnStep: Int, rowSources: [Int], columnSources: [Int]
    ) {
        precondition(rowSources.count == kernelHeight * outputHeight, "patch layout: row map size")
        precondition(columnSources.count == kernelWidth * outputWidth, "patch layout: column map size")
        precondition(rowSources.allSatisfy { $0 >= -1 && $0 < inputHeight }, "patch layout: row out of range")
        precondition(columnSources.allSatisfy { $0 >= -1 && $0 < inputWidth }, "patch layout: column out of range")
        self.channels = channels
        self.inputHeight = inputHeight
        self.inputWidth = inputWidth
        self.kernelHeight = kernelHeight
        self.kernelWidth = kernelWidth
        self.outputHeight = outputHeight
        self.outputWidth = outputWidth
        self.columnStep = columnStep
        self.rowSources = rowSources
        var runs: [Int] = []
        var starts: [Int] = [0]
        for dx in 0..<kernelWidth {
            let map = Array(columnSources[(dx * outputWidth)..<((dx + 1) * outputWidth)])
            var c = 0
            while c < outputWidth {
                var end = c + 1
                if map[c] < 0 {
                    while end < outputWidth && map[end] < 0 { end += 1 }
                    runs += [c, -1, end - c]
                } else {
                    while end < outputWidth && map[end] == map[end - 1] + columnStep { end += 1 }
                    runs += [c, map[c], end - c]
                }
                c = end
            }
            starts.append(runs.count)
        }
        self.runs = runs
        runStarts = starts
        var entries: [Int32] = []
        if outputWidth < Self.narrowWidth {
            entries.reserveCapacity(kernelHeight * kernelWidth * outputHeight * outputWidth)
            for dy in 0..<kernelHeight {
                for dx in 0..<kernelWidth {
                    for r in 0..<outputHeight {
                        let row = rowSources[dy * outputHeight + r]
                        for c in 0..<outputWidth {
                            let column = columnSources[dx * outputWidth + c]
                            entries.append(row < 0 || column < 0 ? -1 : Int32(row * inputWidth + column))
                        }
                    }
                }
            }
        }
        entrySources = entries
    }

    /// Builds the patch matrix of one input vector (at `input`) for the output rows
    /// `outputRows` only: the patch columns of those rows' positions, written as a `patchRows × (outputRows.count·outputWidth)` row-major block at
    /// `output` (every entry written). `input` is one input vector. The caller guarantees the
    /// extents. O(channels·taps·outputRows.count·outputWidth).
    @inlinable
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    func gather<Scalar: LinearAlgebraScalar>(
        from input: UnsafePointer<Scalar>, into output: UnsafeMutablePointer<Scalar>, outputRows: Range<Int>
    ) {
        let channelSize = inputHeight * inputWidth
        let step = columnStep
        let leading = outputRows.count * outputWidth
        let skipped = outputRows.lowerBound * outputWidth
        if !entrySources.isEmpty {
            entrySources.withUnsafeBufferPointer { table in
                if leading == positions {
                    // Every row: a channel's entries are one stretch of the table.
                    let count = taps * positions
                    for channel in 0..<channels {
                        let channelBase = input + channel * channelSize
                        let destination = output + channel * count
                        for entry in 0..<count {
                            let offset = Int(table[entry])
                            destination[entry] = offset >= 0 ? channelBase[offset] : 0
                        }
                    }
                    return
                }
                for channel in 0..<channels {
                    let channelBase = input + channel * channelSize
                    for tap in 0..<taps {
                        let destination = output + (channel * taps + tap) * leading
                        let entries = table.baseAddress! + tap * positions + skipped
                        for entry in 0..<leading {
                            let offset = Int(entries[entry])
                            destination[entry] = offset >= 0 ? channelBase[offset] : 0
                        }
                    }
                }
            }
            return
        }
        runs.withUnsafeBufferPointer { runs in
            runStarts.withUnsafeBufferPointer { starts in
                rowSources.withUnsafeBufferPointer { rowSources in
                    for channel in 0..<channels {
                        for dy in 0..<kernelHeight {
                            for dx in 0..<kernelWidth {
                                let patchRow = output + (channel * taps + dy * kernelWidth + dx) * leading - skipped
                                for r in outputRows {
                                    let destination = patchRow + r * outputWidth
                                    let row = rowSources[dy * outputHeight + r]
                                    // Plain loops, not memmove/memset calls: runs are often a
                                    // few dozen scalars, where a library call costs more than the copy.
                                    if row < 0 {
                                        for i in 0..<outputWidth { destination[i] = 0 }
                                        continue
                                    }
                                    let sourceRow = input + channel * channelSize + row * inputWidth
                                    var run = starts[dx]
                                    while run < starts[dx + 1] {
                                        let to = destination + runs[run], from = runs[run + 1], length = runs[run + 2]
                                        if from < 0 {
                                            for i in 0..<length { to[i] = 0 }
                                        } else if step == 1 {
                                            let origin = sourceRow + from
                                            for i in 0..<length { to[i] = origin[i] }
                                        } else {
                                            for i in 0..<length { to[i] = sourceRow[from + i * step] }
                                        }
                                        run += 3
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The adjoint of `gather`, for the input channels `channels` only: adds the patch rows of
    /// those channels (of the full `patchRows × positions` matrix at `patches`) into one input vector at
    /// `output`, touching only those channels' values (padding entries are dropped; the
    /// destination is added to, not overwritten). The caller guarantees the extents.
    /// O(channels.count·taps·positions).
    @inlinable
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    func scatterAdd<Scalar: LinearAlgebraScalar>(
        from patches: UnsafePointer<Scalar>, into output: UnsafeMutablePointer<Scalar>, channels: Range<Int>
    ) {
        let channelSize = inputHeight * inputWidth
        let step = columnStep
        if !entrySources.isEmpty {
            entrySources.withUnsafeBufferPointer { table in
                let count = taps * positions
                for channel in channels {
                    let channelBase = output + channel * channelSize
                    let source = patches + channel * count
                    for entry in 0..<count {
                        let offset = Int(table[entry])
                        if offset >= 0 { channelBase[offset] += source[entry] }
                    }
                }
            }
            return
        }
        runs.withUnsafeBufferPointer { runs in
            runStarts.withUnsafeBufferPointer { starts in
                rowSources.withUnsafeBufferPointer { rowSources in
                    for channel in channels {
                        for dy in 0..<kernelHeight {
                            for dx in 0..<kernelWidth {
                                let patchRow = (channel * taps + dy * kernelWidth + dx) * positions
                                for r in 0..<outputHeight {
                                    let row = rowSources[dy * outputHeight + r]
                                    if row < 0 { continue }
                                    let source = patches + patchRow + r * outputWidth
                                    let targetRow = output + channel * channelSize + row * inputWidth
                                    var run = starts[dx]
                                    while run < starts[dx + 1] {
                                        let from = source + runs[run], to = runs[run + 1], length = runs[run + 2]
                                        if to >= 0 {
                                            if step == 1 {
                                                let target = targetRow + to
                                                for i in 0..<length { target[i] += from[i] }
                                            } else {
                                                for i in 0..<length { targetRow[to + i * step] += from[i] }
                                            }
                                        }
                                        run += 3
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
