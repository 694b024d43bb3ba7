/// Winograd's minimal filtering for a 3×3 correlation (Lavin & Gray 2016, "Fast Algorithms for
/// Convolutional Neural Networks"): the output in `m × m` tiles, each from an `α × α` input tile
/// (`α = m + 2`) as `Y = Aᵀ[(G g Gᵀ) ⊙ (Bᵀ d B)]A`. Across channels the element-wise product
/// becomes `α²` independent gemms, `U_ξ (cout × cin) · V_ξ (cin × tiles)`, so one application
/// costs `2·α²·cout·cin·tiles` gemm operations instead of the direct `2·9·cout·cin·m_h·m_w`:
/// 4× fewer with F(4×4, 3×3) (α = 6), plus the tile transforms (`O((cin + cout)·tiles·α³)` additions and multiplications).
///
/// Rounding: the transforms' entries are small integers and fractions; F(4, 3)'s points ±2 scale
/// entries by up to 8, about a digit in float32: measured
/// against the direct correlation in `WinogradCorrelationTests` and docs/performance.md.
///
/// The correlation reads an input of `cin` channels through two source maps, one per axis:
/// output row `r` and tap `dy` read input row `rowSources(r + dy)` (−1: a zero), so zero and
/// circular padding, and the adjoint of a stride-1 convolution (itself a correlation with the
/// flipped kernel), are all one engine. Shared among the thread budget (`ParallelWork`): the
/// input transform by input channel, the gemms by transform point, the output transform by
/// output channel; every value is computed in the same order whatever the number of workers.
public struct WinogradCorrelation<Scalar: LinearAlgebraScalar>: Sendable {
    /// The tile size.
    public let tile: WinogradTile
    /// Channels read and written.
    public let inputChannels: Int, outputChannels: Int
    /// Sides of one input channel and one output channel.
    public let inputHeight: Int, inputWidth: Int, outputHeight: Int, outputWidth: Int
    /// Tiles along each output axis.
    public let tilesHigh: Int, tilesWide: Int
    /// Input row (column) read at position `p = output position + tap`, `0 ..< tiles·m + 2`:
    /// `rowSources[p]`, −1 for a zero.
    private let rowSources: [Int32]
    private let columnSources: [Int32]
    /// `U_ξ = (G g Gᵀ)_ξ` for every transform point ξ: `α² × cout × cin`, row-major.
    private let transformedWeights: [Scalar]

    /// An engine for `weights` (`cout × cin × 3 × 3`, row-major, float64: transformed in float64
    /// and rounded once), reading inputs of `inputHeight × inputWidth` through `rowSource` and
    /// `columnSource` (output position + tap → input position, or −1) and writing
    /// `outputHeight × outputWidth` outputs. O(α²·cout·cin + tiles·α).
    public init(
        weights: [Double], outputChannels: Int, inputChannels: Int,
        inputHeight: Int, inputWidth: Int, outputHeight: Int, outputWidth: Int,
        tile: WinogradTile, rowSource: (Int) -> Int, columnSource: (Int) -> Int
    ) {
        precondition(weights.count == outputChannels * inputChannels * 9, "Winograd: weights must be cout × cin × 3 × 3")
        self.tile = tile
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        self.inputHeight = inputHeight
        self.inputWidth = inputWidth
        self.outputHeight = outputHeight
        self.outputWidth = outputWidth
        let m = tile.outputSide, alpha = tile.inputSide
        tilesHigh = (outputHeight + m - 1) / m
        tilesWide = (outputWidth + m - 1) / m
        func sources(tiles: Int, side: Int, _ map: (Int) -> Int) -> [Int32] {
            (0..<(tiles * m + alpha - m)).map { position in
                let index = map(position)
                return index >= 0 && index < side ? Int32(index) : -1
            }
        }
        rowSources = sources(tiles: tilesHigh, side: inputHeight, rowSource)
        columnSources = sources(tiles: tilesWide, side: inputWidth, columnSource)
        // U = G g Gᵀ per channel pair, in float64.
        let g = tile.filterTransform
        let pairs = outputChannels * inputChannels
        var transformed = [Double](repeating: 0, count: alpha * alpha * pairs)
        // One scratch G·g (α × 3) for all pairs, and no array bounds checks in the O(α²·pairs)
        // loop: allocating it per pair made set-up at c = 256 take 0.1 s.
        withUnsafeTemporaryAllocation(of: Double.self, capacity: alpha * 3) { left in
            weights.withUnsafeBufferPointer { weights in
                g.withUnsafeBufferPointer { g in
                    transformed.withUnsafeMutableBufferPointer { transformed in
                        for pair in 0..<pairs {
                            let kernel = pair * 9
                            for i in 0..<alpha {
                                for c in 0..<3 {
                                    var sum = 0.0
                                    for k in 0..<3 { sum += g[i * 3 + k] * weights[kernel + k * 3 + c] }
                                    left[i * 3 + c] = sum
                                }
                            }
                            for i in 0..<alpha {
                                for j in 0..<alpha {
                                    var sum = 0.0
                                    for k in 0..<3 { sum += left[i * 3 + k] * g[j * 3 + k] }
                                    transformed[(i * alpha + j) * pairs + pair] = sum
                                }
                            }
                        }
                    }
                }
            }
        }
        transformedWeights = Scalar.rounding(transformed)
    }

    /// The same engine in the precision `Other`: its transformed kernel (computed in float64)
    /// rounded once, no transform recomputed. O(α²·cout·cin).
    public func converted<Other: LinearAlgebraScalar>(to precision: Other.Type) -> WinogradCorrelation<Other> {
        WinogradCorrelation<Other>(copying: self)
    }

    private init<Source>(copying source: WinogradCorrelation<Source>) {
        tile = source.tile
        inputChannels = source.inputChannels
        outputChannels = source.outputChannels
        inputHeight = source.inputHeight
        inputWidth = source.inputWidth
        outputHeight = source.outputHeight
        outputWidth = source.outputWidth
        tilesHigh = source.tilesHigh
        tilesWide = source.tilesWide
        rowSources = source.rowSources
        columnSources = source.columnSources
        transformedWeights = Scalar.rounding(from: source.transformedWeights)
    }

    /// Tiles of one input vector.
    public var tiles: Int { tilesHigh * tilesWide }
    /// Length of one input vector.
    public var inputCount: Int { inputChannels * inputHeight * inputWidth }
    /// Length of one output vector.
    public var outputCount: Int { outputChannels * outputHeight * outputWidth }

    /// Scalars of workspace one application of `count` vectors needs: the transformed input
    /// (`α²·cin·count·tiles`) and the products (`α²·cout·count·tiles`).
    public func workspaceCount(batch count: Int) -> Int {
        let points = tile.inputSide * tile.inputSide
        return points * (inputChannels + outputChannels) * count * tiles
    }

    /// Operations of one application to one vector: the gemms' `2·α²·cout·cin·tiles`.
    public var operationsPerVector: Double {
        let points = Double(tile.inputSide * tile.inputSide)
        return 2 * points * Double(outputChannels) * Double(inputChannels) * Double(tiles)
    }

    /// The correlation of the `count` input vectors stored one after the other in `input` from
    /// `inputOffset`, written over `count·outputCount` entries of `output` from `outputOffset`.
    /// `workspace` is grown to `workspaceCount(batch:)` on first use and reused.
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    public func apply(
        _ input: [Scalar], inputOffset: Int = 0, count: Int,
        into output: inout [Scalar], outputOffset: Int = 0, workspace: inout [Scalar]
    ) {
        precondition(inputOffset >= 0 && inputOffset + count * inputCount <= input.count, "Winograd: input too small")
        precondition(outputOffset >= 0 && outputOffset + count * outputCount <= output.count, "Winograd: output too small")
        if count == 0 || outputCount == 0 { return }
        let needed = workspaceCount(batch: count)
        if workspace.count < needed { workspace = [Scalar](repeating: 0, count: needed) }
        let points = tile.inputSide * tile.inputSide
        let columns = count * tiles
        let transformedCount = points * inputChannels * columns
        let operations = operationsPerVector * Double(count)
        input.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBufferPointer { y in
                workspace.withUnsafeMutableBufferPointer { w in
                    transformedWeights.withUnsafeBufferPointer { u in
                        let p = Pointers(input: x.baseAddress! + inputOffset, output: y.baseAddress! + outputOffset,
                                         transformed: w.baseAddress!, products: w.baseAddress! + transformedCount,
                                         weights: u.baseAddress!)
                        let shared = operations >= ParallelWork.sharedFromOperations
                        // 1. V_ξ = (Bᵀ d B)_ξ for every input channel and tile.
                        Self.run(shares: count * inputChannels, shared: shared) { range in
                            transformInput(p, columns: columns, vectorChannels: range)
                        }
                        // 2. M_ξ = U_ξ · V_ξ, one gemm per transform point.
                        Self.run(shares: points, shared: shared) { range in
                            ThreadControl.sized(operations: operations * Double(range.count) / Double(points)) {
                                for xi in range {
                                    Scalar.blasMultiply(
                                        transposeA: false, transposeB: false,
                                        Int32(outputChannels), Int32(columns), Int32(inputChannels), 1,
                                        p.weights + xi * outputChannels * inputChannels, Int32(inputChannels),
                                        p.transformed + xi * inputChannels * columns, Int32(columns), 0,
                                        p.products + xi * outputChannels * columns, Int32(columns))
                                }
                            }
                        }
                        // 3. Y = Aᵀ M A for every output channel and tile.
                        Self.run(shares: count * outputChannels, shared: shared) { range in
                            transformOutput(p, columns: columns, vectorChannels: range)
                        }
                    }
                }
            }
        }
    }

    /// `body` over consecutive shares of `0..<shares`, one per worker when `shared`.
    private static func run(shares: Int, shared: Bool, _ body: @Sendable (Range<Int>) -> Void) {
        guard shared, ParallelWork.workers(for: shares) > 1 else {
            body(0..<shares)
            return
        }
        ParallelWork.forEachWorker(upTo: shares) { worker, workers in
            let first = worker * shares / workers, last = (worker + 1) * shares / workers
            if first < last { body(first..<last) }
        }
    }

    /// Input transform of (vector, channel) pairs `vectorChannels` (index `b·cin + c`): the
    /// channel read once into a padded grid, its `α × α` tiles gathered with the tile index
    /// innermost, and transformed as vectors over all its tiles.
    private func transformInput(_ p: Pointers<Scalar>, columns: Int, vectorChannels: Range<Int>) {
        let alpha = tile.inputSide, m = tile.outputSide, points = alpha * alpha, wide = tilesWide, count = tiles
        let paddedHeight = rowSources.count, paddedWidth = columnSources.count
        let channelSize = inputHeight * inputWidth
        let scratch = UnsafeMutablePointer<Scalar>.allocate(capacity: paddedHeight * paddedWidth + 2 * points * count)
        defer { scratch.deallocate() }
        let padded = scratch, gathered = scratch + paddedHeight * paddedWidth, rowsDone = gathered + points * count
        do {
            rowSources.withUnsafeBufferPointer { rowSources in
                columnSources.withUnsafeBufferPointer { columnSources in
                    for vectorChannel in vectorChannels {
                        let b = vectorChannel / inputChannels, c = vectorChannel % inputChannels
                        let source = p.input + vectorChannel * channelSize
                        for r in 0..<paddedHeight {
                            let row = Int(rowSources[r]), target = padded + r * paddedWidth
                            if row < 0 {
                                target.update(repeating: 0, count: paddedWidth)
                                continue
                            }
                            let line = source + row * inputWidth
                            for q in 0..<paddedWidth {
                                let column = Int(columnSources[q])
                                target[q] = column < 0 ? 0 : line[column]
                            }
                        }
                        // d[a][e][t], t = th·wide + tw
                        for a in 0..<alpha {
                            for e in 0..<alpha {
                                let target = gathered + (a * alpha + e) * count
                                for th in 0..<tilesHigh {
                                    let line = padded + (th * m + a) * paddedWidth + e
                                    let out = target + th * wide
                                    for tw in 0..<wide { out[tw] = line[tw &* m] }
                                }
                            }
                        }
                        // Bᵀ d: rowsDone[i][e][t] = Σ_a Bᵀ[i][a]·d[a][e][t]
                        for e in 0..<alpha {
                            Self.inputTransform1D(from: gathered + e * count, stride: alpha * count,
                                                  into: rowsDone + e * count, stride: alpha * count, count: count)
                        }
                        // (Bᵀ d) B: V[i·α + j][c][b·tiles + t] = Σ_e Bᵀ[j][e]·rowsDone[i][e][t]
                        let planeStride = inputChannels * columns
                        for i in 0..<alpha {
                            Self.inputTransform1D(from: rowsDone + i * alpha * count, stride: count,
                                                  into: p.transformed + (i * alpha * inputChannels + c) * columns + b * count,
                                                  stride: planeStride, count: count)
                        }
                    }
                }
            }
        }
    }

    /// Output transform of (vector, channel) pairs `vectorChannels` (index `b·cout + o`), as
    /// vectors over all the channel's tiles, then scattered into its grid.
    private func transformOutput(_ p: Pointers<Scalar>, columns: Int, vectorChannels: Range<Int>) {
        let alpha = tile.inputSide, m = tile.outputSide, wide = tilesWide, count = tiles
        let channelSize = outputHeight * outputWidth
        let scratch = UnsafeMutablePointer<Scalar>.allocate(capacity: (m * alpha + m * m) * count)
        defer { scratch.deallocate() }
        let rowsDone = scratch, result = scratch + m * alpha * count
        do {
            for vectorChannel in vectorChannels {
                let b = vectorChannel / outputChannels, o = vectorChannel % outputChannels
                let target = p.output + vectorChannel * channelSize
                // Aᵀ M: rowsDone[i][e][t] = Σ_a Aᵀ[i][a]·M[a·α + e][o][b·tiles + t]
                let planeStride = outputChannels * columns
                for e in 0..<alpha {
                    Self.outputTransform1D(from: p.products + (e * outputChannels + o) * columns + b * count, stride: alpha * planeStride,
                                           into: rowsDone + e * count, stride: alpha * count, count: count)
                }
                // (Aᵀ M) A: result[i][j][t] = Σ_e Aᵀ[j][e]·rowsDone[i][e][t]
                for i in 0..<m {
                    Self.outputTransform1D(from: rowsDone + i * alpha * count, stride: count,
                                           into: result + i * m * count, stride: count, count: count)
                }
                for th in 0..<tilesHigh {
                    for i in 0..<m {
                        let r = th * m + i
                        if r >= outputHeight { break }
                        let line = target + r * outputWidth
                        for j in 0..<m {
                            let source = result + (i * m + j) * count + th * wide
                            let fullTiles = min(wide, (outputWidth - j + m - 1) / m)
                            for tw in 0..<fullTiles { line[tw &* m &+ j] = source[tw] }
                        }
                    }
                }
            }
        }
    }

    /// `out_i = Σ_a Bᵀ[i][a]·in_a` for the 6 vectors of `count` scalars `stride` apart, written
    /// `stride` apart: F(4×4, 3×3)'s `Bᵀ` rows written out (Lavin & Gray 2016), one pass.
    @inline(__always)
    private static func inputTransform1D(from x: UnsafeMutablePointer<Scalar>, stride sx: Int,
                                         into y: UnsafeMutablePointer<Scalar>, stride sy: Int, count: Int) {
        let x0 = x, x1 = x + sx, x2 = x + 2 * sx, x3 = x + 3 * sx, x4 = x + 4 * sx, x5 = x + 5 * sx
        let y0 = y, y1 = y + sy, y2 = y + 2 * sy, y3 = y + 3 * sy, y4 = y + 4 * sy, y5 = y + 5 * sy
        for t in 0..<count {
            let d0 = x0[t], d1 = x1[t], d2 = x2[t], d3 = x3[t], d4 = x4[t], d5 = x5[t]
            let a = d4 - 4 * d2, b = d3 - 4 * d1  // rows 1 and 2
            let c = d4 - d2, e = 2 * (d3 - d1)     // rows 3 and 4
            y0[t] = 4 * d0 - 5 * d2 + d4
            y1[t] = a + b
            y2[t] = a - b
            y3[t] = c + e
            y4[t] = c - e
            y5[t] = 4 * d1 - 5 * d3 + d5
        }
    }

    /// `out_i = Σ_a Aᵀ[i][a]·in_a` for the 6 vectors of `count` scalars `stride` apart, 4
    /// vectors written `stride` apart (F(4×4, 3×3)'s `Aᵀ`).
    @inline(__always)
    private static func outputTransform1D(from x: UnsafeMutablePointer<Scalar>, stride sx: Int,
                                          into y: UnsafeMutablePointer<Scalar>, stride sy: Int, count: Int) {
        let x0 = x, x1 = x + sx, x2 = x + 2 * sx, x3 = x + 3 * sx, x4 = x + 4 * sx, x5 = x + 5 * sx
        let y0 = y, y1 = y + sy, y2 = y + 2 * sy, y3 = y + 3 * sy
        for t in 0..<count {
            let m0 = x0[t], m1 = x1[t], m2 = x2[t], m3 = x3[t], m4 = x4[t], m5 = x5[t]
            let sum12 = m1 + m2, difference12 = m1 - m2, sum34 = m3 + m4, difference34 = m3 - m4
            y0[t] = m0 + sum12 + sum34
            y1[t] = difference12 + 2 * difference34
            y2[t] = sum12 + 4 * sum34
            y3[t] = difference12 + 8 * difference34 + m5
        }
    }

    /// Base addresses handed to the workers (each writes only its own share).
    private struct Pointers<T>: @unchecked Sendable {
        let input: UnsafePointer<T>
        let output: UnsafeMutablePointer<T>
        let transformed: UnsafeMutablePointer<T>
        let products: UnsafeMutablePointer<T>
        let weights: UnsafePointer<T>
    }
}

/// The tile size of a `WinogradCorrelation` for a 3×3 filter. Only F(4×4, 3×3) is implemented
/// (its transforms are written out in `inputTransform1D` / `outputTransform1D`).
public enum WinogradTile: String, Sendable, CaseIterable {
    /// F(4×4, 3×3): 6×6 input tiles, 36 gemms, 4× fewer multiplications.
    case f4 = "F(4,3)"

    /// Output tile side `m`.
    public var outputSide: Int { 4 }
    /// Input tile side `α = m + 2`.
    public var inputSide: Int { outputSide + 2 }

    /// `G`, `α × 3` row-major (Lavin & Gray 2016).
    var filterTransform: [Double] {
        [1.0 / 4, 0, 0,
         -1.0 / 6, -1.0 / 6, -1.0 / 6,
         -1.0 / 6, 1.0 / 6, -1.0 / 6,
         1.0 / 24, 1.0 / 12, 1.0 / 6,
         1.0 / 24, -1.0 / 12, 1.0 / 6,
         0, 0, 1]
    }
}
