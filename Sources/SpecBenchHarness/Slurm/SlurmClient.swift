import Foundation
import SpecBenchCore

/// The Slurm commands `bench submit` uses, run as found on the PATH: `sbatch` to submit,
/// `squeue` to see what is queued or running, `scancel` to withdraw a job. No accounting
/// database is needed (`sacct` is not used: a cluster without `slurmdbd` answers the same).
/// Each call is one short process.
public enum SlurmClient {
    /// One job or array task in the queue (`squeue -r`).
    public struct QueuedJob: Sendable, Equatable {
        /// The id: `123` for a job, `123_4` for task 4 of array job 123.
        public var id: String
        /// Slurm's state: `PENDING`, `RUNNING`, `COMPLETING`, …
        public var state: String
        /// Why it waits (`Dependency`, `DependencyNeverSatisfied`, `Resources`, …; `None` when running).
        public var reason: String
    }

    /// Runs `sbatch arguments` and returns the job id it printed (`--parsable`: `ID[;cluster]`).
    public static func sbatch(_ arguments: [String]) throws -> String {
        let (status, text, message) = try run("sbatch", arguments)
        guard status == 0, let id = text.split(separator: "\n").first?.split(separator: ";").first, !id.isEmpty else {
            let reason = status == 127 ? "sbatch is not on the PATH" : message.trimmingCharacters(in: .whitespacesAndNewlines)
            throw InvalidInput("sbatch \(arguments.last ?? "") failed: \(reason); accepted: a Slurm cluster that takes the job")
        }
        return String(id)
    }

    /// The jobs and array tasks (expanded) named one of `names` that are still in the queue.
    /// Jobs that ended have left it (after Slurm's `MinJobAge`), so absence means ended.
    public static func queue(names: [String]) throws -> [QueuedJob] {
        let (status, text, message) = try run("squeue", ["--noheader", "--array", "--name=" + names.joined(separator: ","), "--format=%i|%T|%r"])
        guard status == 0 else {
            let reason = status == 127 ? "squeue is not on the PATH" : message.trimmingCharacters(in: .whitespacesAndNewlines)
            throw InvalidInput("squeue failed: \(reason); accepted: a machine with Slurm's client on the PATH and its controller running")
        }
        return text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            return fields.count == 3 ? QueuedJob(id: fields[0], state: fields[1], reason: fields[2]) : nil
        }
    }

    /// Cancels the jobs `ids` (`scancel`); a job that already ended is no error.
    public static func cancel(_ ids: [String]) throws {
        guard !ids.isEmpty else { return }
        let (status, _, message) = try run("scancel", ids)
        guard status == 0 || message.contains("Invalid job id") || message.contains("already completing or completed") else {
            throw InvalidInput("scancel \(ids.joined(separator: " ")) failed: \(message.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
    }

    /// Runs `command arguments` through `/usr/bin/env` (the PATH); its status, stdout and stderr.
    static func run(_ command: String, _ arguments: [String]) throws -> (status: Int32, output: String, errors: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [command] + arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        do { try process.run() } catch {
            throw InvalidInput("cannot run \(command): \(error.localizedDescription); accepted: a machine with Slurm's client on the PATH")
        }
        // Slurm's clients write a few lines: reading stdout, then stderr, cannot fill a pipe.
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text, message)
    }
}
