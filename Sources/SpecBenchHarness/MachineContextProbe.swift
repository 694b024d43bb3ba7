import SpecBenchCore
import Foundation
import NumericCore
import SpecBenchMachine
import SpecBenchResults

/// Reading a `MachineContext` from this machine and process (the record itself is schema, in
/// SpecBenchResults): runs git, reads /proc.
extension MachineContext {
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
