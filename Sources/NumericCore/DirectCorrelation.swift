import CDirectCorrelation

/// A stride-1 multi-channel correlation computed directly, output column runs in AVX-512
/// registers (`CDirectCorrelation`): `y[o, r, c] = Σ_{i, dy, dx} K[o, i, dy, dx]·x_p[i, r + dy, c + dx]`
/// over a padded copy `x_p` of the input. `2·cout·cin·kh·kw·m_h·m_w` operations, the direct count,
/// and no patch matrix; the kernel is packed in blocks of 16 output channels so that one input
/// load feeds 16 FMAs (one register per output channel of the block).
///
/// For layers with few channels (16 at n = 64 is the case that needs it) a gemm per tap has an
/// inner dimension of `cin` and OpenBLAS's small-matrix kernels reach about 40 % of the FMA
/// units' peak, and Winograd's tile transforms cost as much as the multiplications they save;
/// the direct loop has neither cost (docs/performance.md, "Direct correlation"). Only on CPUs
/// whose OS runs AVX-512 (`isAvailable`); elsewhere `ConvolutionOperator` keeps its gemm schemes.
///
/// Like `WinogradCorrelation`, it reads its input through one source map per axis (padded
/// position → input position, −1 for a zero), so zero and circular padding and the adjoint of a
/// stride-1 convolution are all one engine. Shared among the thread budget (`ParallelWork`) by
/// bands of output rows; each worker pads the rows its band reads into its own part of the
/// workspace, so one application is one hand-out of work. Every output scalar is a sum in the
/// same order whatever the number of workers.
public struct DirectCorrelation<Scalar: LinearAlgebraScalar>: Sendable {
    /// Whether this CPU and OS run the AVX-512 kernel (cpuid and XCR0).
    /// Asked once per process: `cpuid` traps to the hypervisor on a virtual machine.
    public static var isAvailable: Bool { directCorrelationAvailable }

    /// Output channels per packed block (`SPECBENCH_DIRECT_BLOCK`).
    public static var block: Int { Int(SPECBENCH_DIRECT_BLOCK) }

    /// Output columns per register: 16 in float32, 8 in float64.
    public static var lanes: Int { 64 / MemoryLayout<Scalar>.size }

    /// Channels read and written.
    public let inputChannels: Int, outputChannels: Int
    /// Kernel sides.
    public let kernelHeight: Int, kernelWidth: Int
    /// Sides of one input channel and one output channel.
    public let inputHeight: Int, inputWidth: Int, outputHeight: Int, outputWidth: Int
    /// Input row (column) read at padded position `p = output position + tap`,
    /// `0 ..< m + k − 1`: −1 for a zero.
    private let rowSources: [Int32]
    private let columnSources: [Int32]
    /// `columnSources` as runs: `(first padded column, length, first input column or −1)`, each a
    /// stretch of consecutive input columns (or of zeros), so a padded row is a few block copies.
    private let columnRuns: [(start: Int, length: Int, source: Int)]
    /// The kernel packed as `[block][i][dy·kw + dx][16]`, zeros past `cout`.
    private let packedWeights: [Scalar]

    /// An engine for `weights` (`cout × cin × kh × kw`, row-major, float64, rounded once to
    /// `Scalar`), reading inputs of `inputHeight × inputWidth` through `rowSource` and
    /// `columnSource` (output position + tap → input position, or −1) and writing
    /// `outputHeight × outputWidth` outputs. O(cout·cin·kh·kw + m + k).
    public init(
        weights: [Double], outputChannels: Int, inputChannels: Int, kernelHeight: Int, kernelWidth: Int,
        inputHeight: Int, inputWidth: Int, outputHeight: Int, outputWidth: Int,
        rowSource: (Int) -> Int, columnSource: (Int) -> Int
    ) {
        let taps = kernelHeight * kernelWidth
        precondition(weights.count == outputChannels * inputChannels * taps, "direct correlation: weights must be cout × cin × kh × kw")
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        self.kernelHeight = kernelHeight
        self.kernelWidth = kernelWidth
        self.inputHeight = inputHeight
        self.inputWidth = inputWidth
        self.outputHeight = outputHeight
        self.outputWidth = outputWidth
        func sources(count: Int, side: Int, _ map: (Int) -> Int) -> [Int32] {
            (0..<count).map { position in
                let index = map(position)
                return index >= 0 && index < side ? Int32(index) : -1
            }
        }
        rowSources = sources(count: outputHeight + kernelHeight - 1, side: inputHeight, rowSource)
        columnSources = sources(count: outputWidth + kernelWidth - 1, side: inputWidth, columnSource)
        var runs: [(start: Int, length: Int, source: Int)] = []
        for (q, source) in columnSources.enumerated() {
            let source = Int(source)
            if let last = runs.last, last.start + last.length == q,
               (last.source < 0 && source < 0) || (last.source >= 0 && source == last.source + last.length) {
                runs[runs.count - 1].length += 1
            } else {
                runs.append((q, 1, source))
            }
        }
        columnRuns = runs
        let block = Self.block
        let blocks = (outputChannels + block - 1) / block
        var packed = [Double](repeating: 0, count: blocks * inputChannels * taps * block)
        for o in 0..<outputChannels {
            for i in 0..<inputChannels {
                for tap in 0..<taps {
                    packed[((o / block * inputChannels + i) * taps + tap) * block + o % block] = weights[(o * inputChannels + i) * taps + tap]
                }
            }
        }
        packedWeights = Scalar.rounding(packed)
    }

    /// The same engine in the precision `Other`: its packed kernel rounded once from float64.
    /// O(cout·cin·kh·kw).
    public func converted<Other: LinearAlgebraScalar>(to precision: Other.Type) -> DirectCorrelation<Other> {
        DirectCorrelation<Other>(copying: self)
    }

    private init<Source>(copying source: DirectCorrelation<Source>) {
        inputChannels = source.inputChannels
        outputChannels = source.outputChannels
        kernelHeight = source.kernelHeight
        kernelWidth = source.kernelWidth
        inputHeight = source.inputHeight
        inputWidth = source.inputWidth
        outputHeight = source.outputHeight
        outputWidth = source.outputWidth
        rowSources = source.rowSources
        columnSources = source.columnSources
        columnRuns = source.columnRuns
        packedWeights = Scalar.rounding(from: source.packedWeights)
    }

    /// Length of one input vector.
    public var inputCount: Int { inputChannels * inputHeight * inputWidth }
    /// Length of one output vector.
    public var outputCount: Int { outputChannels * outputHeight * outputWidth }
    /// Blocks of 16 output channels.
    private var blocks: Int { (outputChannels + Self.block - 1) / Self.block }
    /// Padded sides `m + k − 1`.
    private var paddedHeight: Int { rowSources.count }
    private var paddedWidth: Int { columnSources.count }

    /// Scalars of workspace one application needs with `workers` workers: each worker's band of
    /// padded rows (its output rows plus `kh − 1`) for every input channel.
    public func workspaceCount(workers: Int) -> Int {
        inputChannels * paddedWidth * (outputHeight + workers * (kernelHeight - 1))
    }

    /// Operations of one application to one vector: `2·cout·cin·kh·kw·m_h·m_w`.
    public var operationsPerVector: Double {
        2 * Double(outputChannels * inputChannels * kernelHeight * kernelWidth) * Double(outputHeight * outputWidth)
    }

    /// The correlation of the `count` input vectors stored one after the other in `input`,
    /// written over the first `count·outputCount` entries of `output`, in one band of output
    /// rows per worker of the thread budget. `workspace` is grown on first use and reused. Call
    /// only where `isAvailable`.
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    public func apply(_ input: [Scalar], count: Int, into output: inout [Scalar], workspace: inout [Scalar]) {
        let shared = operationsPerVector * Double(count) >= ParallelWork.sharedFromOperations
        apply(input, count: count, into: &output, workspace: &workspace,
              bands: shared ? ParallelWork.workers(for: outputHeight) : 1)
    }

    /// `apply` in `bands` bands of output rows (at most `outputHeight`): side by side when the
    /// thread budget has that many workers, else one after the other (how tests check the bands
    /// in a process that does not share work). Every value is the same whatever the bands.
    /// (Four bands per worker, claimed one at a time, were slower: 113 against 78 ms for power
    /// iteration at c = 16, n = 64 in float64.) The kernel calls no library, so the libraries'
    /// threads are left as they are.
    func apply(_ input: [Scalar], count: Int, into output: inout [Scalar], workspace: inout [Scalar], bands: Int) {
        precondition(Self.isAvailable, "direct correlation: this CPU does not run AVX-512")
        precondition(count * inputCount <= input.count, "direct correlation: input too small")
        precondition(count * outputCount <= output.count, "direct correlation: output too small")
        if count == 0 || outputCount == 0 { return }
        let bands = max(1, min(bands, outputHeight))
        let needed = workspaceCount(workers: bands)
        if workspace.count < needed { workspace = [Scalar](repeating: 0, count: needed) }
        let height = outputHeight
        input.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBufferPointer { y in
                workspace.withUnsafeMutableBufferPointer { w in
                    packedWeights.withUnsafeBufferPointer { k in
                        let p = Pointers(input: x.baseAddress!, output: y.baseAddress!, workspace: w.baseAddress!, weights: k.baseAddress!)
                        let run = { @Sendable (band: Int) in
                            let first = band * height / bands, last = (band + 1) * height / bands
                            if first < last { self.band(p, rows: first..<last, worker: band, count: count) }
                        }
                        if bands > 1 && ParallelWork.workers(for: height) == bands {
                            WorkerTeam.shared.run(shares: bands, run)
                        } else {
                            for band in 0..<bands { run(band) }
                        }
                    }
                }
            }
        }
    }

    /// Output rows `rows` of every vector: their padded input rows gathered into the worker's
    /// part of the workspace, then the kernel over all blocks.
    private func band(_ p: Pointers<Scalar>, rows: Range<Int>, worker: Int, count: Int) {
        let bandRows = rows.count + kernelHeight - 1
        let width = paddedWidth
        let channelStride = bandRows * width
        let padded = p.workspace + inputChannels * width * (rows.lowerBound + worker * (kernelHeight - 1))
        rowSources.withUnsafeBufferPointer { rowSources in
            columnRuns.withUnsafeBufferPointer { columnRuns in
                for b in 0..<count {
                    let source = p.input + b * inputCount
                    for i in 0..<inputChannels {
                        let channel = source + i * inputHeight * inputWidth
                        for r in 0..<bandRows {
                            let target = padded + i * channelStride + r * width
                            let row = Int(rowSources[rows.lowerBound + r])
                            if row < 0 {
                                target.update(repeating: 0, count: width)
                                continue
                            }
                            let line = channel + row * inputWidth
                            for run in columnRuns {
                                if run.source < 0 {
                                    (target + run.start).update(repeating: 0, count: run.length)
                                } else {
                                    (target + run.start).update(from: line + run.source, count: run.length)
                                }
                            }
                        }
                    }
                    // Rows counted from the band's first: the output starts at that row too.
                    Scalar.directCorrelation(
                        padded, channelStride: channelStride, rowStride: width, packed: p.weights,
                        inputChannels: inputChannels, kernelHeight: kernelHeight, kernelWidth: kernelWidth,
                        outputChannels: outputChannels, p.output + b * outputCount + rows.lowerBound * outputWidth,
                        outputHeight: outputHeight, outputWidth: outputWidth, blocks: 0..<blocks, rows: 0..<rows.count)
                }
            }
        }
    }

    /// Base addresses handed to the workers (each writes only its own rows and band).
    private struct Pointers<T>: @unchecked Sendable {
        let input: UnsafePointer<T>
        let output: UnsafeMutablePointer<T>
        let workspace: UnsafeMutablePointer<T>
        let weights: UnsafePointer<T>
    }
}

/// Whether this CPU and OS run `CDirectCorrelation`'s AVX-512 kernel, asked once.
private let directCorrelationAvailable = specbench_direct_available() == 1
