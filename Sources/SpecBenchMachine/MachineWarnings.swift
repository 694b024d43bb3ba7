import Foundation

/// Conditions under which this machine's times are not what it can do, said the way
/// google/benchmark says them: a generic BLAS kernel that could not be upgraded, a debug build,
/// a load average above the cores left free, a CPU frequency governor other than
/// `performance`, more threads asked than cores. Each a one-line sentence; O(1) file reads.
public enum MachineWarnings {
    /// What a process that will use `threads` threads should warn about now. `release` is
    /// whether the binary is a release build; the files are parameters for tests.
    public static func collect(
        threads: Int, release: Bool, blasCore: BLASCoreReport,
        cores: Int = ProcessInfo.processInfo.activeProcessorCount,
        loadAveragePath: String = "/proc/loadavg",
        governorPath: String = "/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor"
    ) -> [String] {
        var warnings: [String] = []
        if let warning = blasCore.warning { warnings.append(warning) }
        if !release {
            warnings.append("this is a debug build: its times are not comparable with a release build's (swift run -c release)")
        }
        if threads > cores {
            warnings.append("\(threads) threads asked for on \(cores) cores: threads will wait for one another")
        }
        if let text = try? String(contentsOfFile: loadAveragePath, encoding: .utf8),
           let first = text.split(separator: " ").first, let load = Double(first) {
            let free = Double(cores) - load
            if free < Double(min(threads, cores)) - 0.5 {
                warnings.append(String(format: "load average %.2f on %d cores at start: about %.1f cores free for %d threads; times will be slower and noisier", load, cores, max(0, free), threads))
            }
        }
        if let governor = (try? String(contentsOfFile: governorPath, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines),
           !governor.isEmpty, governor != "performance" {
            warnings.append("CPU frequency governor '\(governor)', not 'performance': the clock may change during the run")
        }
        return warnings
    }
}
