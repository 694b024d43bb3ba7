/// Whether to run OpenBLAS with another core than the one in use: a pure function of the CPU's
/// features, the core OpenBLAS loaded and who chose it. O(1).
///
/// The rule: a core the caller set (`OPENBLAS_CORETYPE`) is kept as given (other machines set it
/// because older kernels compute wrong results on some CPUs); a core OpenBLAS detected is
/// replaced by the best core for the CPU's features (`OpenBLASCoreTier.bestCore`) only when it is
/// of a lower tier, and only after that core passes the self-test (`BLASCoreSelfTest`).
public enum BLASCoreDecision: Equatable, Sendable {
    /// Keep the core in use; `weaker` when it is of a lower tier than the best for this CPU (a
    /// warning), with the reason.
    case keep(weaker: Bool, reason: String)
    /// Try this core (self-test first).
    case tryCore(String)

    /// Who chose the core the library loaded.
    public enum Origin: String, Codable, Sendable {
        /// OpenBLAS, from cpuid.
        case detected
        /// The caller, through `OPENBLAS_CORETYPE`.
        case caller
    }

    /// The decision for a CPU with `features` (nil: not x86-64) whose OpenBLAS loaded `loadedCore`,
    /// chosen by `origin`.
    public static func decide(features: CPUFeatures?, loadedCore: String, origin: Origin) -> BLASCoreDecision {
        guard let features else { return .keep(weaker: false, reason: "no cpuid on this architecture: \(loadedCore) kept") }
        guard let best = OpenBLASCoreTier.bestCore(for: features), let bestTier = OpenBLASCoreTier.of(core: best) else {
            return .keep(weaker: false, reason: "\(loadedCore) kept: this CPU has no AVX for a better core")
        }
        guard let loadedTier = OpenBLASCoreTier.of(core: loadedCore) else {
            return .keep(weaker: false, reason: "\(loadedCore) kept: a core name this tool does not rank")
        }
        guard loadedTier < bestTier else {
            return .keep(weaker: false, reason: "\(loadedCore) (\(loadedTier)) is the best tier for this CPU")
        }
        switch origin {
        case .caller:
            return .keep(weaker: true, reason: "OPENBLAS_CORETYPE=\(loadedCore) set by the caller is kept, although this CPU can run \(best) (\(bestTier) against \(loadedTier))")
        case .detected:
            return .tryCore(best)
        }
    }
}
