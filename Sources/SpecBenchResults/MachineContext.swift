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

    /// Reads the context of this machine and process; `blasThreads`/`fftThreads` are the counts
    /// the points will use.
    public static func current(seed: UInt64, blasThreads: Int, fftThreads: Int) -> MachineContext {
        let git = gitState()
        return MachineContext(
            host: ProcessInfo.processInfo.hostName, cpuModel: ProcessorName.current, cores: ProcessInfo.processInfo.activeProcessorCount,
            kernelVersion: kernelRelease(), swiftVersion: BuildInfo.swiftVersion, buildConfiguration: BuildInfo.configuration,
            gitCommit: git.commit, gitDirty: git.dirty, blasConfiguration: ThreadControl.blasConfiguration,
            blasThreads: blasThreads, fftThreads: fftThreads, fftwVersion: ThreadControl.fftwVersion, seed: seed,
            blasCore: BLASCoreSelection.current, cpuFeatures: CPUFeatures.current()?.summary,
            warnings: MachineWarnings.collect(threads: max(blasThreads, fftThreads), release: BuildInfo.isRelease, blasCore: BLASCoreSelection.current))
    }

    /// The OpenBLAS core the run used: the recorded one, else the name in `blasConfiguration`
    /// (older runs: `OpenBLAS 0.3.21 … DYNAMIC_ARCH NO_AFFINITY Cooperlake MAX_THREADS=64`).
    public var blasCoreInUse: String? {
        if let blasCore { return blasCore.inUse }
        return blasConfiguration.split(separator: " ").map(String.init).first { OpenBLASCoreTier.of(core: $0) != nil }
    }

    /// This machine's CPU model as recorded in manifests (`model name` of `/proc/cpuinfo`).
    public static var currentCPUModel: String { ProcessorName.current }

    private static func kernelRelease() -> String {
        (try? String(contentsOfFile: "/proc/sys/kernel/osrelease", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? "unknown"
    }

    private static func gitState() -> (commit: String?, dirty: Bool?) {
        func git(_ arguments: [String]) -> String? {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["git"] + arguments
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = FileHandle.nullDevice
            guard (try? process.run()) != nil else { return nil }
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { return nil }
            return String(decoding: data, as: UTF8.self)
        }
        guard let commit = git(["rev-parse", "HEAD"])?.trimmingCharacters(in: .whitespacesAndNewlines) else { return (nil, nil) }
        let status = git(["status", "--porcelain", "--untracked-files=no"]) ?? ""
        return (commit, !status.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
    }
}

/// Facts about how this binary was built.
public enum BuildInfo {
    /// `debug` or `release` (SwiftPM defines DEBUG in debug builds).
    public static var configuration: String {
        #if DEBUG
        return "debug"
        #else
        return "release"
        #endif
    }

    /// Whether timings from this binary are comparable (release builds only).
    public static var isRelease: Bool { configuration == "release" }

    /// The compiler version this binary was built with.
    public static var swiftVersion: String {
        #if compiler(>=6.5)
        return "6.5 or later"
        #elseif compiler(>=6.4)
        return "6.4"
        #elseif compiler(>=6.3)
        return "6.3"
        #elseif compiler(>=6.2)
        return "6.2"
        #elseif compiler(>=6.1)
        return "6.1"
        #else
        return "6.0"
        #endif
    }

    /// The warning printed when a debug build runs a sweep.
    public static let debugWarning = """
        WARNING: this is a DEBUG build (`swift run` without `-c release`). Its timings are not \
        comparable with release builds and are recorded as buildConfiguration "debug". \
        Use `swift run -c release bench --sweep` for numbers to publish.
        """
}
