/// The kernel sets ("cores") of a `DYNAMIC_ARCH` OpenBLAS build, ranked by the widest vector
/// instructions they use, and the best one for a CPU's features. OpenBLAS picks its core from
/// `cpuid` when it loads and can pick a generic one on a CPU it does not recognise (a virtual
/// Intel Xeon with AVX-512 gets `Prescott`, SSE3: 3.5× slower at 128 channels, platform.md).
public enum OpenBLASCoreTier: Int, Codable, Sendable, Comparable, CustomStringConvertible {
    /// SSE-class kernels (Prescott, Core2, Penryn, Dunnington, Nehalem, Atom, Opteron, Barcelona, …).
    case sse = 0
    /// 256-bit AVX without FMA3 kernels (Sandybridge, Bulldozer, Piledriver, Steamroller, Excavator).
    case avx = 1
    /// AVX2 + FMA3 (Haswell, Zen).
    case avx2 = 2
    /// AVX-512 (SkylakeX, Cooperlake, Sapphirerapids).
    case avx512 = 3

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String {
        switch self {
        case .sse: return "SSE"
        case .avx: return "AVX"
        case .avx2: return "AVX2+FMA"
        case .avx512: return "AVX-512"
        }
    }

    /// The tier of a core name as `openblas_get_corename()` spells it (case ignored); nil for a
    /// name this table does not know (then no decision is made about it).
    public static func of(core name: String) -> OpenBLASCoreTier? {
        switch name.lowercased() {
        case "skylakex", "cooperlake", "sapphirerapids": return .avx512
        case "haswell", "zen": return .avx2
        case "sandybridge", "bulldozer", "piledriver", "steamroller", "excavator": return .avx
        case "prescott", "core2", "penryn", "dunnington", "nehalem", "atom", "opteron", "opteron(sse3)",
             "opteron_sse3", "barcelona", "bobcat", "katmai", "coppermine", "northwood", "banias", "generic":
            return .sse
        default: return nil
        }
    }

    /// The core OpenBLAS 0.3.21 offers for these features: Cooperlake (AVX-512 with BF16) or
    /// SkylakeX (AVX-512), whatever the vendor; with AVX2 + FMA, Zen on AMD and Haswell
    /// otherwise; with AVX only, Bulldozer on AMD and Sandybridge otherwise; nil with less
    /// (nothing better than what OpenBLAS chose).
    public static func bestCore(for features: CPUFeatures) -> String? {
        if features.usableAVX512 { return features.avx512bf16 ? "Cooperlake" : "SkylakeX" }
        if features.usableAVX2FMA { return features.isAMD ? "Zen" : "Haswell" }
        if features.usableAVX { return features.isAMD ? "Bulldozer" : "Sandybridge" }
        return nil
    }
}
