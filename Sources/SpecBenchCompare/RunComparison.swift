import SpecBenchCore
import Foundation
import NumericCore
import SpecBenchResults

/// `bench compare BASELINE NEW`: two sweep runs compared point by point and method by method.
///
/// - time: ratio of medians, significant only if the one-sided Mann–Whitney test over the
///   repetitions agrees (noise alone does not fail), and only above a minimum duration;
/// - peak memory: ratio, above a minimum change;
/// - accuracy: the value must not move by more than the threshold (same seed), a held guarantee
///   must not become broken, and a method that ran must still run.
/// Times can be normalised for machine speed: by the runs' calibration workloads (a baseline
/// from another machine still means something), or by the median ratio over all comparisons.
public struct RunComparison: Sendable {
    /// How times are normalised before comparing.
    public enum Normalization: String, Sendable, CaseIterable {
        /// Compare raw seconds.
        case none
        /// Divide by the ratio of the runs' calibration scores (dgemm and FFT workloads).
        case calibration
        /// Divide by the median time ratio over all compared (point, method) pairs.
        case median
        /// Divide each point's ratios by the median ratio of the methods at that point. The
        /// methods of a point run interleaved in one process, so this cancels whatever made that
        /// process faster or slower, while one method's own slowdown still stands out.
        case point
        /// `calibration` when the machines differ, else `none`.
        case auto
    }

    /// Which time is compared.
    public enum Clock: String, Sendable, CaseIterable {
        /// CPU seconds of the point's process: steady on a shared machine (other processes'
        /// load does not count), used whenever both runs recorded it.
        case cpu
        /// Wall-clock seconds, as the figures show.
        case wall
    }

    /// What kind of change a finding is.
    public enum Kind: String, Sendable, Codable {
        /// Worse than the baseline beyond the thresholds.
        case regression
        /// Better than the baseline beyond the thresholds.
        case improvement
    }

    /// One regression or improvement.
    public struct Finding: Sendable, Equatable {
        /// Regression or improvement.
        public var kind: Kind
        /// `time`, `memory`, `value`, `guarantee`, `status` or `missing`.
        public var metric: String
        /// The point's id.
        public var point: String
        /// The method.
        public var method: String
        /// Human-readable detail (ratio, p-value, values).
        public var detail: String
        /// The ratio new/baseline, for time and memory.
        public var ratio: Double?
    }

    /// The comparison's outcome.
    public struct Report: Sendable {
        /// Every regression and improvement found.
        public var findings: [Finding]
        /// (point, method) pairs compared.
        public var compared: Int
        /// Time ratios judged (normalised), for the spread summary.
        public var timeRatios: [Double]
        /// Notes: machine differences, normalisation used, configs that differ.
        public var notes: [String]
        /// The normalisation factor applied to the new run's times.
        public var normalization: Double

        /// Whether any regression was found.
        public var hasRegression: Bool { findings.contains { $0.kind == .regression } }
        /// Whether any improvement was found.
        public var hasImprovement: Bool { findings.contains { $0.kind == .improvement } }

        /// Exit code: 0 nothing, 2 a regression, 4 improvements only.
        /// The gate's verdict as an exit status: regression, improvements only, or success.
        public var exitStatus: ExitStatus { hasRegression ? .regression : (hasImprovement ? .improvementsOnly : .success) }
    }

    /// The thresholds in force.
    public var thresholds: Thresholds
    /// The time normalisation.
    public var normalization: Normalization
    /// The clock compared (CPU time falls back to wall time where a run did not record it).
    public var clock: Clock

    /// The components several methods share that the gate watches (`SharedComponent`); the
    /// command line derives them from the method catalog, so that the gate names no method.
    public var sharedComponents: [SharedComponent]
    /// Which records each run must hold (`RunExpectation`).
    public var expectation: RunExpectation

    /// A comparison; see the properties.
    public init(thresholds: Thresholds = .default, normalization: Normalization = .auto, clock: Clock = .cpu,
                sharedComponents: [SharedComponent] = [], expecting expectation: RunExpectation) {
        self.sharedComponents = sharedComponents
        self.expectation = expectation
        self.thresholds = thresholds
        self.normalization = normalization
        self.clock = clock
    }

    /// The un-normalised ratio of median times, new over baseline, when both ran and the
    /// baseline is long enough to judge.
    func rawTimeRatio(base: MethodResult, new: MethodResult) -> Double? {
        guard base.status == .ok, new.status == .ok, let x = timing(new)?.median, let y = timing(base)?.median, y > 0,
              y >= thresholds.limits(for: base.method).minimumSeconds else { return nil }
        return x / y
    }

    /// The samples and median of `result` on the chosen clock.
    func timing(_ result: MethodResult) -> (samples: [Double], median: Double)? {
        if clock == .cpu, let timing = result.timing, let samples = timing.cpuSamples, let median = timing.cpuMedian {
            return (samples, median)
        }
        guard let median = result.seconds else { return nil }
        return (result.timing?.samples ?? [median], median)
    }

    /// Compares the finished runs in the folders `baseline` and `new`.
    public func compare(baseline: String, new: String) throws -> Report {
        let base = try RunDirectory(path: baseline).loadFinished(expecting: expectation)
        let candidate = try RunDirectory(path: new).loadFinished(expecting: expectation)
        try thresholds.checkMethods(Set((base.records + candidate.records).map(\.result.method)))
        return compare(baseline: (base.manifest, base.records), new: (candidate.manifest, candidate.records))
    }

    /// Compares two runs given by their manifests and records.
    public func compare(baseline: (RunManifest, [SweepRecord]), new: (RunManifest, [SweepRecord])) -> Report {
        var notes: [String] = []
        let (baseManifest, baseRecords) = baseline
        let (newManifest, newRecords) = new
        let a = baseManifest.context, b = newManifest.context
        let identityDifference = MachineIdentity(baseManifest).difference(from: MachineIdentity(newManifest))
        let machinesDiffer = identityDifference != nil || a.cores != b.cores || a.host != b.host
        // A run whose points were measured on several machines (merged shards): times compare
        // only where a point was measured on the same machine in both runs.
        let baseMachines = RunMachines(baseManifest), newMachines = RunMachines(newManifest)
        let mixed = baseMachines.isMixed || newMachines.isMixed
        if let note = baseMachines.note { notes.append("the baseline: " + note) }
        if let note = newMachines.note { notes.append("the new run: " + note) }
        if machinesDiffer && !mixed {
            notes.append("the machines differ: baseline on \(a.host) (\(a.cpuModel), \(a.cores) cores), new on \(b.host) (\(b.cpuModel), \(b.cores) cores)"
                         + (identityDifference.map { ": \($0)" } ?? ""))
        }
        if a.buildConfiguration != b.buildConfiguration || a.buildConfiguration != "release" {
            notes.append("build configurations: baseline \(a.buildConfiguration), new \(b.buildConfiguration); only release timings are comparable")
        }
        if a.blasThreads != b.blasThreads || a.fftThreads != b.fftThreads {
            notes.append("thread counts differ: baseline BLAS \(a.blasThreads)/FFT \(a.fftThreads), new BLAS \(b.blasThreads)/FFT \(b.fftThreads)")
        }
        if baseManifest.configHash != newManifest.configHash {
            notes.append("the runs come from different config texts (hash \(baseManifest.configHash.prefix(12)) vs \(newManifest.configHash.prefix(12))); matching points are compared")
        }
        let sameSeed = baseManifest.configuration.seed == newManifest.configuration.seed
        if !sameSeed { notes.append("the seeds differ: values are not compared") }

        let calibrationRatio: Double? = {
            guard let base = baseManifest.calibration?.score, let new = newManifest.calibration?.score, base > 0 else { return nil }
            return new / base
        }()
        if let calibrationRatio {
            notes.append(String(format: "calibration (dgemm + FFT): the new machine/run is %.2f× the baseline's time", calibrationRatio))
        }

        var baseIndex: [String: SweepRecord] = [:]
        for record in baseRecords { baseIndex[record.point + "\u{0}" + record.result.runKey] = record }
        var pairs: [(base: SweepRecord, new: SweepRecord)] = []
        var findings: [Finding] = []
        var seen = Set<String>()
        for record in newRecords {
            let key = record.point + "\u{0}" + record.result.runKey
            seen.insert(key)
            if let base = baseIndex[key] { pairs.append((base, record)) }
        }
        let basePrecisions = Set(baseRecords.map(\.result.precision)).sorted()
        let newPrecisions = Set(newRecords.map(\.result.precision)).sorted()
        if basePrecisions != newPrecisions {
            let names = { (list: [Precision]) in list.map(\.rawValue).joined(separator: ", ") }
            notes.append("precisions differ: the baseline has \(names(basePrecisions)), the new run \(names(newPrecisions)); "
                + "results are matched by method and precision (a baseline without the precision axis is float64)")
        }
        for record in baseRecords where !seen.contains(record.point + "\u{0}" + record.result.runKey) {
            findings.append(Finding(kind: .regression, metric: "missing", point: record.point, method: record.result.runKey,
                                    detail: "in the baseline, not in the new run", ratio: nil))
        }

        var crossMachine = Set<String>()
        if mixed {
            for (base, new) in pairs where baseMachines.machine(ofPoint: base.point).identity
                .difference(from: newMachines.machine(ofPoint: new.point).identity) != nil {
                crossMachine.insert(base.point)
            }
            let points = Set(pairs.map(\.base.point)).count
            notes.append("times of \(crossMachine.count) of \(points) points are not compared: measured on different machines in the two runs (values, guarantees, statuses and memory are)")
        }
        // Only pairs measured on one machine have comparable times.
        let timedPairs = pairs.filter { !crossMachine.contains($0.base.point) }

        // Time normalisation: new seconds are divided by `factor`, or by the point's factor.
        var factor = 1.0
        var pointFactors: [String: Double] = [:]
        let mode: Normalization = normalization == .auto ? (machinesDiffer && !mixed ? .calibration : .none) : normalization
        switch mode {
        case .calibration where mixed:
            // Each point by the calibration of the machines it was measured on in the two runs.
            for (base, _) in timedPairs {
                if let b = baseMachines.machine(ofPoint: base.point).calibration?.score, let n = newMachines.machine(ofPoint: base.point).calibration?.score, b > 0 {
                    pointFactors[base.point] = n / b
                }
            }
            notes.append("times are compared after calibration of each point's machines")
        case .calibration:
            if let calibrationRatio {
                factor = calibrationRatio
                notes.append(String(format: "times are compared after calibration: new times divided by %.3f", factor))
            } else {
                notes.append("a run has no calibration; times are compared raw")
            }
        case .median:
            let ratios = timedPairs.compactMap { rawTimeRatio(base: $0.base.result, new: $0.new.result) }.sorted()
            if !ratios.isEmpty {
                factor = TimingStatistics.quantile(ratios, 0.5)
                notes.append(String(format: "times are compared relative to the run-wide median ratio %.3f", factor))
            }
        case .point:
            let byPoint = Dictionary(grouping: timedPairs, by: { $0.base.point })
            for (point, group) in byPoint {
                let ratios = group.compactMap { rawTimeRatio(base: $0.base.result, new: $0.new.result) }.sorted()
                // A median needs company: with fewer than three timed methods, compare raw.
                pointFactors[point] = ratios.count >= 3 ? TimingStatistics.quantile(ratios, 0.5) : 1
            }
            let spread = pointFactors.values.sorted()
            if let low = spread.first, let high = spread.last {
                notes.append(String(format: "times are compared relative to each point's median ratio (%.3f to %.3f)", low, high))
            }
        case .none, .auto:
            break
        }

        notes.append(clock == .cpu ? "times: CPU seconds of each point's process (wall time where a run has none)" : "times: wall-clock seconds")
        var timeRatios: [Double] = []
        for (base, new) in pairs {
            let limits = thresholds.limits(for: base.result.method)
            let r0 = base.result, r1 = new.result
            // Status.
            if r0.status == .ok && r1.status != .ok {
                findings.append(Finding(kind: .regression, metric: "status", point: base.point, method: r0.runKey,
                                        detail: "ok → \(r1.status.rawValue)\(r1.message.map { ": \($0)" } ?? "")", ratio: nil))
                continue
            }
            if r0.status != .ok && r0.status != .notApplicable && r1.status == .ok {
                findings.append(Finding(kind: .improvement, metric: "status", point: base.point, method: r0.runKey,
                                        detail: "\(r0.status.rawValue) → ok", ratio: nil))
            }
            guard r0.status == .ok, r1.status == .ok else { continue }
            // Accuracy.
            if sameSeed, let v0 = r0.value, let v1 = r1.value {
                let moved = abs(v1 - v0) / max(abs(v0), .leastNormalMagnitude)
                if moved > limits.value {
                    findings.append(Finding(kind: .regression, metric: "value", point: base.point, method: r0.runKey,
                                            detail: String(format: "value moved by %.3g (relative): %.12g → %.12g", moved, v0, v1), ratio: nil))
                }
            }
            if r0.guaranteeHeld == true && r1.guaranteeHeld == false {
                findings.append(Finding(kind: .regression, metric: "guarantee", point: base.point, method: r0.runKey,
                                        detail: "the \(r1.guarantee?.rawValue ?? "claimed") guarantee held and is now broken", ratio: nil))
            } else if r0.guaranteeHeld == false && r1.guaranteeHeld == true {
                findings.append(Finding(kind: .improvement, metric: "guarantee", point: base.point, method: r0.runKey,
                                        detail: "the \(r1.guarantee?.rawValue ?? "claimed") guarantee was broken and now holds", ratio: nil))
            }
            // Time.
            if !crossMachine.contains(base.point), let (s0, m0) = timing(r0), let (s1, m1) = timing(r1), m0 >= limits.minimumSeconds, m0 > 0 {
                let factor = pointFactors[base.point] ?? factor
                let scaled = s1.map { $0 / factor }
                let ratio = (m1 / factor) / m0
                timeRatios.append(ratio)
                if ratio > limits.time {
                    let p = MannWhitneyU.pGreater(scaled, s0)
                    if p < limits.alpha {
                        findings.append(Finding(kind: .regression, metric: "time", point: base.point, method: r0.runKey,
                                                detail: String(format: "%.2f× slower", ratio) + " (median \(ResultFormatting.seconds(m0)) → \(ResultFormatting.seconds(m1 / factor))"
                                                    + String(format: ", p = %.2g, n = %d/%d)", p, s0.count, s1.count),
                                                ratio: ratio))
                    }
                } else if ratio < 1 / limits.time {
                    let p = MannWhitneyU.pGreater(s0, scaled)
                    if p < limits.alpha {
                        findings.append(Finding(kind: .improvement, metric: "time", point: base.point, method: r0.runKey,
                                                detail: String(format: "%.2f× faster", 1 / ratio) + " (median \(ResultFormatting.seconds(m0)) → \(ResultFormatting.seconds(m1 / factor))"
                                                    + String(format: ", p = %.2g)", p),
                                                ratio: ratio))
                    }
                }
            }
            // Memory.
            if let b0 = r0.peakBytes, let b1 = r1.peakBytes, abs(b1 - b0) >= limits.minimumBytes {
                let ratio = Double(b1) / Double(max(b0, 1))
                if ratio > limits.memory {
                    findings.append(Finding(kind: .regression, metric: "memory", point: base.point, method: r0.runKey,
                                            detail: String(format: "%.2f× more peak memory", ratio) + " (\(ResultFormatting.bytes(b0)) → \(ResultFormatting.bytes(b1)))",
                                            ratio: ratio))
                } else if ratio < 1 / limits.memory {
                    findings.append(Finding(kind: .improvement, metric: "memory", point: base.point, method: r0.runKey,
                                            detail: String(format: "%.2f× less peak memory", 1 / ratio) + " (\(ResultFormatting.bytes(b0)) → \(ResultFormatting.bytes(b1)))",
                                            ratio: ratio))
                }
            }
        }
        findings += sharedComponentFindings(pairs: timedPairs, pointFactors: pointFactors, factor: factor)
        return Report(findings: findings, compared: pairs.count, timeRatios: timeRatios, notes: notes, normalization: factor)
    }

    /// A component several methods spend most of their time in: a slowdown of it moves all of
    /// their times by about the same factor, which may stay under each method's own threshold.
    public struct SharedComponent: Sendable {
        /// How findings name it.
        public var name: String
        /// Whether a result's time is mostly this component.
        public var contains: @Sendable (MethodResult) -> Bool

        /// A component named `name`, containing the results `contains` accepts.
        public init(name: String, contains: @escaping @Sendable (MethodResult) -> Bool) {
            self.name = name
            self.contains = contains
        }
    }

    /// One finding per shared component whose results, over every point, got slower (or faster)
    /// by a geometric-mean ratio beyond `thresholds.sharedTime`, significant by a one-sided
    /// Mann–Whitney test on all their repetitions pooled, each divided by its baseline median.
    func sharedComponentFindings(pairs: [(base: SweepRecord, new: SweepRecord)], pointFactors: [String: Double], factor: Double) -> [Finding] {
        var findings: [Finding] = []
        for component in sharedComponents {
            var logRatios: [Double] = []
            var pooledBase: [Double] = [], pooledNew: [Double] = []
            for (base, new) in pairs where component.contains(base.result) && component.contains(new.result) {
                let limits = thresholds.limits(for: base.result.method)
                guard base.result.status == .ok, new.result.status == .ok,
                      let (s0, m0) = timing(base.result), let (s1, m1) = timing(new.result), m0 >= limits.minimumSeconds, m0 > 0 else { continue }
                let scale = pointFactors[base.point] ?? factor
                logRatios.append(Foundation.log((m1 / scale) / m0))
                pooledBase += s0.map { $0 / m0 }
                pooledNew += s1.map { $0 / scale / m0 }
            }
            guard logRatios.count >= 2 else { continue }
            let ratio = Foundation.exp(logRatios.reduce(0, +) / Double(logRatios.count))
            let alpha = thresholds.defaults.alpha
            let detail = String(format: "%.2f× ", ratio >= 1 ? ratio : 1 / ratio) + (ratio >= 1 ? "slower" : "faster")
                + " over its \(logRatios.count) results (geometric mean of their median ratios)"
            if ratio > thresholds.sharedTime {
                let p = MannWhitneyU.pGreater(pooledNew, pooledBase)
                if p < alpha {
                    findings.append(Finding(kind: .regression, metric: "time", point: "all points", method: component.name,
                                            detail: detail + String(format: ", p = %.2g", p), ratio: ratio))
                }
            } else if ratio < 1 / thresholds.sharedTime {
                let p = MannWhitneyU.pGreater(pooledBase, pooledNew)
                if p < alpha {
                    findings.append(Finding(kind: .improvement, metric: "time", point: "all points", method: component.name,
                                            detail: detail + String(format: ", p = %.2g", p), ratio: ratio))
                }
            }
        }
        return findings
    }
}
