import SpecBenchResults
import Foundation
import NumericCore
import SpecBenchCore
import SpecBenchMachine
import SpecBenchMethods

/// Runs a sweep: expands the config into points, measures each point in its own child process
/// (`PointSupervisor`), appends its result lines as it ends, and, when all points are done,
/// replaces the run's finished files with the new ones and writes the CSV export.
public enum SweepRunner {
    /// How to run.
    public struct Options: Sendable {
        /// The config file.
        public var configPath: String
        /// The run folder (default `results/<name>`, plus `/shard-I-of-N` for a shard).
        public var output: String?
        /// Continue an interrupted run.
        public var resume = false
        /// Discard an interrupted run and start again.
        public var restart = false
        /// Run one deterministic part of the points.
        public var shard: ShardSelection?
        /// The executable that runs points (this binary by default).
        public var executable: URL = PointSupervisor.currentExecutable
        /// Test-only faults every point is put through (`FaultInjection.fromEnvironment()`,
        /// read by the command line); none by default.
        public var faults: FaultInjection = .none

        /// Options for `configPath`.
        public init(configPath: String) { self.configPath = configPath }
    }

    /// What a finished sweep produced.
    public struct Outcome: Sendable {
        /// The run folder.
        public var directory: RunDirectory
        /// The manifest written.
        public var manifest: RunManifest
        /// All result records of the run.
        public var records: [SweepRecord]
    }

    /// Runs (or resumes) the sweep. Bad configs and unusable run folders are `InvalidInput`.
    public static func run(_ options: Options, log: (String) -> Void = { _ in }) throws -> Outcome {
        guard !(options.resume && options.restart) else {
            throw InvalidInput("--resume and --restart contradict each other: --resume continues an interrupted run, --restart discards it; pass one of them")
        }
        guard let configText = FileManager.default.contents(atPath: options.configPath) else {
            throw InvalidInput("config file '\(options.configPath)' does not exist or cannot be read; the configs shipped are in bench-configs/")
        }
        let plan = try SweepConfigurationParser.parse(path: options.configPath)
        let config = plan.configuration
        let configHash = SHA256.hex(Array(configText))
        let allPoints = try SweepPoint.expand(config)
        let split = options.shard.map { ShardPlanner.assignment(of: allPoints, plan: plan, count: $0.count, balance: $0.balance) }
        let points = options.shard.map { shard in allPoints.indices.filter { split![$0] == shard.index - 1 }.map { allPoints[$0] } } ?? allPoints
        guard points.count <= maximumPoints else {
            throw InvalidInput("\(options.configPath) expands to \(points.count) points (× \(plan.methodsDescription)), more than the \(maximumPoints) one run may hold; narrow the grid or split it with --shard I/N")
        }
        log("\(config.name): \(points.count) points × \(plan.methodsDescription)" + (options.shard.map { " (shard \($0.description) of \(allPoints.count) points)" } ?? ""))
        // Model layers that cannot be benchmarked are named with the reason, never dropped silently.
        // Layers skipped for the same reason share one line (a conv+bn run of a network whose
        // exporter folded its batch norms skips nearly every layer).
        for model in config.models ?? [] {
            let skipped = try ModelLayerSelection.skipped(of: model)
            var reasons: [String] = []
            var names: [String: [String]] = [:]
            for layer in skipped {
                let reason = layer.problem ?? ""
                if names[reason] == nil { reasons.append(reason) }
                names[reason, default: []].append(layer.name)
            }
            let prefix = model.name.map { "model \($0): " } ?? ""
            for reason in reasons {
                let layers = names[reason]!
                let listed = layers.prefix(6).map { "'\($0)'" }.joined(separator: ", ") + (layers.count > 6 ? ", … (\(layers.count) in all)" : "")
                log(layers.count == 1 ? "\(prefix)model layer \(listed) not run: \(reason)" : "\(prefix)\(layers.count) model layers not run (\(listed)): \(reason)")
            }
        }
        let folder = options.output ?? ("results/\(config.name)" + (options.shard.map { "/shard-\($0.index)-of-\($0.count)" } ?? ""))
        let directory = RunDirectory(path: folder)
        let fileManager = FileManager.default
        // One sweep owns the run folder for its whole life (released by the kernel on exit).
        let lock = try RunLock.acquire(folder: directory.url)
        defer { withExtendedLifetime(lock) {} }
        InterruptHandling.install()

        if !BuildInfo.isRelease { log(BuildInfo.debugWarning) }
        // The machine's other warnings (a weaker BLAS core, load, governor, threads), as the
        // manifest records them.
        for warning in MachineWarnings.collect(threads: max(config.threads.blas, config.threads.fft), release: true, blasCore: BLASCoreSelection.current) {
            log("warning: " + warning)
        }
        var manifest: RunManifest
        var records: [SweepRecord] = []
        var previousDuration = 0.0
        if directory.hasRunInProgress {
            guard options.resume || options.restart else {
                throw InvalidInput("an interrupted run of '\(config.name)' is in \(directory.inProgress.path); pass --resume to continue it or --restart to discard it")
            }
        }
        if options.restart { try? fileManager.removeItem(at: directory.inProgress) }
        if options.resume && directory.hasRunInProgress {
            manifest = try RunDirectory.readManifest(directory.inProgress.appendingPathComponent("manifest.json"))
            guard manifest.configHash == configHash else {
                throw InvalidInput("\(options.configPath) changed since the interrupted run in \(directory.inProgress.path) started; use --restart to discard that run")
            }
            guard manifest.shard == options.shard else {
                throw InvalidInput("the interrupted run in \(directory.inProgress.path) was shard \(manifest.shard?.description ?? "none"), not \(options.shard?.description ?? "none")")
            }
            records = try completeRecords(RunDirectory.readRecords(directory.inProgress.appendingPathComponent("results.jsonl"), finished: false), points: points, plan: plan)
            try RunDirectory.writeRecords(records, to: directory.inProgress.appendingPathComponent("results.jsonl"))
            previousDuration = manifest.durationSeconds ?? 0
            log("resuming \(config.name): \(Set(records.map(\.point)).count) of \(points.count) points already done")
        } else {
            if options.resume { log("no interrupted run of '\(config.name)' to resume; starting a new one") }
            try fileManager.createDirectory(at: directory.inProgress, withIntermediateDirectories: true)
            try? fileManager.removeItem(at: directory.inProgress.appendingPathComponent("results.jsonl"))
            ThreadControl.setBLASThreads(config.threads.blas)
            ThreadControl.setFFTThreads(config.threads.fft)
            manifest = RunManifest(
                schemaVersion: RunManifest.currentSchemaVersion, name: config.name, configPath: options.configPath,
                configHash: configHash, configuration: config, shard: options.shard, mergedFrom: nil,
                pointsTotal: points.count, pointsCompleted: 0, startedAt: ISO8601DateFormatter().string(from: Date()),
                finishedAt: nil, durationSeconds: nil,
                context: MachineContext.current(seed: config.seed, blasThreads: config.threads.blas, fftThreads: config.threads.fft),
                calibration: CalibrationRecord(start: Calibration.measure(), end: nil, peaks: Calibration.measurePeaks()))
            manifest.shardPlan = split.map { split in
                Dictionary(uniqueKeysWithValues: zip(allPoints.map(\.id), split.map { $0 + 1 }))
            }
        }
        if options.resume && !records.isEmpty { Self.recordSessionMachine(in: &manifest, done: Set(records.map(\.point)), log: log) }
        let manifestInProgress = directory.inProgress.appendingPathComponent("manifest.json")
        try RunDirectory.writeManifest(manifest, to: manifestInProgress)

        let done = Set(records.map(\.point))
        if let peaks = manifest.calibration?.peaks {
            let remaining = points.filter { !done.contains($0.id) }
            let seconds = Self.idealSeconds(of: remaining, plan: plan, peaks: peaks)
            let duration = seconds >= 86_400 ? String(format: "%.1f days", seconds / 86_400)
                : seconds >= 3_600 ? String(format: "%.1f hours", seconds / 3_600)
                : seconds >= 60 ? String(format: "%.1f minutes", seconds / 60) : ResultFormatting.seconds(seconds)
            log("\(config.name): \(remaining.count) points to run: at least \(duration) of computation "
                + "(the methods' cost models at this machine's calibrated peak rates; measured times are typically 1.5–10× that)")
        }
        let appender = try ResultAppender(url: directory.inProgress.appendingPathComponent("results.jsonl"))
        let supervisor = PointSupervisor(executable: options.executable, limits: config.limits)
        let progress = SweepProgress(total: points.count, alreadyDone: done.count)
        let watch = Stopwatch()
        for point in points where !done.contains(point.id) {
            progress.starting(point)
            let pointRecords = try measure(point, plan: plan, supervisor: supervisor, faults: options.faults)
            try appender.append(pointRecords)
            records += pointRecords
            progress.finished()
            manifest.pointsCompleted = Set(records.map(\.point)).count
            if manifest.machines != nil { manifest.machines![manifest.machines!.count - 1].points.append(point.id) }
            manifest.durationSeconds = previousDuration + watch.elapsedSeconds
            try RunDirectory.writeManifest(manifest, to: manifestInProgress)
        }
        ThreadControl.setBLASThreads(config.threads.blas)
        ThreadControl.setFFTThreads(config.threads.fft)
        // The calibration at the end belongs to the machine of the last session.
        if let last = manifest.machines?.indices.last {
            manifest.machines![last].calibration?.end = Calibration.measure()
        } else {
            manifest.calibration?.end = Calibration.measure()
        }
        manifest.finishedAt = ISO8601DateFormatter().string(from: Date())
        manifest.durationSeconds = previousDuration + watch.elapsedSeconds
        manifest.pointsCompleted = points.count
        records.sort { ($0.pointIndex, methodOrder($0.result.runKey, plan)) < ($1.pointIndex, methodOrder($1.result.runKey, plan)) }

        // Replace the finished run's files only now that the new run is complete.
        directory.removeStaleTables()
        try RunDirectory.writeRecords(records, to: directory.resultsURL)
        try RunDirectory.writeManifest(manifest, to: directory.manifestURL)
        try CSVExport.write(records, of: manifest, to: directory.csvURL)
        try fileManager.removeItem(at: directory.inProgress)
        progress.close(message: "\(config.name): \(points.count) points in \(ResultFormatting.seconds(manifest.durationSeconds))")
        return Outcome(directory: directory, manifest: manifest, records: records)
    }

    /// On `--resume`: when this machine is another than the one the run's last session measured
    /// on (CPU model or OpenBLAS core; `MachineIdentity`), starts a new `MachineGroup` for the
    /// points measured from now on (the first session's group gets the points `done` so far),
    /// with this machine's context and calibration, and says so; the sweep appends each finished
    /// point to the last group whenever the run has groups. O(points).
    static func recordSessionMachine(in manifest: inout RunManifest, done: Set<String>, log: (String) -> Void) {
        let here = MachineContext.current(seed: manifest.configuration.seed, blasThreads: manifest.configuration.threads.blas,
                                          fftThreads: manifest.configuration.threads.fft)
        // The nominal peak is not measured before the machine is known to differ.
        let last = manifest.machines?.last?.context ?? manifest.context
        guard let difference = MachineIdentity(context: here, calibration: nil)
            .difference(from: MachineIdentity(context: last, calibration: nil)) else { return }
        log("warning: resuming \(manifest.name) on another machine than its last session's (\(difference)); "
            + "the points measured from here on are recorded as measured on this machine, and reports compare times only within one machine")
        if manifest.machines == nil {
            manifest.machines = [MachineGroup(origin: "session 1", context: manifest.context, calibration: manifest.calibration, points: done.sorted())]
        }
        let session = (manifest.machines?.count ?? 0) + 1
        manifest.machines!.append(MachineGroup(origin: "session \(session)", context: here,
                                               calibration: CalibrationRecord(start: Calibration.measure(), end: nil, peaks: Calibration.measurePeaks()),
                                               points: []))
    }

    /// A lower bound on the computing time of `points`: every run's operation count (its cost
    /// model at its configured iterations, the reference at the tier it will take with no Lanczos
    /// product counted; `ShardPlanner.operationCounts`), times its runs, at the calibrated peak
    /// rate of its kind of work. Points whose geometry is invalid and methods that do not apply
    /// count nothing. O(points × method runs).
    static func idealSeconds(of points: [SweepPoint], plan: SweepPlan, peaks: MachinePeaks) -> Double {
        points.reduce(0) { total, point in
            ShardPlanner.operationCounts(of: point, plan: plan, lanczosProducts: 0).reduce(total) {
                $0 + $1.times * peaks.rates($1.precision).idealSeconds($1.count)
            }
        }
    }

    /// Measures one point: refusals are decided here, the rest run in a child process; then
    /// relative errors and guarantees are filled against the point's reference.
    static func measure(_ point: SweepPoint, plan: SweepPlan, supervisor: PointSupervisor, faults: FaultInjection = .none) throws -> [SweepRecord] {
        let config = plan.configuration
        let geometry = try point.operator.geometry()
        let topK = min(config.topK, geometry.rank)
        var results: [String: MethodResult] = [:]
        var planned: [PlannedRun] = []
        for run in plan.runs.map({ $0.fitted(toTopK: topK) }) {
            if let refusal = MethodRunner.refusal(of: run.run, on: geometry) {
                results[run.key] = refusal
            } else {
                planned.append(run)
            }
        }
        if !planned.isEmpty {
            let referenceSettings = plan.referenceSettings
            let task = PointTask(point: point, methods: planned, seed: config.seed, topK: topK, threads: config.threads,
                                 normalize: config.kernel.normalize, reference: referenceSettings, faults: faults,
                                 limits: config.limits)
            let measurements = (0..<(config.processes ?? 1)).map { _ in supervisor.run(task) }
            for (index, run) in planned.enumerated() {
                results[run.key] = pool(measurements.map { $0[index] })
            }
            // Every other method of the point is judged against the reference: a failed
            // reference (a crash, a passing overload) is retried once, alone, before it counts.
            if let failed = results[ReferenceMethod.id], failed.status != .ok && failed.status != .notApplicable,
               let reference = planned.first(where: { $0.run.id == ReferenceMethod.id && $0.clip == nil }) {
                var retry = task
                retry.methods = [reference]
                var second = supervisor.run(retry)[0]
                if second.status != .ok {
                    second.message = "failed twice; first: \(failed.message ?? failed.status.rawValue); then: \(second.message ?? second.status.rawValue)"
                }
                results[ReferenceMethod.id] = second
            }
        }
        let reference = results[ReferenceMethod.id].flatMap { $0.status == .ok ? $0.value : nil }
        return plan.runs.map { run in
            var result = results[run.key]!
            if let reference, run.clip == nil, run.run.id != ReferenceMethod.id { result.compare(toReference: reference) }
            return SweepRecord(point: point, reference: reference, result: result)
        }
    }

    /// The most points one run (or shard) may hold: a grid larger than this is refused before
    /// anything runs (10⁶ points would take days and a results file of gigabytes).
    public static let maximumPoints = 100_000

    /// Exit status of a sweep that finished but in which some method ended in `error`.
    public static let exitStatusWithMethodErrors: Int32 = ExitStatus.methodErrors.rawValue

    /// Lines summarising the records whose method ended in `error` (at most `limit` listed),
    /// empty when there are none.
    public static func errorSummary(_ records: [SweepRecord], limit: Int = 20) -> [String] {
        let failures = records.filter { $0.result.status == .error }
        guard !failures.isEmpty else { return [] }
        var lines = ["\(failures.count) method result\(failures.count == 1 ? "" : "s") ended in error:"]
        for record in failures.prefix(limit) {
            let message = (record.result.message ?? "").split(separator: "\n").first.map(String.init) ?? ""
            lines.append("  \(record.result.method) at \(record.point): \(message.prefix(200))")
        }
        if failures.count > limit { lines.append("  … and \(failures.count - limit) more (status \"error\" in results.jsonl)") }
        return lines
    }

    /// One result from the same method measured in several processes: repetitions pooled in
    /// process order, the first process's values (a note if another differs), the largest peak,
    /// the median setup time. A failure in any process is the result.
    static func pool(_ results: [MethodResult]) -> MethodResult {
        guard results.count > 1 else { return results[0] }
        if let failed = results.first(where: { $0.status != .ok }) { return failed }
        var pooled = results[0]
        let samples = results.flatMap { $0.timing?.samples ?? [] }
        let cpuSamples = results.flatMap { $0.timing?.cpuSamples ?? [] }
        if !samples.isEmpty {
            let timing = TimingStatistics(samples: samples, cpuSamples: cpuSamples.count == samples.count ? cpuSamples : nil)
            pooled.timing = timing
            pooled.seconds = timing.median
        }
        pooled.peakBytes = results.compactMap(\.peakBytes).max()
        let setups = results.compactMap(\.setupSeconds).sorted()
        if !setups.isEmpty { pooled.setupSeconds = TimingStatistics.quantile(setups, 0.5) }
        if results.contains(where: { $0.values != pooled.values }) {
            pooled.message = [pooled.message, "values differ between the point's processes"].compactMap { $0 }.joined(separator: "; ")
        }
        return pooled
    }

    /// Keeps the records of points whose every method has a line (a point cut by a kill runs again).
    static func completeRecords(_ records: [SweepRecord], points: [SweepPoint], plan: SweepPlan) throws -> [SweepRecord] {
        let expected = Set(plan.runs.map(\.key))
        let known = Set(points.map(\.id))
        var byPoint: [String: [SweepRecord]] = [:]
        for record in records where known.contains(record.point) { byPoint[record.point, default: []].append(record) }
        let complete = Set(byPoint.filter { Set($0.value.map(\.result.runKey)) == expected && $0.value.count == expected.count }.keys)
        return records.filter { complete.contains($0.point) }
    }

    private static func methodOrder(_ key: String, _ plan: SweepPlan) -> Int {
        plan.runs.firstIndex { $0.key == key } ?? Int.max
    }
}
