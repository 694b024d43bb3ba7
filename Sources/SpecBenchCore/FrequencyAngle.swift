/// A 2-D frequency `ω = (ω₁, ω₂)` in radians, at which a kernel's symbol
/// `K̂(ω) = Σ_{dy,dx} K[:, :, dy, dx]·e^{−i(ω₁·dy + ω₂·dx)}` is evaluated (docs/methods.md §1).
public struct FrequencyAngle: Sendable, Hashable {
    /// Angle along rows (pairs with `dy`).
    public var rows: Double
    /// Angle along columns (pairs with `dx`).
    public var columns: Double

    /// A frequency from its two angles in radians.
    public init(rows: Double, columns: Double) {
        self.rows = rows
        self.columns = columns
    }

    /// The DFT frequency `2π·(u/height, v/width)`.
    public init(u: Int, v: Int, height: Int, width: Int) {
        rows = 2 * Double.pi * Double(u) / Double(height)
        columns = 2 * Double.pi * Double(v) / Double(width)
    }
}

/// The half of an `height × width` DFT grid that, for a real kernel, determines the whole
/// spectrum: columns `v = 0…⌊width/2⌋`, every row `u`. `K̂(−ω)` is the conjugate of `K̂(ω)`, so
/// it has the same singular values; `multiplicity` says how many grid points (1 or 2) each
/// listed frequency stands for, so multiplicities sum to `height·width`.
public struct HalfFrequencyGrid: Sendable {
    /// The listed frequencies, row-major over `(u, v)` with `v ≤ width/2`.
    public let frequencies: [FrequencyAngle]
    /// How many points of the full grid each listed frequency stands for (1 or 2).
    public let multiplicities: [Int]

    /// The half grid of an `height × width` DFT. O(height·width/2).
    public init(height: Int, width: Int) {
        var frequencies: [FrequencyAngle] = []
        var multiplicities: [Int] = []
        let halfWidth = width / 2
        for u in 0..<height {
            for v in 0...halfWidth {
                frequencies.append(FrequencyAngle(u: u, v: v, height: height, width: width))
                let selfConjugateColumn = v == 0 || (width % 2 == 0 && v == halfWidth)
                multiplicities.append(selfConjugateColumn ? 1 : 2)
            }
        }
        self.frequencies = frequencies
        self.multiplicities = multiplicities
    }
}
