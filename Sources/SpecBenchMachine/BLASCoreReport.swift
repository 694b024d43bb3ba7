/// Which OpenBLAS core a process runs and why: recorded in every manifest and `bench estimate`
/// output, printed by `bench machine`, and handed to child processes through the environment
/// (`BLASCoreSelection.markerVariable`) so that the decision is made once per command.
public struct BLASCoreReport: Codable, Sendable, Equatable {
    /// How the core in use came to be.
    public enum Origin: String, Codable, Sendable {
        /// OpenBLAS chose it from cpuid and it is the best tier for this CPU (or none better passed).
        case detected
        /// The caller set `OPENBLAS_CORETYPE`; kept as given.
        case caller
        /// specbench replaced OpenBLAS's weaker choice by `inUse` after the self-test passed.
        case upgraded
        /// Test seam only: the process was started as if OpenBLAS had detected `inUse`
        /// (`BLASCoreSelection.detectionSeam`); the next start decides as for a detection.
        case simulatedDetection = "simulated-detection"
    }

    /// The core the library runs (`openblas_get_corename`).
    public var inUse: String
    /// What OpenBLAS detected by itself; nil when the caller chose.
    public var detected: String?
    /// The best core for this CPU's features (`OpenBLASCoreTier.bestCore`); nil when unknown.
    public var best: String?
    /// Who chose `inUse`.
    public var origin: Origin
    /// The self-test's verdict on the best core when one ran or was read from the cache:
    /// `passed`, `passed (cached)`, `failed: …`, `failed (cached): …`; nil when none was needed.
    public var selfTest: String?
    /// Whether `inUse` is of a lower tier than `best`: every BLAS-bound time is then slower than
    /// this machine allows (a warning).
    public var weaker: Bool
    /// One sentence for people.
    public var note: String

    /// A report with every field given.
    public init(inUse: String, detected: String?, best: String?, origin: Origin, selfTest: String?, weaker: Bool, note: String) {
        self.inUse = inUse
        self.detected = detected
        self.best = best
        self.origin = origin
        self.selfTest = selfTest
        self.weaker = weaker
        self.note = note
    }

    /// The warning this report calls for, if any.
    public var warning: String? {
        guard weaker else { return nil }
        return "OpenBLAS runs its \(inUse) kernels, weaker than the \(best ?? "?") kernels this CPU can run: BLAS-bound times are slower than this machine allows (\(note))"
    }
}
