import CMachineProbe
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The machine's nominal floating-point peak, from the CPU itself rather than from a library:
/// vector lanes × 2 (an FMA is two operations) × FMA units × cores in use × clock. The clock is
/// measured by a chain of dependent integer additions (one per cycle on every x86-64 core;
/// cpuinfo's MHz is unreliable under hypervisors) and the FMA units by twelve independent FMA
/// chains at the widest vector the CPU and OS allow, so a core that splits its 512-bit FMAs
/// (AMD Zen 4) counts what it really does per cycle. Against it, a fraction says how much of
/// the machine a library reaches; against the calibrated peaks (`MachinePeaks`), how much of
/// its library an implementation reaches. About 0.15 s to measure.
public struct NominalPeak: Codable, Sendable, Equatable {
    /// Clock measured on one core, Hz.
    public var clockHertz: Double
    /// Doubles per vector (8 with AVX-512, 4 with AVX, 2 with SSE2).
    public var doubleLanes: Int
    /// Vector FMA instructions retired per cycle at that width (measured, rounded).
    public var fmaUnits: Int
    /// Cores the peak counts (the run's BLAS threads, at most the machine's cores).
    public var cores: Int

    /// A peak with every field given.
    public init(clockHertz: Double, doubleLanes: Int, fmaUnits: Int, cores: Int) {
        self.clockHertz = clockHertz
        self.doubleLanes = doubleLanes
        self.fmaUnits = fmaUnits
        self.cores = cores
    }

    /// Float64 operations per second on `cores` cores.
    public var float64: Double { Double(doubleLanes * 2 * fmaUnits * cores) * clockHertz }
    /// Float32 operations per second: twice the lanes.
    public var float32: Double { 2 * float64 }

    /// The rate of `float32` or float64 work.
    public func rate(float32 single: Bool) -> Double { single ? float32 : float64 }

    /// Measures this CPU with `cores` cores in use (the clock and the FMA rate on one core; the
    /// others are assumed alike). Nil where the probe cannot run (not x86-64).
    public static func measure(features: CPUFeatures?, cores: Int) -> NominalPeak? {
        guard let features else { return nil }
        let width = features.usableAVX512 ? 512 : (features.usableAVX2FMA ? 256 : 0)
        // Best of short alternating trials, timed in this thread's CPU time so that time spent
        // descheduled on a loaded machine does not count; the first trials also wait for the
        // core to reach its clock.
        let addRounds: UInt64 = 200_000, fmaRounds: UInt64 = 200_000
        var bestClock = 0.0, bestFMA = 0.0
        for _ in 0..<8 {
            let start = threadSeconds()
            _ = specbench_dependent_adds(addRounds)
            let addSeconds = threadSeconds() - start
            if addSeconds > 0 { bestClock = max(bestClock, Double(addRounds) * 64 / addSeconds) }
            if width > 0 {
                let begin = threadSeconds()
                _ = specbench_fma_chains(fmaRounds, Int32(width))
                let fmaSeconds = threadSeconds() - begin
                if fmaSeconds > 0 { bestFMA = max(bestFMA, Double(fmaRounds) * 12 / fmaSeconds) }
            }
        }
        guard bestClock > 0, bestClock.isFinite else { return nil }
        // Without FMA3 a core issues one multiply and one add per cycle: count that as one unit.
        let units = width > 0 ? max(1, Int((bestFMA / bestClock).rounded())) : 1
        let lanes = width == 512 ? 8 : (width == 256 ? 4 : features.doubleLanes)
        return NominalPeak(clockHertz: bestClock, doubleLanes: lanes, fmaUnits: units,
                           cores: max(1, min(cores, ProcessInfo.processInfo.activeProcessorCount)))
    }

    /// This thread's CPU time, seconds.
    private static func threadSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }

    /// One line: `117 GFLOP/s float64 (2 cores × 3.66 GHz × 8 lanes × 2 × 1 FMA unit)`.
    public var summary: String {
        String(format: "%.0f GFLOP/s float64, %.0f float32 (%d core%@ × %.2f GHz × %d lanes × 2 × %d FMA unit%@)",
               float64 / 1e9, float32 / 1e9, cores, cores == 1 ? "" : "s", clockHertz / 1e9, doubleLanes, fmaUnits, fmaUnits == 1 ? "" : "s")
    }
}
