import SpecBenchCore
import Foundation
import NumericCore
import SpecBenchMachine
import SpecBenchResults

/// What `bench machine` prints: what the tool sees of this machine and what it will do with it —
/// CPU, features and cores; OpenBLAS's build, the core it detected, the core in use and why;
/// FFTW's version and SIMD codelets; thread settings; the calibrated peaks (what our libraries
/// reach) beside the nominal peak (what the CPU can do); every warning. Calibration ≈ 0.7 s.
public struct MachineDescription: Codable, Sendable {
    /// CPU model name (`/proc/cpuinfo`).
    public var cpuModel: String
    /// cpuid's view (nil where there is no cpuid).
    public var cpuFeatures: CPUFeatures?
    /// The extensions, one line.
    public var cpuFeatureSummary: String
    /// Logical cores.
    public var cores: Int
    /// `debug` or `release`.
    public var buildConfiguration: String
    /// OpenBLAS's build, without the core's name.
    public var openBLASBuild: String
    /// The core decision.
    public var blasCore: BLASCoreReport
    /// FFTW's version string and the SIMD codelets it names (`sse2-avx`).
    public var fftwVersion: String
    public var fftwCodelets: String
    /// Threads the tool will use for BLAS and FFTW.
    public var blasThreads: Int
    public var fftThreads: Int
    /// The OpenBLAS variables in force (`OPENBLAS_CORETYPE`, `OPENBLAS_THREAD_TIMEOUT`, …).
    public var environment: [String: String]
    /// Calibrated peaks at `blasThreads` (nil with `--no-calibration`).
    public var calibratedPeaks: MachinePeaks?
    /// The nominal peak at `blasThreads` cores.
    public var nominalPeak: NominalPeak?
    /// Warnings.
    public var warnings: [String]

    /// Reads this machine with `threads` threads; `calibrate` runs the calibration.
    public static func current(threads: Int, calibrate: Bool) -> MachineDescription {
        ThreadControl.setBLASThreads(threads)
        ThreadControl.setFFTThreads(threads)
        let features = CPUFeatures.current()
        let fftw = ThreadControl.fftwVersion
        let peaks = calibrate ? Calibration.measurePeaks() : nil
        let variables = ["OPENBLAS_CORETYPE", "OPENBLAS_THREAD_TIMEOUT", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "OPENBLAS_L2_SIZE"]
        var environment: [String: String] = [:]
        for name in variables { environment[name] = ProcessInfo.processInfo.environment[name] }
        return MachineDescription(
            cpuModel: ProcessorName.current, cpuFeatures: features, cpuFeatureSummary: features?.summary ?? "unknown (no cpuid)",
            cores: ProcessInfo.processInfo.activeProcessorCount, buildConfiguration: BuildInfo.configuration,
            openBLASBuild: OpenBLASCore.buildConfiguration, blasCore: BLASCoreSelection.current,
            fftwVersion: fftw, fftwCodelets: fftw.split(separator: "-").dropFirst(2).joined(separator: "-"),
            blasThreads: threads, fftThreads: threads, environment: environment, calibratedPeaks: peaks,
            nominalPeak: peaks?.nominal ?? NominalPeak.measure(features: features, cores: threads),
            warnings: MachineWarnings.collect(threads: threads, release: BuildInfo.isRelease, blasCore: BLASCoreSelection.current))
    }

    /// The text `bench machine` prints.
    public var text: String {
        var lines: [String] = []
        func row(_ label: String, _ value: String) { lines.append(label.padding(toLength: 20, withPad: " ", startingAt: 0) + value) }
        row("CPU", "\(cpuModel) (\(cpuFeatures.map { "\($0.vendor) family \($0.family) model \($0.model) stepping \($0.stepping)" } ?? "no cpuid")), \(cores) cores")
        row("features", cpuFeatureSummary)
        row("build", buildConfiguration)
        row("OpenBLAS", openBLASBuild)
        row("  detected", blasCore.detected ?? "— (the caller chose)")
        row("  best here", blasCore.best.map { "\($0) (\(OpenBLASCoreTier.of(core: $0)?.description ?? "?"))" } ?? "—")
        row("  in use", "\(blasCore.inUse) (\(OpenBLASCoreTier.of(core: blasCore.inUse)?.description ?? "unranked")), \(blasCore.origin.rawValue)" + (blasCore.weaker ? ": WEAKER than this CPU allows" : ""))
        if let selfTest = blasCore.selfTest { row("  self-test", selfTest) }
        row("  why", blasCore.note)
        row("FFTW", "\(fftwVersion) (SIMD codelets: \(fftwCodelets.isEmpty ? "none" : fftwCodelets))")
        row("threads", "BLAS \(blasThreads), FFTW \(fftThreads)")
        let set = environment.keys.sorted().map { "\($0)=\(environment[$0]!)" }
        row("environment", set.isEmpty ? "no OpenBLAS variables set" : set.joined(separator: " "))
        if let nominalPeak { row("nominal peak", nominalPeak.summary) }
        if let peaks = calibratedPeaks {
            for (name, rates, nominal) in [("float64", peaks.float64, nominalPeak?.float64), ("float32", peaks.float32, nominalPeak?.float32)] {
                let share = nominal.map { String(format: " (real gemm at %.0f %% of nominal)", 100 * rates.realMatrix / $0) } ?? ""
                row("calibrated \(name)", String(format: "real gemm %.1f, complex gemm %.1f, SVD %.1f, FFT %.1f GFLOP/s",
                                                 rates.realMatrix / 1e9, rates.complexMatrix / 1e9, rates.decomposition / 1e9, rates.transform / 1e9) + share)
            }
        }
        if warnings.isEmpty {
            row("warnings", "none")
        } else {
            for (index, warning) in warnings.enumerated() { row(index == 0 ? "warnings" : "", "- " + warning) }
        }
        return lines.joined(separator: "\n")
    }
}
