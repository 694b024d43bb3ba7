import NumericCore
#if canImport(Glibc)
import Glibc
#endif

/// The linear map `A` of a convolution layer (docs/methods.md §1), applied matrix-free.
///
/// `y[o, r, c] = Σ_{i, dy, dx} K[o, i, dy, dx] · x[i, r·s + dy − p_h, c·s + dx − p_w]` with zero or
/// circular padding. Vectors are flat row-major arrays: inputs `(cin, n, n)`, outputs
/// `(cout, m_h, m_w)`; batches stack vectors one after the other. Forward and adjoint are
/// Winograd's F(4×4, 3×3) (`WinogradCorrelation`: stride 1, 3×3, 32 channels and more), a direct
/// correlation in AVX-512 registers (`DirectCorrelation`: other stride-1 layers, on CPUs that
/// have it), one gemm per kernel tap on a padded copy (stride 1 at layer sizes,
/// `ShiftedProductConvolution`) or a patch matrix (im2col, copied row-run by row-run) plus one
/// gemm per vector (`PatchMatrixProduct`, shared among the thread budget; for stride 1 the
/// adjoint is itself a correlation, gathered like the forward): 2·cout·cin·kh·kw·m²
/// floating-point operations each, and `cin·kh·kw·m²` scalars of patch-matrix traffic. This is what power iteration, PowerQR and Lanczos call in their loops;
/// they pass a `ConvolutionWorkspace` and their own output arrays so that a loop allocates
/// nothing (a fresh 38 MB patch matrix per call at c = 128, n = 64 cost a page fault per 4 KiB).
///
/// Generic over the scalar it computes in (`Double`: dgemm; `Float`: sgemm): the kernel is kept
/// as given (float64, the input every method and the exact reference share) and rounded once to
/// `weights` in the operator's precision. `ConvolutionOperator(kernel:geometry:)` is float64.
public struct ConvolutionOperator<Scalar: LinearAlgebraScalar>: Sendable {
    /// The kernel, as given (float64).
    public let kernel: ConvolutionKernel
    /// The kernel's entries rounded to `Scalar`, same layout as `kernel.values`.
    public let weights: [Scalar]
    /// Sizes, padding and stride.
    public let geometry: ConvolutionGeometry
    /// Where each patch-matrix entry comes from.
    private let layout: PatchMatrixLayout
    /// The tap-by-tap gemm scheme for stride 1, which needs no patch matrix (nil: patch matrix).
    private let shifted: ShiftedProductConvolution<Scalar>?
    /// For stride 1, the adjoint as a correlation of the output with the flipped kernel
    /// (`adjointScheme`): its patch layout over the output and the `cin × cout·kh·kw` weights.
    /// Nil for strided operators, whose adjoint scatters the patch matrix back.
    private let adjointCorrelation: (layout: PatchMatrixLayout, weights: [Scalar])?
    /// For stride 1 and 3×3 kernels at layer sizes, the forward and adjoint correlations by
    /// Winograd's minimal filtering (`WinogradCorrelation`); nil otherwise.
    private let winograd: (forward: WinogradCorrelation<Scalar>, adjoint: WinogradCorrelation<Scalar>)?
    /// For stride 1 on CPUs with AVX-512 where Winograd does not apply, the forward and adjoint
    /// correlations computed directly (`DirectCorrelation`); nil otherwise.
    private let direct: (forward: DirectCorrelation<Scalar>, adjoint: DirectCorrelation<Scalar>)?
    /// For a grouped geometry, the operator of each group (`ConvolutionGeometry.perGroup`); the
    /// layer's operator applies them side by side. Empty for one group.
    public let groupOperators: [ConvolutionOperator<Scalar>]

    /// Builds the operator for `kernel` under `geometry` (whose shape must be the kernel's) in
    /// the precision `Scalar`. O(kh·m_h + kw·m_w + cout·cin·kh·kw).
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    public init(kernel: ConvolutionKernel, geometry: ConvolutionGeometry, precision: Scalar.Type, scheme: ConvolutionScheme = .automatic) {
        precondition(kernel.shape == geometry.shape, "geometry was made for another kernel shape")
        self.kernel = kernel
        self.weights = Scalar.rounding(kernel.values)
        self.geometry = geometry
        if geometry.groups > 1 {
            let part = geometry.perGroup
            groupOperators = (0..<geometry.groups).map {
                ConvolutionOperator(kernel: kernel.group($0, of: geometry.groups), geometry: part, precision: Scalar.self, scheme: scheme)
            }
            self.layout = groupOperators[0].layout
            self.winograd = nil
            self.direct = nil
            self.shifted = nil
            self.adjointCorrelation = nil
            return
        }
        groupOperators = []
        let layout = Self.patchLayout(geometry)
        self.layout = layout
        let patchBytes = layout.patchRows * layout.positions * MemoryLayout<Scalar>.size
        let winograd = Self.winogradTile(geometry, scheme: scheme).map { Self.winogradEngines(kernel, geometry, tile: $0) }
        self.winograd = winograd
        let direct = winograd == nil && Self.takesDirect(geometry, scheme: scheme) ? Self.directEngines(kernel, geometry) : nil
        self.direct = direct
        let rest = scheme == .winograd || scheme == .direct ? ConvolutionScheme.automatic : scheme
        let tapByTap = winograd == nil && direct == nil && (rest == .tapByTap || (rest == .automatic && patchBytes >= Self.tapByTapFromBytes))
        self.shifted = tapByTap ? ShiftedProductConvolution(geometry: geometry, weights: weights) : nil
        // Only the patch-matrix scheme reads it.
        self.adjointCorrelation = winograd == nil && direct == nil && shifted == nil ? Self.adjointScheme(geometry, weights: weights) : nil
    }

    /// The patch-matrix size from which `automatic` applies tap by tap (1 MiB): below it the
    /// patch matrix stays in cache and one gemm beats `kh·kw` small ones (at c = 16, n = 16 the
    /// tap-by-tap scheme's 9 calls per application cost more than the copy they save).
    public static var tapByTapFromBytes: Int { 1 << 20 }

    /// The scheme this operator applies with.
    public var scheme: ConvolutionScheme {
        if let first = groupOperators.first { return first.scheme }
        if winograd != nil { return .winograd }
        if direct != nil { return .direct }
        return shifted == nil ? .patchMatrix : .tapByTap
    }

    /// The Winograd tile for `geometry` under `scheme`, or nil when it does not apply: stride 1,
    /// a 3×3 kernel, and (`automatic`) `ConvolutionGeometry.takesWinogradByDefault`.
    /// F(4×4, 3×3) in float64 and float32 alike (docs/performance.md gives its rounding).
    static func winogradTile(_ geometry: ConvolutionGeometry, scheme: ConvolutionScheme) -> WinogradTile? {
        guard geometry.isClassic, geometry.stride == .one, geometry.shape.height == 3, geometry.shape.width == 3 else { return nil }
        switch scheme {
        case .winograd: return .f4
        case .automatic: return geometry.takesWinogradByDefault ? .f4 : nil
        case .patchMatrix, .tapByTap, .direct: return nil
        }
    }

    /// Direct operations per application (10 MFLOP) and channels on the smaller side (32) from
    /// which `automatic` applies by Winograd's minimal filtering. Measured (power iteration and
    /// PowerQR, 100 iterations, 2 threads): at 16 channels the tile transforms, which grow with
    /// the channels while the gemms grow with their square, cost as much as the multiplications
    /// saved (c = 16, n = 32: 28 → 43 ms float64); at 64 channels, n = 16 (19 MFLOP) Winograd
    /// already wins (77 → 66 ms).
    public static var winogradFromOperations: Double { 1e7 }
    /// See `winogradFromOperations`.
    public static var winogradFromChannels: Int { 32 }
    /// Output positions per channel (16 tiles of 4×4) from which `automatic` applies by
    /// Winograd: below it each transform point's gemm has too few columns to be efficient, and
    /// the 36 transformed kernels (4× the kernel, forward and adjoint) outweigh the work saved.
    public static var winogradFromPositions: Int { 256 }

    /// Whether the operator applies by `DirectCorrelation` under `scheme`: stride 1 on a CPU
    /// with AVX-512 (`DirectCorrelation.isAvailable`), forced (`.direct`) or, for `automatic`,
    /// `ConvolutionGeometry.takesDirectByDefault` where Winograd does not apply.
    static func takesDirect(_ geometry: ConvolutionGeometry, scheme: ConvolutionScheme) -> Bool {
        guard geometry.isClassic, geometry.stride == .one, DirectCorrelation<Scalar>.isAvailable else { return false }
        switch scheme {
        case .direct: return true
        case .automatic:
            return geometry.takesDirectByDefault && geometry.outputWidth >= DirectCorrelation<Scalar>.lanes
        case .patchMatrix, .tapByTap, .winograd: return false
        }
    }

    /// Channels on the smaller side (8) from which `automatic` applies by direct correlation:
    /// its blocks hold 16 output channels, and the adjoint's output channels are the input's.
    public static var directFromChannels: Int { 8 }

    /// The forward correlation (kernel, pads of `geometry`) and the adjoint's (the flipped,
    /// transposed kernel at pads `kh − 1 − p_h`, `kw − 1 − p_w` over the output grid, as
    /// `adjointScheme`), computed directly.
    private static func directEngines(_ kernel: ConvolutionKernel, _ g: ConvolutionGeometry)
        -> (forward: DirectCorrelation<Scalar>, adjoint: DirectCorrelation<Scalar>) {
        let n = g.inputHeight, s = g.shape
        func source(_ pad: Int) -> (Int) -> Int {
            { g.padding == .circular ? (($0 - pad) % n + n) % n : $0 - pad }
        }
        let forward = DirectCorrelation<Scalar>(
            weights: kernel.values, outputChannels: s.outputChannels, inputChannels: s.inputChannels,
            kernelHeight: s.height, kernelWidth: s.width, inputHeight: n, inputWidth: n,
            outputHeight: g.outputHeight, outputWidth: g.outputWidth,
            rowSource: source(g.padHeight), columnSource: source(g.padWidth))
        let taps = s.taps
        var flipped = [Double](repeating: 0, count: kernel.values.count)
        for o in 0..<s.outputChannels {
            for i in 0..<s.inputChannels {
                for tap in 0..<taps {
                    flipped[(i * s.outputChannels + o) * taps + (taps - 1 - tap)] = kernel.values[(o * s.inputChannels + i) * taps + tap]
                }
            }
        }
        let adjoint = DirectCorrelation<Scalar>(
            weights: flipped, outputChannels: s.inputChannels, inputChannels: s.outputChannels,
            kernelHeight: s.height, kernelWidth: s.width, inputHeight: g.outputHeight, inputWidth: g.outputWidth,
            outputHeight: n, outputWidth: n,
            rowSource: source(s.height - 1 - g.padHeight), columnSource: source(s.width - 1 - g.padWidth))
        return (forward, adjoint)
    }

    /// The forward correlation (kernel, pads of `geometry`) and the adjoint's (the flipped,
    /// transposed kernel at pads `2 − p` over the output grid, as `adjointScheme`).
    private static func winogradEngines(_ kernel: ConvolutionKernel, _ g: ConvolutionGeometry, tile: WinogradTile)
        -> (forward: WinogradCorrelation<Scalar>, adjoint: WinogradCorrelation<Scalar>) {
        let n = g.inputHeight, s = g.shape
        func wrap(_ index: Int) -> Int { ((index % n) + n) % n }
        func forwardSource(_ pad: Int) -> (Int) -> Int {
            { g.padding == .circular ? wrap($0 - pad) : $0 - pad }
        }
        func adjointSource(_ pad: Int) -> (Int) -> Int {
            { g.padding == .circular ? wrap($0 - (2 - pad)) : $0 - (2 - pad) }
        }
        let forward = WinogradCorrelation<Scalar>(
            weights: kernel.values, outputChannels: s.outputChannels, inputChannels: s.inputChannels,
            inputHeight: n, inputWidth: n, outputHeight: g.outputHeight, outputWidth: g.outputWidth, tile: tile,
            rowSource: forwardSource(g.padHeight), columnSource: forwardSource(g.padWidth))
        var flipped = [Double](repeating: 0, count: kernel.values.count)
        for o in 0..<s.outputChannels {
            for i in 0..<s.inputChannels {
                for tap in 0..<9 {
                    flipped[(i * s.outputChannels + o) * 9 + (8 - tap)] = kernel.values[(o * s.inputChannels + i) * 9 + tap]
                }
            }
        }
        let adjoint = WinogradCorrelation<Scalar>(
            weights: flipped, outputChannels: s.inputChannels, inputChannels: s.outputChannels,
            inputHeight: g.outputHeight, inputWidth: g.outputWidth, outputHeight: n, outputWidth: n, tile: tile,
            rowSource: adjointSource(g.padHeight), columnSource: adjointSource(g.padWidth))
        return (forward, adjoint)
    }

    /// `source` in this precision: the kernel rounded from its float64 values, the patch layout
    /// and scheme shared, the Winograd and direct engines' prepared kernels (computed in
    /// float64) rounded rather than recomputed.
    private init<Source>(converting source: ConvolutionOperator<Source>) {
        self.kernel = source.kernel
        self.weights = Scalar.rounding(source.kernel.values)
        self.geometry = source.geometry
        self.layout = source.layout
        self.groupOperators = source.groupOperators.map { $0.converted(to: Scalar.self) }
        self.winograd = source.winograd.map { ($0.forward.converted(to: Scalar.self), $0.adjoint.converted(to: Scalar.self)) }
        self.direct = source.direct.map { ($0.forward.converted(to: Scalar.self), $0.adjoint.converted(to: Scalar.self)) }
        self.shifted = source.shifted == nil ? nil : ShiftedProductConvolution(geometry: geometry, weights: weights)
        self.adjointCorrelation = source.adjointCorrelation == nil ? nil : Self.adjointScheme(geometry, weights: weights)
    }

    /// The same operator in the precision `Other`, sharing the patch layout and the scheme (the
    /// kernel is rounded from its float64 values, not from this operator's; so are the
    /// Winograd and direct engines' float64-prepared kernels). O(α²·cout·cin + cout·cin·kh·kw).
    public func converted<Other: LinearAlgebraScalar>(to precision: Other.Type) -> ConvolutionOperator<Other> {
        ConvolutionOperator<Other>(converting: self)
    }

    /// The precision this operator computes in.
    public var precision: Precision { Scalar.precision }

    /// The separable source maps of the patch matrix: input row `r·s_h + d_h·dy − p_top` and
    /// column `c·s_w + d_w·dx − p_left`, mapped by the padding mode (`Padding.source`: wrapped,
    /// mirrored or clamped), −1 for a padding zero. Reflect and replicate padding copy one input
    /// pixel into several patch entries; the adjoint's scatter adds them back.
    private static func patchLayout(_ geometry: ConvolutionGeometry) -> PatchMatrixLayout {
        let g = geometry
        var rows: [Int] = []
        rows.reserveCapacity(g.shape.height * g.outputHeight)
        for dy in 0..<g.shape.height {
            for r in 0..<g.outputHeight { rows.append(g.sourceRow(r, tap: dy) ?? -1) }
        }
        var columns: [Int] = []
        columns.reserveCapacity(g.shape.width * g.outputWidth)
        for dx in 0..<g.shape.width {
            for c in 0..<g.outputWidth { columns.append(g.sourceColumn(c, tap: dx) ?? -1) }
        }
        return PatchMatrixLayout(
            channels: g.shape.inputChannels, inputHeight: g.inputHeight, inputWidth: g.inputWidth,
            kernelHeight: g.shape.height, kernelWidth: g.shape.width,
            outputHeight: g.outputHeight, outputWidth: g.outputWidth, columnStep: g.stride.width,
            rowSources: rows, columnSources: columns)
    }

    /// For stride 1, `Aᵀ` as a convolution of its own: `x[i, u, v] = Σ K[o, i, dy, dx]·y[o, u − dy + p_h,
    /// v − dx + p_w]` is a correlation of `y` (cout channels of `m_h × m_w`) with the flipped,
    /// transposed kernel `K'[i, o, dy', dx'] = K[o, i, kh−1−dy', kw−1−dx']` at pad `kh − 1 − p_h`
    /// (`kw − 1 − p_w`), reading zeros outside `y` (zero padding) or `y` wrapped modulo n
    /// (circular, where `m = n`), and giving `n × n` per channel. Its patch matrix is gathered
    /// like the forward one, so the adjoint needs no scatter and no `cin·kh·kw × m²` gemm output.
    /// Nil for stride > 1 (the adjoint of a strided convolution reads a dilated `y`).
    /// O(kh·n + kw·n + cout·cin·kh·kw).
    private static func adjointScheme(_ g: ConvolutionGeometry, weights: [Scalar]) -> (layout: PatchMatrixLayout, weights: [Scalar])? {
        guard g.isClassic, g.stride == .one else { return nil }
        let n = g.inputHeight
        let s = g.shape
        func source(_ position: Int, _ tap: Int, _ size: Int, _ pad: Int, _ kernelSide: Int) -> Int {
            let index = position + tap - (kernelSide - 1 - pad)
            if g.padding == .circular { return ((index % n) + n) % n }
            return index >= 0 && index < size ? index : -1
        }
        var rows: [Int] = [], columns: [Int] = []
        for dy in 0..<s.height { for u in 0..<n { rows.append(source(u, dy, g.outputHeight, g.padHeight, s.height)) } }
        for dx in 0..<s.width { for v in 0..<n { columns.append(source(v, dx, g.outputWidth, g.padWidth, s.width)) } }
        let layout = PatchMatrixLayout(
            channels: s.outputChannels, inputHeight: g.outputHeight, inputWidth: g.outputWidth,
            kernelHeight: s.height, kernelWidth: s.width, outputHeight: n, outputWidth: n, columnStep: 1,
            rowSources: rows, columnSources: columns)
        var flipped = [Scalar](repeating: 0, count: weights.count)
        let taps = s.taps
        for o in 0..<s.outputChannels {
            for i in 0..<s.inputChannels {
                for dy in 0..<s.height {
                    for dx in 0..<s.width {
                        let flippedTap = (s.height - 1 - dy) * s.width + (s.width - 1 - dx)
                        flipped[(i * s.outputChannels + o) * taps + flippedTap] = weights[(o * s.inputChannels + i) * taps + dy * s.width + dx]
                    }
                }
            }
        }
        return (layout, flipped)
    }

    /// Length of an input vector: `cin·n²`.
    public var inputDimension: Int { geometry.columns }
    /// Length of an output vector: `cout·m_h·m_w`.
    public var outputDimension: Int { geometry.rows }

    /// `A·x` for one input vector.
    public func apply(_ input: [Scalar]) -> [Scalar] { apply(batch: input, count: 1) }

    /// `Aᵀ·y` for one output vector.
    public func applyAdjoint(_ output: [Scalar]) -> [Scalar] { applyAdjoint(batch: output, count: 1) }

    /// `AᵀA·x` for one input vector.
    public func applyNormal(_ input: [Scalar]) -> [Scalar] { applyAdjoint(apply(input)) }

    /// `A·x_b` for `count` input vectors stored one after the other.
    public func apply(batch input: [Scalar], count: Int) -> [Scalar] {
        var workspace = ConvolutionWorkspace<Scalar>()
        var output = [Scalar](repeating: 0, count: count * outputDimension)
        apply(batch: input, count: count, into: &output, workspace: &workspace)
        return output
    }

    /// `Aᵀ·y_b` for `count` output vectors stored one after the other.
    public func applyAdjoint(batch output: [Scalar], count: Int) -> [Scalar] {
        var workspace = ConvolutionWorkspace<Scalar>()
        var input = [Scalar](repeating: 0, count: count * inputDimension)
        applyAdjoint(batch: output, count: count, into: &input, workspace: &workspace)
        return input
    }

    /// `A·x_b` for `count` input vectors stored one after the other, written over the first
    /// `count·outputDimension` entries of `output`; `workspace` holds the patch matrix between
    /// calls, so a loop that keeps both allocates nothing.
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    public func apply(batch input: [Scalar], count: Int, into output: inout [Scalar], workspace: inout ConvolutionWorkspace<Scalar>) {
        precondition(input.count >= count * inputDimension, "input batch has the wrong length")
        precondition(output.count >= count * outputDimension, "output batch is too short")
        if !groupOperators.isEmpty {
            applyGroups(from: input, count: count, into: &output, workspace: &workspace, adjoint: false)
            return
        }
        if let winograd {
            winograd.forward.apply(input, count: count, into: &output, workspace: &workspace.winograd)
            return
        }
        if let direct {
            direct.forward.apply(input, count: count, into: &output, workspace: &workspace.direct)
            return
        }
        if let shifted {
            workspace.reserve(padded: shifted.paddedCount, wide: shifted.wideCount)
            for b in 0..<count {
                shifted.apply(input, inputOffset: b * inputDimension, into: &output, outputOffset: b * outputDimension,
                              padded: &workspace.padded, wide: &workspace.wide)
            }
            return
        }
        for b in 0..<count {
            PatchMatrixProduct.forward(
                layout: layout, weights: weights, outputChannels: geometry.shape.outputChannels,
                input: input, inputOffset: b * inputDimension, into: &output, outputOffset: b * outputDimension,
                patches: &workspace.patches)
        }
    }

    /// `Aᵀ·y_b` for `count` output vectors stored one after the other, written over the first
    /// `count·inputDimension` entries of `input`; `workspace` holds the patch matrix between calls.
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    public func applyAdjoint(batch output: [Scalar], count: Int, into input: inout [Scalar], workspace: inout ConvolutionWorkspace<Scalar>) {
        precondition(output.count >= count * outputDimension, "output batch has the wrong length")
        precondition(input.count >= count * inputDimension, "input batch is too short")
        if !groupOperators.isEmpty {
            applyGroups(from: output, count: count, into: &input, workspace: &workspace, adjoint: true)
            return
        }
        if let winograd {
            winograd.adjoint.apply(output, count: count, into: &input, workspace: &workspace.winograd)
            return
        }
        if let direct {
            direct.adjoint.apply(output, count: count, into: &input, workspace: &workspace.direct)
            return
        }
        if let shifted {
            workspace.reserve(padded: shifted.paddedCount, wide: shifted.wideCount)
            for b in 0..<count {
                shifted.applyAdjoint(output, outputOffset: b * outputDimension, into: &input, inputOffset: b * inputDimension,
                                     padded: &workspace.padded, wide: &workspace.wide)
            }
            return
        }
        if let adjointCorrelation {
            for b in 0..<count {
                PatchMatrixProduct.forward(
                    layout: adjointCorrelation.layout, weights: adjointCorrelation.weights, outputChannels: geometry.shape.inputChannels,
                    input: output, inputOffset: b * outputDimension, into: &input, outputOffset: b * inputDimension,
                    patches: &workspace.patches)
            }
            return
        }
        for b in 0..<count {
            PatchMatrixProduct.adjoint(
                layout: layout, weights: weights, outputChannels: geometry.shape.outputChannels,
                output: output, outputOffset: b * outputDimension, into: &input, inputOffset: b * inputDimension,
                patches: &workspace.patches)
        }
    }
}

extension ConvolutionOperator {
    /// A grouped operator applied group by group: each vector's slice of a group's channels is
    /// copied out, transformed by that group's operator, and copied into its slice of the
    /// result. Methods run per group (docs/methods.md §5) and do not come here in their loops.
    private func applyGroups(
        from source: [Scalar], count: Int, into target: inout [Scalar], workspace: inout ConvolutionWorkspace<Scalar>, adjoint: Bool
    ) {
        let part = geometry.perGroup
        let sourceSlice = adjoint ? part.rows : part.columns
        let targetSlice = adjoint ? part.columns : part.rows
        let sourceLength = adjoint ? outputDimension : inputDimension
        let targetLength = adjoint ? inputDimension : outputDimension
        var groupSource = [Scalar](repeating: 0, count: sourceSlice)
        var groupTarget = [Scalar](repeating: 0, count: targetSlice)
        for b in 0..<count {
            for (j, groupOperator) in groupOperators.enumerated() {
                let from = b * sourceLength + j * sourceSlice
                for e in 0..<sourceSlice { groupSource[e] = source[from + e] }
                if adjoint {
                    groupOperator.applyAdjoint(batch: groupSource, count: 1, into: &groupTarget, workspace: &workspace)
                } else {
                    groupOperator.apply(batch: groupSource, count: 1, into: &groupTarget, workspace: &workspace)
                }
                let to = b * targetLength + j * targetSlice
                for e in 0..<targetSlice { target[to + e] = groupTarget[e] }
            }
        }
    }
}

/// How a `ConvolutionOperator` applies itself.
public enum ConvolutionScheme: String, Sendable {
    /// Tap by tap where that applies (stride 1) and the patch matrix would take 1 MiB or more;
    /// else the patch matrix.
    case automatic
    /// Always the patch matrix (im2col plus one gemm).
    case patchMatrix = "patch-matrix"
    /// One gemm per tap on a padded copy (`ShiftedProductConvolution`) wherever that applies
    /// (stride 1), whatever the size.
    case tapByTap = "tap-by-tap"
    /// Winograd's minimal filtering F(4×4, 3×3) (`WinogradCorrelation`) wherever that applies
    /// (stride 1, 3×3 kernels), whatever the size; else as `automatic` without it.
    case winograd
    /// A direct correlation in AVX-512 registers (`DirectCorrelation`) wherever that applies
    /// (stride 1 on a CPU with AVX-512), whatever the size; else as `automatic` without it.
    case direct
}

/// Scratch memory one caller keeps across `ConvolutionOperator` applications: the patch matrix
/// (`cin·kh·kw·m_h·m_w` scalars), allocated on first use and reused.
public struct ConvolutionWorkspace<Scalar: LinearAlgebraScalar> {
    /// The patch matrix of the latest application.
    fileprivate(set) var patches: [Scalar] = []
    /// The padded input (or gradient) of the tap-by-tap scheme.
    fileprivate(set) var padded: [Scalar] = []
    /// The wide output of the tap-by-tap scheme.
    fileprivate(set) var wide: [Scalar] = []
    /// The transformed input and the products of the Winograd scheme.
    fileprivate(set) var winograd: [Scalar] = []
    /// The padded row bands of the direct scheme.
    fileprivate(set) var direct: [Scalar] = []

    /// An empty workspace.
    public init() {}

    /// Grows the tap-by-tap buffers to at least the given sizes (contents undefined).
    fileprivate mutating func reserve(padded paddedCount: Int, wide wideCount: Int) {
        if padded.count < paddedCount { padded = [Scalar](repeating: 0, count: paddedCount) }
        if wide.count < wideCount { wide = [Scalar](repeating: 0, count: wideCount) }
    }
}

extension ConvolutionOperator where Scalar == Double {
    /// The float64 operator of `kernel` under `geometry`. O(kh·kw·m²).
    public init(kernel: ConvolutionKernel, geometry: ConvolutionGeometry) {
        self.init(kernel: kernel, geometry: geometry, precision: Double.self)
    }
}

extension ConvolutionGeometry {
    /// Floating-point operations of one forward or one adjoint application of the operator to
    /// one vector: `2·cout·cin·kh·kw·m_h·m_w` (the gemm; the patch copies are memory traffic).
    public var operationsPerApplication: Double {
        2 * Double(shape.count) * Double(outputHeight * outputWidth)
    }

    /// Whether the operator applies by Winograd's F(4×4, 3×3) unless told otherwise: stride 1, a
    /// 3×3 kernel, `winogradFromChannels` channels on the smaller side, `winogradFromOperations`
    /// per direct application and `winogradFromPositions` output positions per channel.
    public var takesWinogradByDefault: Bool {
        typealias Thresholds = ConvolutionOperator<Double>
        return isClassic && stride == .one && shape.height == 3 && shape.width == 3
            && min(shape.outputChannels, shape.inputChannels) >= Thresholds.winogradFromChannels
            && operationsPerApplication >= Thresholds.winogradFromOperations
            && Double(outputHeight) * Double(outputWidth) >= Double(Thresholds.winogradFromPositions)
    }

    /// Whether the operator applies by direct correlation (`DirectCorrelation`) unless told
    /// otherwise, on a CPU with AVX-512: stride 1 where Winograd does not apply, with
    /// `directFromChannels` channels on the smaller side (and, checked with the precision, an
    /// output row at least one register wide).
    public var takesDirectByDefault: Bool {
        isClassic && stride == .one && !takesWinogradByDefault
            && min(shape.outputChannels, shape.inputChannels) >= ConvolutionOperator<Double>.directFromChannels
    }

    /// Bytes of the kernel and the operator's patch layout (`kh·m_h + kw·m_w` source indices
    /// and their runs) for this geometry, and the Winograd scheme's transformed kernels (36 per
    /// channel pair, forward and adjoint, counted as float64) where it applies: what every
    /// method of a point shares, before any method runs.
    public var operatorMemoryNeed: MemoryNeed {
        let shape = self.shape
        let winograd: MemoryNeed = takesWinogradByDefault ? .doubles(8, shape.count) : .zero  // 2 × 36 × cout × cin
        return .doubles(shape.count) + .elements(3, shape.height * outputHeight + shape.width * outputWidth, size: 8) + winograd
    }

    /// Bytes of the kernel's copy rounded to `precision` (none for float64, which shares the
    /// kernel's storage).
    public func weightMemory(precision: Precision) -> MemoryNeed {
        precision == .float64 ? .zero : .reals(precision, shape.count)
    }

    /// Bytes one `apply` and one `applyAdjoint` of a batch of `count` vectors allocate in
    /// `precision`: the larger patch matrix (forward `cin·kh·kw·m_h·m_w`, stride-1 adjoint
    /// `cout·kh·kw·n²` scalars) and the `count` results of each.
    public func applicationMemory(count: Int = 1, precision: Precision = .float64) -> MemoryNeed {
        // The forward patch matrix, or the adjoint's (cout·kh·kw × n², stride 1) when larger.
        let adjointPatches: MemoryNeed = isClassic && stride == .one ? .reals(precision, shape.outputChannels, shape.taps, inputHeight, inputWidth) : .zero
        // The Winograd scheme's transformed inputs and products (36 per tile of 4×4 outputs).
        let tiles = ((max(outputHeight, inputHeight) + 3) / 4) * ((max(outputWidth, inputWidth) + 3) / 4)
        let winograd: MemoryNeed = takesWinogradByDefault
            ? .reals(precision, 36, shape.inputChannels + shape.outputChannels, count, tiles) : .zero
        return max(max(.reals(precision, shape.inputChannels, shape.taps, outputHeight, outputWidth), adjointPatches), winograd)
            + .reals(precision, count, rows) + .reals(precision, count, columns)
    }
}
