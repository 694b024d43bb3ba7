import CMachineProbe

/// What the CPU says about itself through `cpuid` and `xgetbv`: vendor, family/model/stepping,
/// the vector extensions that decide which OpenBLAS kernels can run (AVX, AVX2, FMA, AVX-512
/// F/BW/DQ/VL, AVX-512 BF16), and whether the operating system saves the wide registers (a CPU
/// may have AVX-512 while the OS does not enable it). Read once; O(1).
public struct CPUFeatures: Codable, Sendable, Equatable {
    /// `GenuineIntel`, `AuthenticAMD`, …
    public var vendor: String
    /// Display family, model and stepping (the extended fields folded in as Intel and AMD define).
    public var family: Int
    /// Display model.
    public var model: Int
    /// Stepping.
    public var stepping: Int
    /// AVX (256-bit floating point).
    public var avx: Bool
    /// AVX2 (256-bit integer).
    public var avx2: Bool
    /// FMA3.
    public var fma: Bool
    /// AVX-512 foundation, byte/word, doubleword/quadword and vector-length extensions: what
    /// OpenBLAS's SkylakeX kernels use.
    public var avx512f: Bool
    public var avx512bw: Bool
    public var avx512dq: Bool
    public var avx512vl: Bool
    /// AVX-512 BF16: the Cooperlake kernel set's addition.
    public var avx512bf16: Bool
    /// The OS saves the 256-bit registers (XCR0 bits 1 and 2).
    public var osSavesYMM: Bool
    /// The OS saves the AVX-512 state (XCR0 bits 5–7).
    public var osSavesZMM: Bool

    /// Features with every field given (tests build real CPUs' features this way).
    public init(vendor: String, family: Int, model: Int, stepping: Int = 0, avx: Bool, avx2: Bool, fma: Bool,
                avx512f: Bool = false, avx512bw: Bool = false, avx512dq: Bool = false, avx512vl: Bool = false,
                avx512bf16: Bool = false, osSavesYMM: Bool = true, osSavesZMM: Bool = true) {
        self.vendor = vendor
        self.family = family
        self.model = model
        self.stepping = stepping
        self.avx = avx
        self.avx2 = avx2
        self.fma = fma
        self.avx512f = avx512f
        self.avx512bw = avx512bw
        self.avx512dq = avx512dq
        self.avx512vl = avx512vl
        self.avx512bf16 = avx512bf16
        self.osSavesYMM = osSavesYMM
        self.osSavesZMM = osSavesZMM
    }

    /// AVX-512 as OpenBLAS's SkylakeX kernels need it: F, BW, DQ and VL, with the OS saving it.
    public var usableAVX512: Bool { avx512f && avx512bw && avx512dq && avx512vl && osSavesZMM && osSavesYMM }
    /// AVX2 and FMA with the OS saving the 256-bit registers: what the Haswell and Zen kernels need.
    public var usableAVX2FMA: Bool { avx2 && fma && osSavesYMM }
    /// AVX with the OS saving the 256-bit registers.
    public var usableAVX: Bool { avx && osSavesYMM }
    /// An AMD (or Hygon, the same cores) CPU.
    public var isAMD: Bool { vendor == "AuthenticAMD" || vendor == "HygonGenuine" }

    /// The widest vector of doubles this CPU and OS can use for floating point: 8 (AVX-512),
    /// 4 (AVX) or 2 (SSE2).
    public var doubleLanes: Int { usableAVX512 ? 8 : (usableAVX ? 4 : 2) }

    /// The extensions present, for reports (`avx2 fma avx512f …`).
    public var summary: String {
        var names: [String] = []
        if avx { names.append("avx") }
        if avx2 { names.append("avx2") }
        if fma { names.append("fma") }
        if avx512f { names.append("avx512f") }
        if avx512bw { names.append("avx512bw") }
        if avx512dq { names.append("avx512dq") }
        if avx512vl { names.append("avx512vl") }
        if avx512bf16 { names.append("avx512bf16") }
        if avx512f && !osSavesZMM { names.append("(AVX-512 state not enabled by the OS)") }
        if avx && !osSavesYMM { names.append("(AVX state not enabled by the OS)") }
        return names.isEmpty ? "sse2 only" : names.joined(separator: " ")
    }

    /// This CPU's features; nil where `cpuid` does not exist (not x86-64).
    public static func current() -> CPUFeatures? {
        func cpuid(_ leaf: UInt32, _ subleaf: UInt32 = 0) -> (eax: UInt32, ebx: UInt32, ecx: UInt32, edx: UInt32)? {
            var registers: (UInt32, UInt32, UInt32, UInt32) = (0, 0, 0, 0)
            let supported = withUnsafeMutableBytes(of: &registers) { raw in
                specbench_cpuid(leaf, subleaf, raw.baseAddress!.assumingMemoryBound(to: UInt32.self))
            }
            return supported == 0 ? nil : (registers.0, registers.1, registers.2, registers.3)
        }
        guard let leaf0 = cpuid(0), let leaf1 = cpuid(1) else { return nil }
        func bit(_ value: UInt32, _ index: UInt32) -> Bool { (value >> index) & 1 == 1 }
        var vendorBytes: [UInt8] = []
        for register in [leaf0.ebx, leaf0.edx, leaf0.ecx] {
            for shift in stride(from: UInt32(0), to: 32, by: 8) { vendorBytes.append(UInt8((register >> shift) & 0xff)) }
        }
        let baseFamily = Int((leaf1.eax >> 8) & 0xf), baseModel = Int((leaf1.eax >> 4) & 0xf)
        let family = baseFamily == 0xf ? baseFamily + Int((leaf1.eax >> 20) & 0xff) : baseFamily
        let model = (baseFamily == 0x6 || baseFamily == 0xf) ? baseModel + (Int((leaf1.eax >> 16) & 0xf) << 4) : baseModel
        let osxsave = bit(leaf1.ecx, 27)
        let xcr0 = osxsave ? specbench_xgetbv0() : 0
        let leaf7 = leaf0.eax >= 7 ? cpuid(7, 0) : nil
        let leaf7s1 = leaf0.eax >= 7 ? cpuid(7, 1) : nil
        return CPUFeatures(
            vendor: String(decoding: vendorBytes, as: UTF8.self), family: family, model: model,
            stepping: Int(leaf1.eax & 0xf),
            avx: bit(leaf1.ecx, 28), avx2: leaf7.map { bit($0.ebx, 5) } ?? false, fma: bit(leaf1.ecx, 12),
            avx512f: leaf7.map { bit($0.ebx, 16) } ?? false, avx512bw: leaf7.map { bit($0.ebx, 30) } ?? false,
            avx512dq: leaf7.map { bit($0.ebx, 17) } ?? false, avx512vl: leaf7.map { bit($0.ebx, 31) } ?? false,
            avx512bf16: leaf7s1.map { bit($0.eax, 5) } ?? false,
            osSavesYMM: xcr0 & 0x6 == 0x6, osSavesZMM: xcr0 & 0xe0 == 0xe0)
    }
}
