/// The project's own pseudo-random generator: xoshiro256** seeded through SplitMix64.
///
/// Swift's `SystemRandomNumberGenerator` is not seedable and Foundation's generators differ by
/// platform; this one gives the same stream for the same seed on every machine. Normal deviates
/// use Marsaglia's polar method with `PortableMath.log` and IEEE `sqrt`, so they are bit-identical
/// everywhere too. Each draw is O(1).
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: (UInt64, UInt64, UInt64, UInt64)
    private var spareNormal: Double?

    /// A generator whose whole stream is determined by `seed`.
    public init(seed: UInt64) {
        state = (Self.splitMix64(state: seed),
                 Self.splitMix64(state: seed &+ 0x9E37_79B9_7F4A_7C15),
                 Self.splitMix64(state: seed &+ 2 &* 0x9E37_79B9_7F4A_7C15),
                 Self.splitMix64(state: seed &+ 3 &* 0x9E37_79B9_7F4A_7C15))
    }

    /// A generator from a raw xoshiro256** state (for checking against reference outputs).
    init(state: (UInt64, UInt64, UInt64, UInt64)) {
        self.state = state
    }

    /// The output of SplitMix64 for a given state: advance by the golden gamma, then mix.
    static func splitMix64(state: UInt64) -> UInt64 {
        var z = state &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A generator for an independent sub-stream: the same `seed` and `stream` always give the
    /// same numbers, and different streams do not overlap in practice. Used to seed the random
    /// start of each method from the run's seed.
    public init(seed: UInt64, stream: String) {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325  // FNV-1a over the stream name
        for byte in stream.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        self.init(seed: seed ^ hash)
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = rotate(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = rotate(state.3, 45)
        return result
    }

    /// A uniform deviate in [0, 1) with 53 random bits.
    public mutating func nextUniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A standard normal deviate (mean 0, variance 1).
    public mutating func nextNormal() -> Double {
        if let spare = spareNormal {
            spareNormal = nil
            return spare
        }
        while true {
            let u = 2 * nextUniform() - 1
            let v = 2 * nextUniform() - 1
            let s = u * u + v * v
            if s > 0 && s < 1 {
                let factor = (-2 * PortableMath.log(s) / s).squareRoot()
                spareNormal = v * factor
                return u * factor
            }
        }
    }

    /// `count` standard normal deviates.
    public mutating func normals(_ count: Int) -> [Double] {
        (0..<count).map { _ in nextNormal() }
    }

    private func rotate(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}
