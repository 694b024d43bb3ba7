import Foundation
import SpecBenchCore
import SpecBenchResults

/// `bench submit --status RUN`: where every shard of a submitted run stands, read from the shard
/// folders (points finished, in `manifest.json` or `in-progress/manifest.json`) and from Slurm's
/// queue (`squeue`): complete, queued or running, interrupted (started, not finished, no longer
/// queued: killed by a time limit, preemption or a node failure), or never started; and the
/// merge job's state. O(shards) files read and one `squeue`.
public struct SlurmRunStatus: Sendable {
    /// Where one shard stands.
    public enum State: Sendable, Equatable {
        /// Finished: its run folder holds every point the split gives it.
        case complete
        /// In Slurm's queue (pending or running) as `job`.
        case queued(SlurmClient.QueuedJob)
        /// Started, not finished, and no longer queued: `bench submit --resume` continues it.
        case interrupted
        /// Not started and not queued.
        case notStarted
    }

    /// One shard.
    public struct Shard: Sendable, Equatable {
        /// 1-based index.
        public var index: Int
        /// Points the split gives it.
        public var points: Int
        /// Points finished so far.
        public var done: Int
        /// Where it stands.
        public var state: State
        /// The array task that last ran it (`123_4`).
        public var job: String?

        /// Whether `bench submit --resume` resubmits it.
        public var needsResubmission: Bool { state == .interrupted || state == .notStarted }
    }

    /// Where the merge stands.
    public enum MergeState: Sendable, Equatable {
        /// The run folder holds the merged run (`points` of `total`).
        case merged(points: Int, total: Int)
        /// The merge job is queued (waiting on the shards) or running.
        case queued(SlurmClient.QueuedJob)
        /// Not merged and no merge job queued.
        case notQueued
    }

    /// The submission read.
    public var record: SlurmSubmissionRecord
    /// Every shard, in order.
    public var shards: [Shard]
    /// The merge.
    public var merge: MergeState

    /// The status of the run submitted into `runFolder`.
    public static func read(runFolder: String) throws -> SlurmRunStatus {
        let record = try SlurmSubmissionRecord.read(runFolder: runFolder)
        let queue = try SlurmClient.queue(names: record.jobNames)
        let byId = Dictionary(queue.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let split = try SlurmSubmission.pointsPerShard(configPath: record.configPath, shards: record.shards)
        let shards = (1...record.shards).map { index -> Shard in
            let job = record.taskJobs[String(index)]
            let progress = shardProgress(RunDirectory(path: record.shardFolder(index)))
            let state: State
            if let job, let queued = byId[job] {
                state = .queued(queued)
            } else if progress.finished {
                state = .complete
            } else {
                state = progress.started ? .interrupted : .notStarted
            }
            return Shard(index: index, points: split[index - 1], done: progress.done, state: state, job: job)
        }
        let merge: MergeState
        if let queued = byId[record.mergeJob] {
            merge = .queued(queued)
        } else if let manifest = try? RunDirectory.readManifest(RunDirectory(path: record.runFolder).manifestURL), manifest.mergedFrom != nil {
            merge = .merged(points: manifest.pointsCompleted, total: manifest.pointsTotal)
        } else {
            merge = .notQueued
        }
        return SlurmRunStatus(record: record, shards: shards, merge: merge)
    }

    /// Points finished in a shard's folder, whether it finished, whether it started.
    static func shardProgress(_ directory: RunDirectory) -> (done: Int, finished: Bool, started: Bool) {
        let inProgress = directory.inProgress.appendingPathComponent("manifest.json")
        if let manifest = try? RunDirectory.readManifest(inProgress) { return (manifest.pointsCompleted, false, true) }
        if let manifest = try? RunDirectory.readManifest(directory.manifestURL) {
            return (manifest.pointsCompleted, manifest.pointsCompleted == manifest.pointsTotal, true)
        }
        return (0, false, FileManager.default.fileExists(atPath: directory.url.path))
    }

    /// Whether the merged run is there with every point.
    public var isDone: Bool {
        if case .merged(let points, let total) = merge { return points == total }
        return false
    }

    /// One line per shard and one for the merge, each saying what to do when something must be done.
    public var lines: [String] {
        let folder = record.runFolder
        var lines = ["\(record.name): \(record.shards) shards of \(shards.map(\.points).reduce(0, +)) points in \(folder)"]
        for shard in shards {
            let head = "shard \(shard.index)/\(record.shards): "
            let count = "\(shard.done) of \(shard.points) points"
            let job = shard.job.map { " (job \($0))" } ?? ""
            switch shard.state {
            case .complete: lines.append(head + "complete, " + count + job)
            case .queued(let queued):
                lines.append(head + queued.state.lowercased() + (queued.state == "RUNNING" ? "" : " (\(queued.reason))") + ", " + count + " (job \(queued.id))")
            case .interrupted:
                lines.append(head + "interrupted at " + count + ", no longer queued" + job + ": bench submit --resume \(folder)")
            case .notStarted:
                lines.append(head + "not started and not queued" + job + ": bench submit --resume \(folder)")
            }
        }
        let waiting = shards.contains(where: \.needsResubmission)
        switch merge {
        case .merged(let points, let total):
            lines.append("merge: done, \(points) of \(total) points in \(folder)")
        case .queued(let queued):
            lines.append("merge: " + queued.state.lowercased() + (queued.state == "RUNNING" ? "" : " (\(queued.reason))") + " (job \(queued.id))"
                         + (waiting ? ": it cannot run until the incomplete shards are resubmitted: bench submit --resume \(folder)" : ""))
        case .notQueued:
            lines.append("merge: not done and not queued (job \(record.mergeJob) ended; see \(folder)/slurm/merge.out): bench submit --resume \(folder)")
        }
        return lines
    }
}
