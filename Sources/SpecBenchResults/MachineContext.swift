import SpecBenchCore
import Foundation
import NumericCore
import SpecBenchMachine

/// The context block of every run manifest: where and how the numbers were made (google/benchmark
/// style), so that results from different machines, builds and commits are never confused.
public struct MachineContext: Codable, Sendable, Equatable {
    /// Host name.
    public var host: String
    /// CPU model (`/proc/cpuinfo`).
    public var cpuModel: String
    /// Logical cores.
    public var cores: Int
    /// Kernel release (`uname -r`).
    public var kernelVersion: String
    /// Swift compiler the binary was built with.
    public var swiftVersion: String
    /// `debug` or `release`.
    public var buildConfiguration: String
    /// Git commit of the working tree the run started in, if it is a git checkout.
    public var gitCommit: String?
    /// Whether that working tree had uncommitted changes.
    public var gitDirty: Bool?
    /// OpenBLAS's configuration string.
    public var blasConfiguration: String
    /// OpenBLAS threads used by the points.
    public var blasThreads: Int
    /// FFTW threads used by the points.
    public var fftThreads: Int
    /// FFTW's version string.
    public var fftwVersion: String
    /// The run's seed.
    public var seed: UInt64
    /// The OpenBLAS core in use, what OpenBLAS detected, the best for this CPU and the
    /// self-test's verdict (nil in runs recorded before the core was chosen).
    public var blasCore: BLASCoreReport?
    /// The CPU's vector extensions (`avx2 fma avx512f …`; nil in older runs).
    public var cpuFeatures: String?
    /// What the run warned about at its start (`MachineWarnings`; nil in older runs).
    public var warnings: [String]?

    /// A value with every field given.
    public init(host: String, cpuModel: String, cores: Int, kernelVersion: String, swiftVersion: String, buildConfiguration: String, gitCommit: String?, gitDirty: Bool?, blasConfiguration: String, blasThreads: Int, fftThreads: Int, fftwVersion: String, seed: UInt64, blasCore: BLASCoreReport?, cpuFeatures: String?, warnings: [String]?) {
        self.host = host
        self.cpuModel = cpuModel
        self.cores = cores
        self.kernelVersion = kernelVersion
        self.swiftVersion = swiftVersion
        self.buildConfiguration = buildConfiguration
        self.gitCommit = gitCommit
        self.gitDirty = gitDirty
        self.blasConfiguration = blasConfiguration
        self.blasThreads = blasThreads
        self.fftThreads = fftThreads
        self.fftwVersion = fftwVersion
        self.seed = seed
        self.blasCore = blasCore
        self.cpuFeatures = cpuFeatures
        self.warnings = warnings
    }

    /// The OpenBLAS core the run used: the recorded one, else the name in `blasConfiguration`
    /// (older runs: `OpenBLAS 0.3.21 … DYNAMIC_ARCH NO_AFFINITY Cooperlake MAX_THREADS=64`).
    public var blasCoreInUse: String? {
        if let blasCore { return blasCore.inUse }
        return blasConfiguration.split(separator: " ").map(String.init).first { OpenBLASCoreTier.of(core: $0) != nil }
    }


}
