import NumericCore
#if canImport(Glibc)
import Glibc
#endif

/// Evaluates a kernel's symbol `K̂(ω) = Σ_{dy,dx} K[:, :, dy, dx]·e^{−i(ω₁dy + ω₂dx)}`, a
/// `cout × cin` complex matrix per frequency (docs/methods.md §1), at any list of frequencies.
///
/// The shared engine of every frequency-domain method: Sedghi et al. 2019 (all frequencies of the
/// `n×n` grid), Gram iteration (Delattre et al. 2023, 2024) and the `fft-block-svd` reference
/// tier. (LipBound needs only the rows' energies, which `SymbolRowEnergies` finds without the
/// symbol.) Frequencies are processed in chunks through one dgemm each
/// (`[cos; −sin]` phase table times the kernel's taps), so memory stays bounded for 512-channel
/// kernels and for very wide kernels alike. Time O(F·cout·cin·kh·kw) for F frequencies; memory
/// O(chunk·(kh·kw + cout·cin)), see `memoryNeed`.
public struct KernelSpectrum: Sendable {
    /// The kernel whose symbol is evaluated.
    public let kernel: ConvolutionKernel
    /// Bytes the per-chunk matrices may occupy (the chunk size follows from it); nil: the
    /// shape's default (`defaultChunkBytes`).
    public let chunkBytes: Int?

    /// A spectrum evaluator; `chunkBytes` bounds the working memory of one chunk (default:
    /// `defaultChunkBytes` for the kernel's shape).
    public init(kernel: ConvolutionKernel, chunkBytes: Int? = nil) {
        self.kernel = kernel
        self.chunkBytes = chunkBytes
    }

    /// Number of float64 frequencies per chunk: as many as fit in the chunk's bytes, at least one.
    public var chunkSize: Int {
        Self.chunkSize(shape: kernel.shape, chunkBytes: chunkBytes ?? Self.defaultChunkBytes(shape: kernel.shape))
    }

    /// The default chunk budget for a kernel of `shape`: room for 16 frequencies (enough for
    /// `ParallelWork` to share a chunk among workers), at least 4 MiB (small kernels: a few
    /// hundred frequencies per gemm, buffers that stay in cache and are reused, not faulted in
    /// afresh) and at most 64 MiB (512-channel kernels).
    public static func defaultChunkBytes(shape: KernelShape, precision: Precision = .float64) -> Int {
        let perFrequency = max(1, bytesPerFrequency(shape: shape, precision: precision).bytes)
        let (sixteen, overflow) = perFrequency.multipliedReportingOverflow(by: 16)
        return min(64 << 20, max(4 << 20, overflow ? Int.max : sixteen))
    }

    /// Bytes one frequency occupies in a chunk in `precision`: its row of the `[cos; −sin]` phase
    /// table (`2·kh·kw` reals) and its `cout × cin` complex matrix twice (the gemm product and the
    /// interleaved copy handed to the caller): `b·(2·kh·kw + 4·cout·cin)` with `b` bytes per
    /// real, saturating.
    public static func bytesPerFrequency(shape: KernelShape, precision: Precision = .float64) -> MemoryNeed {
        .reals(precision, 2, shape.taps) + .reals(precision, 4, shape.outputChannels, shape.inputChannels)
    }

    /// Number of frequencies per chunk for a kernel of `shape` within `chunkBytes`, at least one.
    public static func chunkSize(shape: KernelShape, chunkBytes: Int, precision: Precision = .float64) -> Int {
        max(1, chunkBytes / max(1, bytesPerFrequency(shape: shape, precision: precision).bytes))
    }

    /// The memory `forEachChunk` needs for `frequencies` frequencies of a kernel of `shape` in
    /// `precision`: one chunk's phase table and matrices (at most the chunk budget, unless a single
    /// frequency needs more), the kernel rounded to `precision` (float32), plus the frequency list
    /// itself (16 bytes per angle, 8 per multiplicity).
    public static func memoryNeed(shape: KernelShape, frequencies: Int, chunkBytes: Int? = nil, precision: Precision = .float64) -> MemoryNeed {
        let budget = chunkBytes ?? defaultChunkBytes(shape: shape, precision: precision)
        let chunk = min(chunkSize(shape: shape, chunkBytes: budget, precision: precision), max(1, frequencies))
        let rounded: MemoryNeed = precision == .float64 ? .zero : .reals(precision, shape.count)
        return chunk * bytesPerFrequency(shape: shape, precision: precision) + rounded + .elements(frequencies, size: 24)
    }

    /// Calls `body(first, count, matrices)` for consecutive chunks of `frequencies`. `matrices`
    /// holds `count` complex `cout × cin` matrices, row-major, one after the other: frequency
    /// `first + f` starts at offset `f·cout·cin` (the buffer may be longer than the chunk). In
    /// float64.
    public func forEachChunk(
        of frequencies: [FrequencyAngle],
        _ body: (_ first: Int, _ count: Int, _ matrices: ComplexBuffer<Double>) throws -> Void
    ) rethrows {
        try forEachChunk(of: frequencies, in: Double.self, body)
    }

    /// `forEachChunk` in the precision `Scalar`: the kernel is rounded to `Scalar` once, the
    /// phases are computed in float64 and rounded (the most accurate `Scalar` table), and the
    /// product runs in `Scalar`'s BLAS (`sgemm` for `Float`). The symbol's rounding is then that
    /// of a float32 implementation such as the authors' PyTorch code.
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    public func forEachChunk<Scalar: LinearAlgebraScalar>(
        of frequencies: [FrequencyAngle], in precision: Scalar.Type,
        _ body: (_ first: Int, _ count: Int, _ matrices: ComplexBuffer<Scalar>) throws -> Void
    ) rethrows {
        let entries = kernel.shape.outputChannels * kernel.shape.inputChannels
        var matrices = ComplexBuffer<Scalar>(count: 0)
        try forEachChunkOfParts(of: frequencies, in: precision) { first, count, parts in
            if matrices.count < count * entries { matrices = ComplexBuffer<Scalar>(count: count * entries) }
            // The real rows are the chunk's real parts in order, the imaginary rows its imaginary parts.
            matrices.assign(real: parts, realOffset: 0, imaginary: parts, imaginaryOffset: count * entries,
                            count: count * entries, at: 0)
            try body(first, count, matrices)
        }
    }

    /// The engine of `forEachChunk`, before the interleaving copy: `parts` holds the chunk's
    /// `count·cout·cin` real parts (frequency after frequency, each `cout × cin` row-major)
    /// followed by as many imaginary parts. Phases
    /// `e^{−i(ω₁dy + ω₂dx)}` are formed in float64 as products of the `kh + kw` per-axis phases
    /// (two `sin`/`cos` pairs per tap row and column, not per tap).
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    func forEachChunkOfParts<Scalar: LinearAlgebraScalar>(
        of frequencies: [FrequencyAngle], in precision: Scalar.Type,
        _ body: (_ first: Int, _ count: Int, _ parts: [Scalar]) throws -> Void
    ) rethrows {
        let s = kernel.shape
        let taps = s.taps
        let entries = s.outputChannels * s.inputChannels
        let budget = chunkBytes ?? Self.defaultChunkBytes(shape: s, precision: Scalar.precision)
        let chunk = min(Self.chunkSize(shape: s, chunkBytes: budget, precision: Scalar.precision), max(1, frequencies.count))
        let values = Scalar.rounding(kernel.values)
        var phases = [Scalar](repeating: 0, count: 2 * chunk * taps)
        var products = [Scalar](repeating: 0, count: 2 * chunk * entries)
        var rowCosines = [Double](repeating: 0, count: s.height), rowSines = rowCosines
        var columnCosines = [Double](repeating: 0, count: s.width), columnSines = columnCosines
        var first = 0
        while first < frequencies.count {
            let count = min(chunk, frequencies.count - first)
            // Rows 0..<count: cos(ω·d); rows count..<2count: −sin(ω·d); one column per tap.
            for f in 0..<count {
                let omega = frequencies[first + f]
                for dy in 0..<s.height {
                    rowCosines[dy] = cos(omega.rows * Double(dy))
                    rowSines[dy] = sin(omega.rows * Double(dy))
                }
                for dx in 0..<s.width {
                    columnCosines[dx] = cos(omega.columns * Double(dx))
                    columnSines[dx] = sin(omega.columns * Double(dx))
                }
                for dy in 0..<s.height {
                    for dx in 0..<s.width {
                        // cos(a + b) and sin(a + b) from the per-axis phases.
                        let cosine = rowCosines[dy] * columnCosines[dx] - rowSines[dy] * columnSines[dx]
                        let sine = rowSines[dy] * columnCosines[dx] + rowCosines[dy] * columnSines[dx]
                        phases[f * taps + dy * s.width + dx] = Scalar(cosine)
                        phases[(count + f) * taps + dy * s.width + dx] = Scalar(-sine)
                    }
                }
            }
            // (2·count × taps) · (taps × entries): the kernel array is entries × taps row-major.
            BLAS.multiply(
                rows: 2 * count, columns: entries, inner: taps,
                a: phases, b: values, transposeB: true, into: &products)
            try body(first, count, products)
            first += count
        }
    }
}

