import Foundation
import SpecBenchCore
import SpecBenchResults

/// `bench submit --resume RUN`: after a task was killed by the scheduler (time limit,
/// preemption, node failure), resubmits only the shards that are neither complete nor queued,
/// as a new array over those indices running the same `array.sbatch` (each task continues its
/// shard with `--resume`, losing at most the point in flight), and a new merge job after them
/// and after any task of the earlier arrays still queued. The earlier merge job, which waits on
/// an array that can no longer succeed, is cancelled. With every shard complete and no merge, it
/// submits the merge alone. O(shards).
public enum SlurmResubmission {
    /// What a resubmission did.
    public struct Outcome: Sendable {
        /// The shards resubmitted (1-based).
        public var shards: [Int]
        /// The new array job, when shards were resubmitted.
        public var arrayJob: String?
        /// The new merge job, when one was submitted.
        public var mergeJob: String?
        /// The merge job cancelled, if one was waiting.
        public var cancelledMerge: String?
        /// The record after the resubmission.
        public var record: SlurmSubmissionRecord
        /// The merge job before the resubmission.
        public var previousMergeJob: String

        /// What was done, in one line.
        public var summary: String {
            guard let mergeJob else { return "nothing to resume: \(record.runFolder) is merged with every point" }
            guard arrayJob != nil || mergeJob != previousMergeJob else {
                return "nothing to resubmit: every shard is complete or queued, and merge job \(mergeJob) waits for them"
            }
            let array = arrayJob.map { "shard\(shards.count == 1 ? "" : "s") \(shards.map(String.init).joined(separator: ", ")) of \(record.shards) resubmitted as array job \($0); " } ?? "every shard is complete or queued; "
            return array + "merge job \(mergeJob) after them" + (cancelledMerge.map { " (merge job \($0), which could no longer run, cancelled)" } ?? "")
        }
    }

    /// Resubmits what the run in `runFolder` lacks; see the type's comment.
    public static func resume(runFolder: String) throws -> Outcome {
        let status = try SlurmRunStatus.read(runFolder: runFolder)
        var record = status.record
        let missing = status.shards.filter(\.needsResubmission).map(\.index)
        let stillQueued = status.shards.compactMap { shard -> String? in
            if case .queued(let job) = shard.state { return job.id }
            return nil
        }
        var cancelled: String?
        switch status.merge {
        case .merged(let points, let total) where points == total && missing.isEmpty:
            return Outcome(shards: [], arrayJob: nil, mergeJob: nil, cancelledMerge: nil, record: record, previousMergeJob: status.record.mergeJob)
        case .queued where missing.isEmpty:
            // Every shard is complete or queued and the merge waits on them: nothing to do.
            return Outcome(shards: [], arrayJob: nil, mergeJob: record.mergeJob, cancelledMerge: nil, record: record, previousMergeJob: status.record.mergeJob)
        case .queued(let job):
            try SlurmClient.cancel([job.id])
            cancelled = job.id
        default:
            break
        }
        let folder = record.slurmFolder
        let arrayScript = folder.appendingPathComponent("array.sbatch").path
        let mergeScript = folder.appendingPathComponent("merge.sbatch").path
        for script in [arrayScript, mergeScript] where !FileManager.default.fileExists(atPath: script) {
            throw InvalidInput("\(script) is missing: the run cannot be resubmitted as it was submitted; accepted: a run folder bench submit wrote")
        }
        var arrayJob: String?
        if !missing.isEmpty {
            let concurrency = (try? String(contentsOfFile: arrayScript, encoding: .utf8)).flatMap(Self.concurrency(ofArrayScript:))
            let indices = missing.map(String.init).joined(separator: ",") + (concurrency.map { "%\($0)" } ?? "")
            let job = try SlurmClient.sbatch(["--parsable", "--array=\(indices)", arrayScript])
            for index in missing { record.taskJobs[String(index)] = "\(job)_\(index)" }
            record.arrayJobs.append(job)
            arrayJob = job
        }
        let after = (arrayJob.map { [$0] } ?? []) + stillQueued
        let mergeJob = try SlurmClient.sbatch(["--parsable"] + (after.isEmpty ? [] : ["--dependency=afterok:" + after.joined(separator: ":")]) + [mergeScript])
        record.mergeJob = mergeJob
        try record.write()
        return Outcome(shards: missing, arrayJob: arrayJob, mergeJob: mergeJob, cancelledMerge: cancelled, record: record, previousMergeJob: status.record.mergeJob)
    }

    /// The `%K` of the script's `#SBATCH --array=1-N%K` line, when it has one.
    static func concurrency(ofArrayScript text: String) -> Int? {
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("#SBATCH --array=") }),
              let percent = line.lastIndex(of: "%") else { return nil }
        return Int(line[line.index(after: percent)...])
    }
}
