import Foundation
import SpecBenchCore
import SpecBenchResults

/// `bench submit CONFIG --slurm`: a sweep as a Slurm job array over cost-balanced shards
/// (`ShardPlanner`, `--shard-balance cost`) and a merge job that runs once every task has
/// succeeded (`--dependency=afterok`), merging the shards into the run folder and reporting it.
/// Writes both batch scripts into `RUN/slurm/`, then submits them with `sbatch` (found on the
/// PATH), unless `dryRun`. What it can check it checks (the binary and the config are absolute
/// paths that exist, sbatch is there); that the nodes see the same filesystem it cannot, and says so.
/// O(points × runs) to plan.
public enum SlurmSubmission {
    /// What to submit and how.
    public struct Request: Sendable {
        /// The sweep config.
        public var configPath: String
        /// Array tasks (shards); nil: min(points, 8).
        public var shards: Int?
        /// `--partition`.
        public var partition: String?
        /// `--account`.
        public var account: String?
        /// Array tasks running at once (`%K`); nil: no limit.
        public var concurrency: Int?
        /// Wall-clock seconds per task; nil: from the config's limits and the largest shard.
        public var taskSeconds: Double?
        /// Memory per task in bytes; nil: from the methods' memory needs and the config's per-point
        /// limit (`taskMemory(points:plan:)`).
        public var taskMemory: Int?
        /// Extra `#SBATCH` lines, as given (without the `#SBATCH ` prefix).
        public var extraDirectives: [String]
        /// The run folder (default `results/<name>`).
        public var output: String?
        /// Where the merge job's report writes its figures (`bench report --plots`; default
        /// `plots` in the current folder).
        public var plots: String?
        /// The `bench` binary the nodes run (this one by default).
        public var executable: String
        /// Print the scripts and submit nothing.
        public var dryRun: Bool

        /// A request; see the properties.
        public init(configPath: String, shards: Int? = nil, partition: String? = nil, account: String? = nil, concurrency: Int? = nil,
                    taskSeconds: Double? = nil, taskMemory: Int? = nil, extraDirectives: [String] = [], output: String? = nil, plots: String? = nil,
                    executable: String = PointSupervisor.currentExecutable.path, dryRun: Bool = false) {
            self.configPath = configPath
            self.shards = shards
            self.partition = partition
            self.account = account
            self.concurrency = concurrency
            self.taskSeconds = taskSeconds
            self.taskMemory = taskMemory
            self.extraDirectives = extraDirectives
            self.output = output
            self.plots = plots
            self.executable = executable
            self.dryRun = dryRun
        }
    }

    /// The two scripts and where they go.
    public struct Scripts: Sendable {
        /// The sweep's name (the config's); the jobs are `specbench-NAME` and `specbench-merge-NAME`.
        public var name: String
        /// The config (absolute).
        public var configPath: String
        /// The run folder (absolute).
        public var runFolder: String
        /// Number of array tasks.
        public var shards: Int
        /// The array job's script.
        public var array: String
        /// The merge job's script.
        public var merge: String
        /// What could not be checked from here.
        public var unchecked: [String]
    }

    /// The scripts for `request`; `InvalidInput` for a bad request.
    public static func scripts(_ request: Request) throws -> Scripts {
        let config = URL(fileURLWithPath: request.configPath).standardizedFileURL.path
        let plan = try SweepConfigurationParser.parse(path: config)
        let configuration = plan.configuration
        let points = try SweepPoint.expand(configuration)
        guard !points.isEmpty else { throw InvalidInput("\(request.configPath) has no points: nothing to submit") }
        let shards = request.shards ?? min(points.count, 8)
        guard (1...min(points.count, 10_000)).contains(shards) else {
            throw InvalidInput("invalid --shards \(shards); accepted: 1 to \(min(points.count, 10_000)) (the config has \(points.count) points)")
        }
        if let concurrency = request.concurrency, concurrency < 1 {
            throw InvalidInput("invalid --concurrency \(concurrency); accepted: a positive number of array tasks")
        }
        guard request.executable.hasPrefix("/"), FileManager.default.isExecutableFile(atPath: request.executable) else {
            throw InvalidInput("the bench binary '\(request.executable)' is not an executable file; accepted: an absolute path the nodes can run")
        }
        for line in request.extraDirectives where line.contains("\n") || line.isEmpty {
            throw InvalidInput("invalid --sbatch line '\(line)'; accepted: one sbatch option per line, such as --constraint=avx512")
        }
        let folder = URL(fileURLWithPath: request.output ?? "results/\(configuration.name)").standardizedFileURL.path
        let plots = URL(fileURLWithPath: request.plots ?? "plots").standardizedFileURL.path
        let assignment = ShardPlanner.assignment(of: points, plan: plan, count: shards, balance: .cost)
        let largest = (0..<shards).map { shard in assignment.filter { $0 == shard }.count }.max() ?? 0
        let seconds = request.taskSeconds ?? (configuration.limits.secondsPerPoint * Double(largest) * Double(configuration.processes ?? 1) + 600)
        guard seconds.isFinite, seconds >= 60 else {
            throw InvalidInput("invalid --time \(seconds) s; accepted: at least 60 seconds per task")
        }
        let memory = request.taskMemory ?? taskMemory(points: points, plan: plan)
        let mebibytes = max(1, memory >> 20)
        let cpus = max(configuration.threads.blas, configuration.threads.fft, 1)
        func quoted(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        var common = ["#SBATCH --job-name=specbench-\(configuration.name)"]
        if let partition = request.partition { common.append("#SBATCH --partition=\(partition)") }
        if let account = request.account { common.append("#SBATCH --account=\(account)") }
        common += request.extraDirectives.map { "#SBATCH " + $0 }
        let time = slurmTime(seconds)
        let array = (["#!/bin/bash",
                      "# specbench: one shard of \(configuration.name) per array task (cost-balanced; bench sweep --shard-balance cost).",
                      "# Written by bench submit; a task killed by the scheduler continues with --resume when resubmitted."]
            + common + [
                "#SBATCH --array=1-\(shards)" + (request.concurrency.map { "%\($0)" } ?? ""),
                "#SBATCH --time=\(time)",
                "#SBATCH --mem=\(mebibytes)M",
                "#SBATCH --cpus-per-task=\(cpus)",
                "#SBATCH --output=\(folder)/slurm/shard-%a.out",
                "#SBATCH --open-mode=append",
                "set -uo pipefail",
                "status=0",
                "\(quoted(request.executable)) sweep --config \(quoted(config)) --shard \"${SLURM_ARRAY_TASK_ID}/\(shards)\" --shard-balance cost \\",
                "    --output \(quoted(folder))/shard-\"${SLURM_ARRAY_TASK_ID}\"-of-\(shards) --resume --no-report || status=$?",
                "# 3: the shard finished and recorded some methods' errors in its results; it is complete, so the merge may run.",
                "if [ \"$status\" -eq \(ExitStatus.methodErrors.rawValue) ]; then exit 0; fi",
                "exit \"$status\"",
            ]).joined(separator: "\n") + "\n"
        let shardFolders = (1...shards).map { quoted(folder + "/shard-\($0)-of-\(shards)") }.joined(separator: " ")
        let merge = (["#!/bin/bash",
                      "# specbench: merge the shards of \(configuration.name) and report it, once every array task has succeeded."]
            + common.map { $0.replacingOccurrences(of: "--job-name=specbench-", with: "--job-name=specbench-merge-") } + [
                "#SBATCH --time=01:00:00",
                "#SBATCH --mem=4096M",
                "#SBATCH --cpus-per-task=1",
                "#SBATCH --output=\(folder)/slurm/merge.out",
                "set -euo pipefail",
                "\(quoted(request.executable)) merge \(shardFolders) --output \(quoted(folder))",
                "\(quoted(request.executable)) report \(quoted(folder)) --plots \(quoted(plots))",
            ]).joined(separator: "\n") + "\n"
        let unchecked = ["that the compute nodes see \(request.executable), \(config) and \(folder) at the same paths (a shared filesystem)",
                         "that the nodes' CPUs are those this run should be timed on (pin them with --sbatch --constraint=FEATURE)"]
        return Scripts(name: configuration.name, configPath: config, runFolder: folder, shards: shards, array: array, merge: merge, unchecked: unchecked)
    }


    /// Writes the scripts of `request` into `RUN/slurm/` and submits them with `sbatch` (the
    /// merge job depending on the array's success); records `RUN/slurm/submission.json`.
    public static func submit(_ request: Request, scripts: Scripts) throws -> SlurmSubmissionRecord {
        let folder = URL(fileURLWithPath: scripts.runFolder).appendingPathComponent("slurm")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(scripts.array.utf8).write(to: folder.appendingPathComponent("array.sbatch"))
            try Data(scripts.merge.utf8).write(to: folder.appendingPathComponent("merge.sbatch"))
        } catch {
            throw InvalidInput("cannot write the batch scripts into '\(folder.path)': \(error.localizedDescription)")
        }
        let arrayJob = try SlurmClient.sbatch(["--parsable", folder.appendingPathComponent("array.sbatch").path])
        let mergeJob = try SlurmClient.sbatch(["--parsable", "--dependency=afterok:\(arrayJob)", folder.appendingPathComponent("merge.sbatch").path])
        let submission = SlurmSubmissionRecord(
            name: scripts.name, configPath: scripts.configPath, executable: request.executable, shards: scripts.shards,
            runFolder: scripts.runFolder, mergeJob: mergeJob,
            taskJobs: Dictionary(uniqueKeysWithValues: (1...scripts.shards).map { (String($0), "\(arrayJob)_\($0)") }),
            arrayJobs: [arrayJob])
        try submission.write()
        return submission
    }

    /// The default memory per task: the largest need of any point (`ShardPlanner.memoryNeed`: its
    /// kernel, tables and largest method), doubled because the methods declare lower bounds,
    /// at most the config's per-point limit (beyond it the point's supervisor stops the method),
    /// plus 1 GiB for the sweep and point processes themselves. Asking Slurm for less than a
    /// point can use would let the scheduler kill the whole task instead of the supervisor
    /// recording one method `out-of-memory`; asking for the limit when every need is far below
    /// it would hold memory the cluster could give others.
    static func taskMemory(points: [SweepPoint], plan: SweepPlan) -> Int {
        let largest = points.map { ShardPlanner.memoryNeed(of: $0, plan: plan) }.max() ?? 0
        let limit = plan.configuration.limits.memoryBytesPerPoint
        let need = largest > limit / 2 ? limit : 2 * largest
        return need + (1 << 30)
    }

    /// Points per shard (1-based order) of the config at `configPath` split cost-balanced into
    /// `shards`: the split the array tasks run (`--shard-balance cost`).
    public static func pointsPerShard(configPath: String, shards: Int) throws -> [Int] {
        let plan = try SweepConfigurationParser.parse(path: configPath)
        let points = try SweepPoint.expand(plan.configuration)
        let assignment = ShardPlanner.assignment(of: points, plan: plan, count: shards, balance: .cost)
        return (0..<shards).map { shard in assignment.filter { $0 == shard }.count }
    }

    /// `[D-]HH:MM:SS` of `seconds`, rounded up to a minute.
    static func slurmTime(_ seconds: Double) -> String {
        let minutes = Int((seconds / 60).rounded(.up))
        let (days, rest) = minutes.quotientAndRemainder(dividingBy: 24 * 60)
        let time = String(format: "%02d:%02d:00", rest / 60, rest % 60)
        return days > 0 ? "\(days)-" + time : time
    }
}
