/// The patch-matrix (im2col) scheme of a convolution, forward and adjoint, shared among the
/// run's thread budget.
///
/// Forward `y = W·P(x)`: `W` the `cout × (cin·kh·kw)` weights, `P(x)` the patch matrix of
/// `PatchMatrixLayout`. Adjoint `x = Pᵀ(Wᵀ·y)`. With one worker each is one gather (or scatter)
/// and one gemm. With more, every worker gathers and multiplies its own share on
/// single-threaded BLAS (`ParallelWork`), so the copies run side by side too and a small
/// product is not split inside OpenBLAS, whose second thread cost more than it saved below
/// 8 MFLOP: the forward is shared by output rows (each worker its positions' patch columns and
/// output columns), the adjoint by input channels (each worker its channels' patch rows, then
/// their scatter into those channels only), so no two workers write the same value and no
/// barrier is needed between gemm and copy. The values do not depend on the number of workers:
/// every output entry is the same dot product in the same order.
///
/// Each is `2·cout·cin·kh·kw·m_h·m_w` operations and `cin·kh·kw·m_h·m_w` scalars of copy
/// traffic; memory the patch matrix (`patches`, grown to `patchRows·positions` on first use).
public enum PatchMatrixProduct {
    /// `y = W·P(x)` for the input vector at `inputOffset` of `input`, written over the
    /// `cout·positions` entries of `output` from `outputOffset`. `weights` is `outputChannels ×
    /// layout.patchRows` row-major. O(cout·patchRows·positions).
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    public static func forward<Scalar: LinearAlgebraScalar>(
        layout: PatchMatrixLayout, weights: [Scalar], outputChannels: Int,
        input: [Scalar], inputOffset: Int, into output: inout [Scalar], outputOffset: Int, patches: inout [Scalar]
    ) {
        let positions = layout.positions, patchRows = layout.patchRows
        precondition(weights.count >= outputChannels * patchRows, "patch product: weights too small")
        precondition(inputOffset >= 0 && inputOffset + layout.inputCount <= input.count, "patch product: input too small")
        precondition(outputOffset >= 0 && outputOffset + outputChannels * positions <= output.count, "patch product: output too small")
        if patches.count < patchRows * positions { patches = [Scalar](repeating: 0, count: patchRows * positions) }
        if positions == 0 || outputChannels == 0 { return }
        let operations = 2 * Double(outputChannels) * Double(patchRows) * Double(positions)
        withPointers(weights: weights, source: input, sourceOffset: inputOffset, target: &output, targetOffset: outputOffset,
                     patches: &patches) { pointers in
            run(shares: layout.outputHeight, operations: operations) { rows in
                let first = rows.lowerBound * layout.outputWidth, count = rows.count * layout.outputWidth
                let block = pointers.patches + patchRows * first
                layout.gather(from: pointers.source, into: block, outputRows: rows)
                Scalar.blasMultiply(
                    transposeA: false, transposeB: false,
                    Int32(outputChannels), Int32(count), Int32(patchRows), 1,
                    pointers.weights, Int32(patchRows), block, Int32(count), 0,
                    pointers.target + first, Int32(positions))
            }
        }
    }

    /// `x = Pᵀ(Wᵀ·y)` for the output vector at `outputOffset` of `output`, written over the
    /// input vector at `inputOffset` of `input` (every value overwritten). O(cout·patchRows·positions).
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    public static func adjoint<Scalar: LinearAlgebraScalar>(
        layout: PatchMatrixLayout, weights: [Scalar], outputChannels: Int,
        output: [Scalar], outputOffset: Int, into input: inout [Scalar], inputOffset: Int, patches: inout [Scalar]
    ) {
        let positions = layout.positions, patchRows = layout.patchRows, taps = layout.taps
        precondition(weights.count >= outputChannels * patchRows, "patch product: weights too small")
        precondition(outputOffset >= 0 && outputOffset + outputChannels * positions <= output.count, "patch product: output too small")
        precondition(inputOffset >= 0 && inputOffset + layout.inputCount <= input.count, "patch product: input too small")
        if patches.count < patchRows * positions { patches = [Scalar](repeating: 0, count: patchRows * positions) }
        let channelSize = layout.inputHeight * layout.inputWidth
        let operations = 2 * Double(outputChannels) * Double(patchRows) * Double(positions)
        withPointers(weights: weights, source: output, sourceOffset: outputOffset, target: &input, targetOffset: inputOffset,
                     patches: &patches) { pointers in
            run(shares: layout.channels, operations: operations) { channels in
                (pointers.target + channels.lowerBound * channelSize).update(repeating: 0, count: channels.count * channelSize)
                if positions == 0 { return }
                let rows = channels.lowerBound * taps
                if outputChannels == 0 {
                    (pointers.patches + rows * positions).update(repeating: 0, count: channels.count * taps * positions)
                } else {
                    // Rows `rows ..< rows + count·taps` of Wᵀ·y: Wᵀ's rows are W's columns.
                    Scalar.blasMultiply(
                        transposeA: true, transposeB: false,
                        Int32(channels.count * taps), Int32(positions), Int32(outputChannels), 1,
                        pointers.weights + rows, Int32(patchRows), pointers.source, Int32(positions), 0,
                        pointers.patches + rows * positions, Int32(positions))
                }
                layout.scatterAdd(from: pointers.patches, into: pointers.target, channels: channels)
            }
        }
    }

    /// The base addresses of the four arrays for the duration of `body` (`source` and `target`
    /// from their offsets).
    private static func withPointers<Scalar: LinearAlgebraScalar>(
        weights: [Scalar], source: [Scalar], sourceOffset: Int, target: inout [Scalar], targetOffset: Int,
        patches: inout [Scalar], _ body: (Pointers<Scalar>) -> Void
    ) {
        weights.withUnsafeBufferPointer { w in
            source.withUnsafeBufferPointer { x in
                target.withUnsafeMutableBufferPointer { y in
                    patches.withUnsafeMutableBufferPointer { p in
                        body(Pointers(weights: w.baseAddress!, source: x.baseAddress! + sourceOffset,
                                      target: y.baseAddress! + targetOffset, patches: p.baseAddress!))
                    }
                }
            }
        }
    }

    /// `body(share)` for consecutive shares of `0..<shares` — one per worker of the thread budget
    /// (`ParallelWork`), or all of it on the calling thread when the work is below
    /// `ParallelWork.sharedFromOperations` or there is one worker (then BLAS sized by `ThreadControl.sized`).
    private static func run(shares: Int, operations: Double, _ body: @Sendable (Range<Int>) -> Void) {
        let workers = operations < ParallelWork.sharedFromOperations ? 1 : ParallelWork.workers(for: shares)
        if workers <= 1 {
            ThreadControl.sized(operations: operations) { body(0..<shares) }
            return
        }
        ParallelWork.forEachWorker(upTo: shares) { worker, workers in
            let first = worker * shares / workers, last = (worker + 1) * shares / workers
            if first < last { body(first..<last) }
        }
    }

    /// Base addresses handed to the workers (each writes only its own share).
    private struct Pointers<Scalar>: @unchecked Sendable {
        let weights: UnsafePointer<Scalar>
        let source: UnsafePointer<Scalar>
        let target: UnsafeMutablePointer<Scalar>
        let patches: UnsafeMutablePointer<Scalar>
    }
}
