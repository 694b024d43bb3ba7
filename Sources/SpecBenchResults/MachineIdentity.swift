import SpecBenchCore
import SpecBenchMachine

/// What makes two runs' times comparable as "the same machine": the CPU model, the OpenBLAS core
/// the BLAS-bound methods ran on (the same CPU with another core is 2–4× apart), and the CPU's
/// nominal peak (the same model name under another hypervisor or clock). Runs recorded before the
/// core and the nominal peak were kept compare on what they have (the core from OpenBLAS's
/// configuration string, which names it).
public struct MachineIdentity: Sendable, Equatable {
    /// CPU model name.
    public var cpuModel: String
    /// The OpenBLAS core in use, when known.
    public var blasCore: String?
    /// Nominal float64 peak, operations per second, when measured.
    public var nominalFloat64: Double?

    /// Relative difference of nominal peaks above which two machines are not the same: the clock
    /// measurement repeats within a few percent; a change of host or turbo setting moves it more.
    public static let nominalTolerance = 0.2

    /// An identity with every field given.
    public init(cpuModel: String, blasCore: String?, nominalFloat64: Double?) {
        self.cpuModel = cpuModel
        self.blasCore = blasCore
        self.nominalFloat64 = nominalFloat64
    }

    /// The identity of the machine a run was measured on (its first, when `machines` lists several).
    public init(_ manifest: RunManifest) {
        self.init(context: manifest.context, calibration: manifest.calibration)
    }

    /// The identity of the machine `context` describes, with the nominal peak per core from
    /// `calibration` when it measured one.
    public init(context: MachineContext, calibration: CalibrationRecord?) {
        self.init(cpuModel: context.cpuModel, blasCore: context.blasCoreInUse,
                  nominalFloat64: calibration?.peaks?.nominal.map { $0.float64 / Double($0.cores) })
    }

    /// Why `other` is another machine than this one, or nil when they are the same as far as
    /// both know. Nominal peaks are compared per core.
    public func difference(from other: MachineIdentity) -> String? {
        var reasons: [String] = []
        if cpuModel != other.cpuModel { reasons.append("CPU \(cpuModel) against \(other.cpuModel)") }
        if let a = blasCore, let b = other.blasCore, a.lowercased() != b.lowercased() {
            reasons.append("OpenBLAS core \(a) against \(b)")
        }
        if let a = nominalFloat64, let b = other.nominalFloat64, abs(a - b) > Self.nominalTolerance * max(a, b) {
            reasons.append(String(format: "nominal peak %.1f against %.1f GFLOP/s per core", a / 1e9, b / 1e9))
        }
        return reasons.isEmpty ? nil : reasons.joined(separator: "; ")
    }
}
