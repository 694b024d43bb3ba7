import NumericCore

/// The exact reference every method is judged against: the top singular values of the operator
/// `A` of methods.md §1.
///
/// Up to the dense limit (the larger side of `A` at most `denseLimit`, default 4096) it builds the
/// explicit unrolled matrix column-major and calls values-only `LAPACKE_dgesdd`: O(rows·cols·
/// min(rows, cols)) time, `rows·cols` doubles of memory. Above it, it names its tier:
/// `fft-block-svd` for circular padding (exact by block-diagonalisation, see `CircularSpectrum`)
/// and `lanczos` for zero padding (see `LanczosBidiagonalization`, relative residual below
/// 1e-12). A power iteration is never called a reference.
public struct ExactReference: Sendable {
    /// Settings of a reference computation.
    public struct Settings: Codable, Sendable, Hashable {
        /// Largest side of `A` computed densely.
        public var denseLimit: Int
        /// Relative residual the `lanczos` tier must reach.
        public var lanczosTolerance: Double
        /// Step budget of the `lanczos` tier.
        public var lanczosMaximumIterations: Int

        /// Defaults of methods.md §2: dense up to 4096, Lanczos to 1e-12 within 3000 steps.
        public init(denseLimit: Int = 4096, lanczosTolerance: Double = 1e-12, lanczosMaximumIterations: Int = 3000) {
            self.denseLimit = denseLimit
            self.lanczosTolerance = lanczosTolerance
            self.lanczosMaximumIterations = lanczosMaximumIterations
        }
    }

    /// The reference's answer.
    public struct Answer: Sendable {
        /// Top singular values, descending.
        public var values: [Double]
        /// Which tier produced them.
        public var tier: ReferenceTier
        /// Lanczos steps, when that tier ran.
        public var iterations: Int?
        /// Largest relative residual of the accepted Lanczos triplets, when that tier ran.
        public var relativeResidual: Double?
    }

    /// The settings in force.
    public let settings: Settings

    /// A reference with the given settings.
    public init(settings: Settings = Settings()) { self.settings = settings }

    /// The tier that will be used for `geometry`.
    public func tier(for geometry: ConvolutionGeometry) -> ReferenceTier {
        if max(geometry.rows, geometry.columns) <= settings.denseLimit { return .dense }
        return geometry.padding == .circular ? .fftBlockSVD : .lanczos
    }

    /// The memory `topSingularValues` needs on `geometry` for `count` values in the tier it
    /// would use (or `forcedTier`): dense, the unrolled matrix with one column of slack and
    /// dgesdd's workspace; fft-block-svd, `CircularSpectrum.memoryNeed`; Lanczos, both bases for
    /// its first `2·count + 20` steps, their Ritz problem and one operator application (a lower
    /// bound: the bases grow with every step). Saturating; O(1).
    public func memoryNeed(on geometry: ConvolutionGeometry, count: Int, forcing forcedTier: ReferenceTier? = nil) -> MemoryNeed {
        let rows = geometry.rows, columns = geometry.columns
        let smaller = min(rows, columns), larger = max(rows, columns)
        switch forcedTier ?? tier(for: geometry) {
        case .dense:
            return .doubles(rows, columns) + .doubles(rows) + .doubles(3 * smaller + max(larger, 7 * smaller))
                + .doubles(64, larger + smaller) + .elements(8, smaller, size: 4)
        case .fftBlockSVD:
            return CircularSpectrum.memoryNeed(shape: geometry.shape, inputSize: geometry.inputSize,
                                               stride: geometry.stride, top: count)
        case .lanczos:
            let steps = min(smaller, settings.lanczosMaximumIterations, 2 * count + 20)
            return .doubles(steps, rows) + .doubles(steps, columns) + .doubles(3, steps, steps)
                + geometry.applicationMemory()
        }
    }

    /// The top `count` singular values of the operator (`1 ≤ count ≤ rank`); `seed` fixes the
    /// Lanczos start vector. `forcing` overrides the automatic tier choice (tests compare tiers).
    public func topSingularValues(
        of linearOperator: ConvolutionOperator<Double>, count: Int, seed: UInt64, forcing forcedTier: ReferenceTier? = nil
    ) throws -> Answer {
        let geometry = linearOperator.geometry
        guard count >= 1 && count <= geometry.rank else {
            throw InvalidInput("top-k = \(count) is out of range: the operator has \(geometry.rank) singular values; accepted: 1…\(geometry.rank)")
        }
        let tier = forcedTier ?? tier(for: geometry)
        switch tier {
        case .dense:
            let matrix = UnrolledMatrix.build(kernel: linearOperator.kernel, geometry: geometry)
            let values = try LAPACK.singularValues(
                rows: geometry.rows, columns: geometry.columns, buffer: matrix, order: .columnMajor)
            return Answer(values: Array(values.prefix(count)), tier: .dense)
        case .fftBlockSVD:
            precondition(geometry.padding == .circular, "fft-block-svd is exact for circular padding only")
            let values = try CircularSpectrum.singularValues(
                kernel: linearOperator.kernel, inputSize: geometry.inputSize, stride: geometry.stride, top: count)
            return Answer(values: values, tier: .fftBlockSVD)
        case .lanczos:
            let result = try LanczosBidiagonalization.topSingularValues(
                of: linearOperator, count: count, tolerance: settings.lanczosTolerance,
                maximumIterations: settings.lanczosMaximumIterations, seed: seed)
            return Answer(values: result.values, tier: .lanczos, iterations: result.iterations,
                          relativeResidual: result.relativeResidual)
        }
    }
}
