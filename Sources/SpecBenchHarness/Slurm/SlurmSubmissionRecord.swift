import Foundation
import SpecBenchCore
import SpecBenchResults

/// `RUN/slurm/submission.json`: what `bench submit --slurm` submitted for a run, kept so that
/// `bench submit --status RUN` can say where every shard stands and `bench submit --resume RUN`
/// can resubmit the incomplete ones: the config, the binary, the split, and which Slurm job last
/// ran each shard and the merge.
public struct SlurmSubmissionRecord: Codable, Sendable, Equatable {
    /// The sweep's name; the jobs are `specbench-NAME` (array) and `specbench-merge-NAME`.
    public var name: String
    /// The config (absolute).
    public var configPath: String
    /// The bench binary the nodes run (absolute).
    public var executable: String
    /// Number of shards (array tasks).
    public var shards: Int
    /// The run folder (absolute).
    public var runFolder: String
    /// The merge job's id (the latest submitted).
    public var mergeJob: String
    /// For each shard (1-based, as text), the array task that last ran it: `123_4`.
    public var taskJobs: [String: String]
    /// Every array job submitted for the run, first to last (one more per `--resume`).
    public var arrayJobs: [String]

    /// The folder of the batch scripts and this record.
    public var slurmFolder: URL { URL(fileURLWithPath: runFolder).appendingPathComponent("slurm") }
    /// The folder of shard `index` (1-based).
    public func shardFolder(_ index: Int) -> String { runFolder + "/shard-\(index)-of-\(shards)" }
    /// The Slurm job names of the run's jobs.
    public var jobNames: [String] { ["specbench-\(name)", "specbench-merge-\(name)"] }

    /// The record of the run in `runFolder`; `InvalidInput` when there is none or it is unreadable.
    public static func read(runFolder: String) throws -> SlurmSubmissionRecord {
        let url = URL(fileURLWithPath: runFolder).appendingPathComponent("slurm/submission.json")
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw InvalidInput("'\(runFolder)' was not submitted with bench submit --slurm: no \(url.path); accepted: the run folder bench submit printed")
        }
        do {
            return try JSONCoding.decoder.decode(SlurmSubmissionRecord.self, from: data)
        } catch {
            throw InvalidInput("\(url.path) cannot be read (\(error)); accepted: the file bench submit wrote")
        }
    }

    /// Writes the record into `RUN/slurm/submission.json` atomically.
    public func write() throws {
        let url = slurmFolder.appendingPathComponent("submission.json")
        do {
            try JSONCoding.prettyEncoder.encode(self).write(to: url, options: .atomic)
        } catch {
            throw InvalidInput("cannot write \(url.path): \(error.localizedDescription)")
        }
    }
}
