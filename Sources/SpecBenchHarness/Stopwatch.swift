#if canImport(Glibc)
import SpecBenchCore
import SpecBenchResults
import Glibc
#endif

/// Timing for measurements: monotonic wall-clock time, and the CPU time of the whole process
/// (all threads). On a shared machine the CPU time of a compute-bound method hardly depends on
/// what other processes do, which makes it the steadier clock for regression gates.
public struct Stopwatch: Sendable {
    private let start: ContinuousClock.Instant
    private let cpuStart: Double

    /// Starts timing now.
    public init() {
        cpuStart = Self.processCPUSeconds()
        start = ContinuousClock.now
    }

    /// Wall-clock seconds since start.
    public var elapsedSeconds: Double {
        let duration = ContinuousClock.now - start
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) * 1e-18
    }

    /// CPU seconds the process used since start (every thread).
    public var elapsedCPUSeconds: Double { Self.processCPUSeconds() - cpuStart }

    /// The process's CPU time so far (`CLOCK_PROCESS_CPUTIME_ID`).
    public static func processCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }
}
