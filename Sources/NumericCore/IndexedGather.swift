/// The gather/scatter kernels of an im2col convolution, driven by a precomputed index table.
///
/// For `channels` input channels of `channelStride` values each, and `taps` kernel taps over
/// `positions` output positions, `index[tap * positions + position]` is the offset of the input
/// value inside its channel, or −1 for a padding zero. The column matrix has one row per
/// (channel, tap) pair in that order, matching the PyTorch kernel layout `(cout, cin, kh, kw)`
/// flattened to `cout × (cin·kh·kw)`. Both kernels are O(channels·taps·positions), in either
/// precision (inlinable, so each caller gets its scalar's loop).
public enum IndexedGather {
    /// Builds the column matrix: `columns[(c·taps + t)·positions + p] = source[sourceOffset +
    /// c·channelStride + index[t·positions + p]]`, or 0 where the index is negative.
    @inlinable
    public static func gather<Scalar: LinearAlgebraScalar>(
        source: [Scalar], sourceOffset: Int, channels: Int, channelStride: Int,
        index: [Int32], taps: Int, positions: Int, into columns: inout [Scalar]
    ) {
        precondition(index.count == taps * positions, "gather: index table size")
        precondition(columns.count >= channels * taps * positions, "gather: destination too small")
        precondition(sourceOffset + channels * channelStride <= source.count, "gather: source too small")
        source.withUnsafeBufferPointer { src in
            index.withUnsafeBufferPointer { idx in
                columns.withUnsafeMutableBufferPointer { dst in
                    for c in 0..<channels {
                        let channelBase = src.baseAddress! + sourceOffset + c * channelStride
                        for t in 0..<taps {
                            let row = dst.baseAddress! + (c * taps + t) * positions
                            let table = idx.baseAddress! + t * positions
                            for p in 0..<positions {
                                let offset = Int(table[p])
                                row[p] = offset >= 0 ? channelBase[offset] : 0
                            }
                        }
                    }
                }
            }
        }
    }

    /// The adjoint of `gather`: adds each column-matrix entry into the input value it was read
    /// from, `destination[destinationOffset + c·channelStride + index[t·positions + p]] +=
    /// columns[(c·taps + t)·positions + p]`; padding entries are dropped.
    @inlinable
    public static func scatterAdd<Scalar: LinearAlgebraScalar>(
        columns: [Scalar], channels: Int, channelStride: Int,
        index: [Int32], taps: Int, positions: Int,
        into destination: inout [Scalar], destinationOffset: Int
    ) {
        precondition(index.count == taps * positions, "scatter: index table size")
        precondition(columns.count >= channels * taps * positions, "scatter: source too small")
        precondition(destinationOffset + channels * channelStride <= destination.count, "scatter: destination too small")
        columns.withUnsafeBufferPointer { src in
            index.withUnsafeBufferPointer { idx in
                destination.withUnsafeMutableBufferPointer { dst in
                    for c in 0..<channels {
                        let channelBase = dst.baseAddress! + destinationOffset + c * channelStride
                        for t in 0..<taps {
                            let row = src.baseAddress! + (c * taps + t) * positions
                            let table = idx.baseAddress! + t * positions
                            for p in 0..<positions {
                                let offset = Int(table[p])
                                if offset >= 0 { channelBase[offset] += row[p] }
                            }
                        }
                    }
                }
            }
        }
    }
}
