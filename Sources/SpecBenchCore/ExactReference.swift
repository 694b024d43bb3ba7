import NumericCore

/// The exact reference every method is judged against: the top singular values of the operator
/// `A` of docs/methods.md §1.
///
/// Up to the dense limit (the larger side of `A` at most `denseLimit`, default 4096) it builds the
/// explicit unrolled matrix column-major and calls values-only `LAPACKE_dgesdd`: O(rows·cols·
/// min(rows, cols)) time, `rows·cols` doubles of memory. Above it, it names its tier:
/// `fft-block-svd` for circular padding (exact by block-diagonalisation, see `CircularSpectrum`)
/// for zero padding `plain-lanczos` for the top value (see `PlainLanczos`: the Lanczos recurrence
/// on the Gram operator, relative residual below 1e-12, O(N) memory) and `restarted-lanczos` for
/// several (see `RestartedLanczos`: ARPACK, memory bounded by a 40-vector basis). The full-
/// reorthogonalisation `lanczos` tier docs/methods.md §2 describes gives the same values to 1e-10 and
/// is kept as the second tier that checks it (forced only). A power iteration is never called a
/// reference.
public struct ExactReference: Sendable {
    /// Settings of a reference computation.
    public struct Settings: Codable, Sendable, Hashable {
        /// Largest side of `A` computed densely.
        public var denseLimit: Int
        /// Relative residual the `restarted-lanczos` and `lanczos` tiers must reach.
        public var lanczosTolerance: Double
        /// Budget of the Lanczos tiers: Gram products per solve (`restarted-lanczos`), steps
        /// (`lanczos`).
        public var lanczosMaximumIterations: Int
        /// Basis size (vectors kept) of the `restarted-lanczos` tier.
        public var lanczosBasisSize: Int = RestartedLanczos.defaultBasisSize

        /// Defaults of docs/methods.md §2: dense up to 4096, Lanczos to 1e-12 within 3000 steps.
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
        /// Gram products (`restarted-lanczos`) or steps (`lanczos`), when a Lanczos tier ran.
        public var iterations: Int?
        /// Largest relative residual of the accepted triplets, when a Lanczos tier ran.
        public var relativeResidual: Double?
    }

    /// The settings in force.
    public let settings: Settings

    /// A reference with the given settings.
    public init(settings: Settings = Settings()) { self.settings = settings }

    /// The tier that will be used for the top `count` values of `geometry`. A grouped layer is
    /// solved group by group (docs/methods.md §5), each group in the tier of the whole layer:
    /// dense only while the layer's own `A` is within the dense limit (144 groups of 3136 columns
    /// each solved densely cost 144 dgesdd of 3136², ~15 minutes, where Lanczos on each group's
    /// one-channel operator takes seconds).
    public func tier(for geometry: ConvolutionGeometry, count: Int = 1) -> ReferenceTier {
        if max(geometry.rows, geometry.columns) <= settings.denseLimit { return .dense }
        if geometry.padding == .circular { return .fftBlockSVD }
        return count == 1 ? .plainLanczos : .restartedLanczos
    }

    /// The memory `topSingularValues` needs on `geometry` for `count` values in the tier it
    /// would use (or `forcedTier`): dense, the unrolled matrix with one column of slack and
    /// dgesdd's workspace; fft-block-svd, `CircularSpectrum.memoryNeed`; restarted-lanczos, its
    /// basis and ARPACK's work vectors on the smaller side, the found vectors, the other side's
    /// intermediate and one operator application (bounded: this is its whole need); lanczos, both
    /// bases for its first `2·count + 20` steps, their Ritz problem and one operator application (a lower
    /// bound: the bases grow with every step). Saturating; O(1).
    /// A grouped layer's groups are solved one after another: the need of one group.
    public func memoryNeed(on layer: ConvolutionGeometry, count: Int, forcing forcedTier: ReferenceTier? = nil) -> MemoryNeed {
        let chosen = forcedTier ?? tier(for: layer, count: count)
        let geometry = layer.perGroup
        let count = min(count, geometry.rank)
        let rows = geometry.rows, columns = geometry.columns
        let smaller = min(rows, columns), larger = max(rows, columns)
        switch chosen {
        case .dense:
            return .doubles(rows, columns) + .doubles(rows) + .doubles(3 * smaller + max(larger, 7 * smaller))
                + .doubles(64, larger + smaller) + .elements(8, smaller, size: 4)
        case .fftBlockSVD:
            return CircularSpectrum.memoryNeed(problem: CircularProblem(geometry), top: count)
        case .plainLanczos:
            // four vectors of the smaller side, the intermediate of the larger, the tridiagonal.
            return .doubles(4, smaller) + .doubles(larger) + .doubles(4, settings.lanczosMaximumIterations)
                + geometry.applicationMemory()
        case .restartedLanczos:
            let basis = min(smaller, max(settings.lanczosBasisSize, 2 * count + 1))
            // basis, resid, 3 work vectors, the found vectors (twice while sorted), the product's
            // copies in and out, the residual check's vectors, the deflation coefficients.
            return .doubles(basis + 10 + 3 * count, smaller) + .doubles(larger) + .doubles(basis, basis + 8)
                + geometry.applicationMemory()
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
        if geometry.groups > 1 {
            // Block-diagonal: the union of the groups' values (docs/methods.md §5), each group in
            // the layer's tier.
            let layerTier = forcedTier ?? tier(for: geometry, count: count)
            var values: [Double] = [], iterations: Int?, residual: Double?, tier: ReferenceTier?
            for (index, group) in linearOperator.groupOperators.enumerated() {
                let groupCount = min(count, group.geometry.rank)
                let groupTier = layerTier == .plainLanczos && groupCount > 1 ? .restartedLanczos : layerTier
                let answer = try topSingularValues(
                    of: group, count: groupCount, seed: seed &+ UInt64(index), forcing: groupTier)
                values += answer.values
                tier = tier ?? answer.tier
                if let steps = answer.iterations { iterations = (iterations ?? 0) + steps }
                if let r = answer.relativeResidual { residual = max(residual ?? 0, r) }
            }
            return Answer(values: Array(values.sorted(by: >).prefix(count)), tier: tier ?? .dense,
                          iterations: iterations, relativeResidual: residual)
        }
        let tier = forcedTier ?? tier(for: geometry, count: count)
        switch tier {
        case .dense:
            let matrix = UnrolledMatrix.build(kernel: linearOperator.kernel, geometry: geometry)
            let values = try LAPACK.singularValues(
                rows: geometry.rows, columns: geometry.columns, buffer: matrix, order: .columnMajor)
            return Answer(values: Array(values.prefix(count)), tier: .dense)
        case .fftBlockSVD:
            precondition(geometry.padding == .circular, "fft-block-svd is exact for circular padding only")
            let values = try CircularSpectrum.singularValues(
                kernel: linearOperator.kernel, problem: CircularProblem(geometry), top: count, in: Double.self)
            return Answer(values: values, tier: .fftBlockSVD)
        case .plainLanczos:
            precondition(count == 1, "plain-lanczos finds the top value only")
            var generator = SeededGenerator(seed: seed, stream: "plain-lanczos")
            let result = try PlainLanczos.largestSingularValue(
                of: linearOperator, tolerance: settings.lanczosTolerance, productBudget: settings.lanczosMaximumIterations,
                start: generator.normals(PlainLanczos.gramDimension(of: linearOperator)))
            return Answer(values: result.values, tier: .plainLanczos, iterations: result.iterations,
                          relativeResidual: result.relativeResidual)
        case .restartedLanczos:
            let result = try RestartedLanczos.topSingularValues(
                of: linearOperator, count: count, tolerance: settings.lanczosTolerance,
                productBudget: settings.lanczosMaximumIterations, basisSize: settings.lanczosBasisSize, seed: seed)
            return Answer(values: result.values, tier: .restartedLanczos, iterations: result.iterations,
                          relativeResidual: result.relativeResidual)
        case .lanczos:
            let result = try LanczosBidiagonalization.topSingularValues(
                of: linearOperator, count: count, tolerance: settings.lanczosTolerance,
                maximumIterations: settings.lanczosMaximumIterations, seed: seed)
            return Answer(values: result.values, tier: .lanczos, iterations: result.iterations,
                          relativeResidual: result.relativeResidual)
        }
    }
}
