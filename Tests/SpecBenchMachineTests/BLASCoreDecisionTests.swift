import Testing
@testable import SpecBenchMachine

/// The decision (CPU features + the core OpenBLAS loaded + who chose it → core to try, or none)
/// over real CPUs: their cpuid family/model and extensions, and the cores Debian's OpenBLAS
/// 0.3.21 picked or could pick on them.
@Suite struct BLASCoreDecisionTests {
    /// A virtual Intel Xeon with AVX-512 and BF16 ("Intel(R) Xeon(R) Processor", family 6 model
    /// 207): the issue's machine, where OpenBLAS detects Prescott.
    static let virtualXeon = CPUFeatures(vendor: "GenuineIntel", family: 6, model: 207, avx: true, avx2: true, fma: true,
                                         avx512f: true, avx512bw: true, avx512dq: true, avx512vl: true, avx512bf16: true)
    /// Skylake-SP (family 6 model 85): AVX-512 without BF16.
    static let skylakeServer = CPUFeatures(vendor: "GenuineIntel", family: 6, model: 85, avx: true, avx2: true, fma: true,
                                           avx512f: true, avx512bw: true, avx512dq: true, avx512vl: true)
    /// AMD EPYC Zen 4 (family 25 model 17): AVX-512 with BF16 — this project's CI machine, where
    /// OpenBLAS 0.3.21 detects Cooperlake.
    static let zen4 = CPUFeatures(vendor: "AuthenticAMD", family: 25, model: 17, avx: true, avx2: true, fma: true,
                                  avx512f: true, avx512bw: true, avx512dq: true, avx512vl: true, avx512bf16: true)
    /// AMD EPYC Zen 2 (family 23 model 49): AVX2 + FMA.
    static let zen2 = CPUFeatures(vendor: "AuthenticAMD", family: 23, model: 49, avx: true, avx2: true, fma: true)
    /// Intel Haswell (family 6 model 63).
    static let haswell = CPUFeatures(vendor: "GenuineIntel", family: 6, model: 63, avx: true, avx2: true, fma: true)
    /// Intel Sandy Bridge (family 6 model 45): AVX only.
    static let sandyBridge = CPUFeatures(vendor: "GenuineIntel", family: 6, model: 45, avx: true, avx2: false, fma: false)
    /// Intel Goldmont Atom (family 6 model 92): no AVX.
    static let goldmont = CPUFeatures(vendor: "GenuineIntel", family: 6, model: 92, avx: false, avx2: false, fma: false)
    /// A Skylake-SP whose hypervisor does not enable the AVX-512 state (XCR0 bits 5–7 clear).
    static let skylakeWithoutZMM = CPUFeatures(vendor: "GenuineIntel", family: 6, model: 85, avx: true, avx2: true, fma: true,
                                               avx512f: true, avx512bw: true, avx512dq: true, avx512vl: true, osSavesZMM: false)

    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let features: CPUFeatures?
        let loaded: String
        let origin: BLASCoreDecision.Origin
        /// The core to try, or nil to keep the loaded one.
        let expectedTry: String?
        /// With `expectedTry == nil`: whether the kept core is reported weaker.
        let expectedWeaker: Bool
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "virtual Xeon AVX-512, OpenBLAS detects Prescott (the issue's case)", features: virtualXeon, loaded: "Prescott", origin: .detected, expectedTry: "Cooperlake", expectedWeaker: false),
        Case(name: "virtual Xeon, Haswell detected", features: virtualXeon, loaded: "Haswell", origin: .detected, expectedTry: "Cooperlake", expectedWeaker: false),
        Case(name: "virtual Xeon, SkylakeX detected: same tier, kept", features: virtualXeon, loaded: "SkylakeX", origin: .detected, expectedTry: nil, expectedWeaker: false),
        Case(name: "Skylake-SP, Prescott detected", features: skylakeServer, loaded: "Prescott", origin: .detected, expectedTry: "SkylakeX", expectedWeaker: false),
        Case(name: "Skylake-SP, SkylakeX detected", features: skylakeServer, loaded: "SkylakeX", origin: .detected, expectedTry: nil, expectedWeaker: false),
        Case(name: "Zen 4, Cooperlake detected (this project's machine)", features: zen4, loaded: "Cooperlake", origin: .detected, expectedTry: nil, expectedWeaker: false),
        Case(name: "Zen 4, Zen detected", features: zen4, loaded: "Zen", origin: .detected, expectedTry: "Cooperlake", expectedWeaker: false),
        Case(name: "Zen 2, Prescott detected", features: zen2, loaded: "Prescott", origin: .detected, expectedTry: "Zen", expectedWeaker: false),
        Case(name: "Zen 2, Zen detected", features: zen2, loaded: "Zen", origin: .detected, expectedTry: nil, expectedWeaker: false),
        Case(name: "Zen 2, Haswell detected: same tier", features: zen2, loaded: "Haswell", origin: .detected, expectedTry: nil, expectedWeaker: false),
        Case(name: "Haswell, Sandybridge detected", features: haswell, loaded: "Sandybridge", origin: .detected, expectedTry: "Haswell", expectedWeaker: false),
        Case(name: "Sandy Bridge, Prescott detected", features: sandyBridge, loaded: "Prescott", origin: .detected, expectedTry: "Sandybridge", expectedWeaker: false),
        Case(name: "Goldmont, Atom detected: nothing better", features: goldmont, loaded: "Atom", origin: .detected, expectedTry: nil, expectedWeaker: false),
        Case(name: "AVX-512 not enabled by the OS, Haswell detected", features: skylakeWithoutZMM, loaded: "Haswell", origin: .detected, expectedTry: nil, expectedWeaker: false),
        Case(name: "AVX-512 not enabled by the OS, Prescott detected", features: skylakeWithoutZMM, loaded: "Prescott", origin: .detected, expectedTry: "Haswell", expectedWeaker: false),
        Case(name: "caller's Prescott on the virtual Xeon: kept, weaker", features: virtualXeon, loaded: "Prescott", origin: .caller, expectedTry: nil, expectedWeaker: true),
        Case(name: "caller's Haswell on Zen 4: kept, weaker", features: zen4, loaded: "Haswell", origin: .caller, expectedTry: nil, expectedWeaker: true),
        Case(name: "caller's Cooperlake on Zen 4: kept", features: zen4, loaded: "Cooperlake", origin: .caller, expectedTry: nil, expectedWeaker: false),
        Case(name: "a core name not ranked: kept", features: virtualXeon, loaded: "NeoverseN1", origin: .detected, expectedTry: nil, expectedWeaker: false),
        Case(name: "no cpuid (not x86-64): kept", features: nil, loaded: "armv8", origin: .detected, expectedTry: nil, expectedWeaker: false),
    ]

    @Test("the core to use for real CPUs and cores", arguments: cases)
    func decision(_ c: Case) {
        let decision = BLASCoreDecision.decide(features: c.features, loadedCore: c.loaded, origin: c.origin)
        switch decision {
        case .tryCore(let core):
            #expect(core == c.expectedTry)
        case .keep(let weaker, _):
            #expect(c.expectedTry == nil, "expected to try \(c.expectedTry ?? "")")
            #expect(weaker == c.expectedWeaker)
        }
    }

    @Test("core names rank case-insensitively as openblas_get_corename spells them")
    func tiers() {
        #expect(OpenBLASCoreTier.of(core: "PRESCOTT") == .sse)
        #expect(OpenBLASCoreTier.of(core: "zen") == .avx2)
        #expect(OpenBLASCoreTier.of(core: "Cooperlake") == .avx512)
        #expect(OpenBLASCoreTier.of(core: "SkylakeX")! > OpenBLASCoreTier.of(core: "Haswell")!)
        #expect(OpenBLASCoreTier.of(core: "Bulldozer")! < OpenBLASCoreTier.of(core: "Zen")!)
    }
}
