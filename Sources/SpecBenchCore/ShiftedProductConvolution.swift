import NumericCore

/// A stride-1 convolution applied as one gemm per kernel tap on a padded copy of the input,
/// with no patch matrix (docs/methods.md §1; the "shifted gemm" or "implicit im2col" scheme).
///
/// With the input padded to `H_p × W_p` per channel (zeros, or wrapped for circular padding)
/// and the output computed on "wide" rows of `W_p` columns (the last `W_p − m_w` of each row are
/// discarded), tap `(dy, dx)` reads the padded input at a constant offset `dy·W_p + dx`: the
/// product `Y_wide += K[:, :, dy, dx] · X_p[:, offset …]` is a plain gemm whose `B` is the padded
/// input itself (leading dimension `H_p·W_p`). The adjoint runs the same gemms transposed into a
/// padded gradient, which is then cropped (zero padding) or folded back modulo n (circular).
///
/// Same operation count as im2col up to the wide rows (`2·cout·cin·kh·kw·m_h·W_p`), but the
/// working set is the padded input and the wide output (`(cin + cout)·H_p·W_p` scalars) instead
/// of a `cin·kh·kw·m²` patch matrix: at c = 64, n = 64 that is 4 MB in cache instead of 19 MB
/// streamed through memory twice per application.
///
/// Applies when the stride is 1 and every output position reads inside the padded input
/// (`m + k − 1 ≤ n + 2p` along both axes): always for zero padding, and for circular padding with
/// the default pad. `ConvolutionOperator` falls back to its patch matrix otherwise.
struct ShiftedProductConvolution<Scalar: LinearAlgebraScalar>: Sendable {
    let channelsIn: Int, channelsOut: Int
    let kernelHeight: Int, kernelWidth: Int
    let inputSize: Int
    let padHeight: Int, padWidth: Int
    let circular: Bool
    let outputHeight: Int, outputWidth: Int
    /// Padded sides `H_p`, `W_p`.
    let paddedHeight: Int, paddedWidth: Int
    /// The kernel regrouped by tap: `tapWeights[(t·cout + o)·cin + i] = K[o, i, dy, dx]`.
    let tapWeights: [Scalar]
    /// Per tap: where its weights start, its shift `dy·W_p + dx` into the padded grid, and zero.
    let tapOffsets: (weights: [Int], shifts: [Int], zeros: [Int])

    /// The scheme for `geometry` with `weights` in the `(cout, cin, kh, kw)` layout, or nil where
    /// it does not apply (stride > 1, or an explicit pad too small for a circular kernel).
    init?(geometry g: ConvolutionGeometry, weights: [Scalar]) {
        guard g.isClassic, g.stride == .one else { return nil }
        let s = g.shape
        channelsIn = s.inputChannels
        channelsOut = s.outputChannels
        kernelHeight = s.height
        kernelWidth = s.width
        inputSize = g.inputHeight
        padHeight = g.padHeight
        padWidth = g.padWidth
        circular = g.padding == .circular
        outputHeight = g.outputHeight
        outputWidth = g.outputWidth
        paddedHeight = g.inputHeight + 2 * g.padHeight
        paddedWidth = g.inputWidth + 2 * g.padWidth
        guard outputHeight + kernelHeight - 1 <= paddedHeight, outputWidth + kernelWidth - 1 <= paddedWidth else { return nil }
        // A circular pad wider than n would need wrapping more than once; the patch matrix handles it.
        guard !circular || (padHeight <= inputSize && padWidth <= inputSize) else { return nil }
        let taps = s.taps
        var regrouped = [Scalar](repeating: 0, count: weights.count)
        for o in 0..<channelsOut {
            for i in 0..<channelsIn {
                for t in 0..<taps {
                    regrouped[(t * channelsOut + o) * channelsIn + i] = weights[(o * channelsIn + i) * taps + t]
                }
            }
        }
        tapWeights = regrouped
        let width = paddedWidth
        tapOffsets = (
            weights: (0..<taps).map { $0 * s.outputChannels * s.inputChannels },
            shifts: (0..<taps).map { ($0 / s.width) * width + $0 % s.width },
            zeros: [Int](repeating: 0, count: taps))
    }

    /// Distance between padded channels: the padded grid plus `kw` slack scalars, so that the
    /// last tap's overrun past a channel (into discarded columns) never reaches the next one and
    /// workers that own different channels never touch the same scalar.
    var channelSize: Int { paddedHeight * paddedWidth + kernelWidth }
    /// Columns of the wide output: `m_h·W_p`.
    var wideColumns: Int { outputHeight * paddedWidth }
    /// Scalars of the padded buffer.
    var paddedCount: Int { channelsIn * channelSize }
    /// Scalars of the wide output buffer.
    var wideCount: Int { channelsOut * wideColumns }

    /// `y = A·x` for the vector at `inputOffset` of `input`, into `output` at `outputOffset`.
    func apply(_ input: [Scalar], inputOffset: Int, into output: inout [Scalar], outputOffset: Int,
               padded: inout [Scalar], wide: inout [Scalar]) {
        pad(input, offset: inputOffset, into: &padded)
        BLAS.multiplySum(
            rows: channelsOut, columns: wideColumns, inner: channelsIn,
            a: tapWeights, aOffsets: tapOffsets.weights, aLeading: channelsIn, transposeA: false,
            b: padded, bOffsets: tapOffsets.shifts, bLeading: channelSize,
            into: &wide, cOffsets: tapOffsets.zeros, cLeading: wideColumns, accumulate: false)
        // Keep the first m_w columns of every wide row.
        for o in 0..<channelsOut {
            for r in 0..<outputHeight {
                let from = o * wideColumns + r * paddedWidth
                let to = outputOffset + (o * outputHeight + r) * outputWidth
                for c in 0..<outputWidth { output[to + c] = wide[from + c] }
            }
        }
    }

    /// `x = Aᵀ·y` for the vector at `outputOffset` of `output`, written over `input` at `inputOffset`.
    func applyAdjoint(_ output: [Scalar], outputOffset: Int, into input: inout [Scalar], inputOffset: Int,
                      padded: inout [Scalar], wide: inout [Scalar]) {
        // The wide output with zeros in the discarded columns, so that they add nothing.
        for o in 0..<channelsOut {
            for r in 0..<outputHeight {
                let to = o * wideColumns + r * paddedWidth
                let from = outputOffset + (o * outputHeight + r) * outputWidth
                for c in 0..<outputWidth { wide[to + c] = output[from + c] }
                for c in outputWidth..<paddedWidth { wide[to + c] = 0 }
            }
        }
        BLAS.multiplySum(
            rows: channelsIn, columns: wideColumns, inner: channelsOut,
            a: tapWeights, aOffsets: tapOffsets.weights, aLeading: channelsIn, transposeA: true,
            b: wide, bOffsets: tapOffsets.zeros, bLeading: wideColumns,
            into: &padded, cOffsets: tapOffsets.shifts, cLeading: channelSize, accumulate: true, clearFirst: true)
        unpad(padded, into: &input, offset: inputOffset)
    }

    /// The padded copy of one input vector: zeros around it, or its wrapped continuation.
    private func pad(_ input: [Scalar], offset: Int, into padded: inout [Scalar]) {
        let n = inputSize
        for i in 0..<channelsIn {
            let channel = offset + i * n * n
            let base = i * channelSize
            for row in 0..<paddedHeight {
                var sourceRow = row - padHeight
                if circular { sourceRow = (sourceRow % n + n) % n }
                let target = base + row * paddedWidth
                guard sourceRow >= 0 && sourceRow < n else {
                    for c in 0..<paddedWidth { padded[target + c] = 0 }
                    continue
                }
                // The interior columns straight, then the border columns (wrapped, or zero).
                let from = channel + sourceRow * n
                for c in 0..<n { padded[target + padWidth + c] = input[from + c] }
                for column in 0..<padWidth {
                    padded[target + column] = circular ? input[from + ((column - padWidth) % n + n) % n] : 0
                }
                for column in (padWidth + n)..<paddedWidth {
                    padded[target + column] = circular ? input[from + (column - padWidth) % n] : 0
                }
            }
            for slack in (paddedHeight * paddedWidth)..<channelSize { padded[base + slack] = 0 }
        }
    }

    /// The adjoint of `pad`: the interior of the padded gradient (zero padding drops the border),
    /// or every padded position added back to the input position it wrapped from (circular).
    private func unpad(_ padded: [Scalar], into input: inout [Scalar], offset: Int) {
        let n = inputSize
        for i in 0..<channelsIn {
            let channel = offset + i * n * n
            let base = i * channelSize
            if !circular {
                for r in 0..<n {
                    let from = base + (r + padHeight) * paddedWidth + padWidth
                    for c in 0..<n { input[channel + r * n + c] = padded[from + c] }
                }
                continue
            }
            for index in 0..<(n * n) { input[channel + index] = 0 }
            for row in 0..<paddedHeight {
                let to = channel + ((row - padHeight) % n + n) % n * n
                let from = base + row * paddedWidth
                for c in 0..<n { input[to + c] += padded[from + padWidth + c] }
                for column in 0..<padWidth { input[to + ((column - padWidth) % n + n) % n] += padded[from + column] }
                for column in (padWidth + n)..<paddedWidth { input[to + (column - padWidth) % n] += padded[from + column] }
            }
        }
    }
}
