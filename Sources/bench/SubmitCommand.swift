import ArgumentParser
import Foundation
import SpecBenchCore
import SpecBenchHarness
import SpecBenchResults

/// `bench submit CONFIG --slurm`: run a sweep as a Slurm job array and merge it when done.
struct SubmitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Submit a sweep to Slurm: a job array over cost-balanced shards and a merge job after it.",
        discussion: "The scripts go to RUN/slurm/ (array.sbatch, merge.sbatch); --dry-run prints them and submits nothing. The bench binary, the config and the run folder must be on a filesystem the nodes share.")

    @Argument(help: ArgumentHelp("The sweep config.", valueName: "CONFIG.yaml"))
    var config: String

    @Flag(name: .long, help: "Submit to Slurm (the only scheduler supported).")
    var slurm = false

    @Option(name: .long, parsing: .unconditional, help: "Array tasks (shards); default min(points, 8).")
    var shards: Int?

    @Option(name: .long, help: "Slurm partition.")
    var partition: String?

    @Option(name: .long, help: "Slurm account.")
    var account: String?

    @Option(name: .long, parsing: .unconditional, help: "Array tasks running at once (%K).")
    var concurrency: Int?

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Wall-clock seconds per task (default: the config's per-point limit times the largest shard's points, plus 10 minutes).", valueName: "SECONDS"))
    var time: Double?

    @Option(name: .long, help: ArgumentHelp("Memory per task (default: the config's per-point limit plus 1 GiB).", valueName: "BYTES"),
            transform: ByteCount.argument)
    var memory: ByteCount?

    @Option(name: .long, parsing: .unconditionalSingleValue, help: ArgumentHelp("An extra #SBATCH line, repeatable (e.g. --sbatch=--constraint=avx512).", valueName: "OPTION"))
    var sbatch: [String] = []

    @Option(name: .long, help: ArgumentHelp("Run folder (default results/<name>).", valueName: "DIR"))
    var output: String?

    @Flag(name: .long, help: "Print the batch scripts and submit nothing.")
    var dryRun = false

    func run() throws {
        try reportingInvalidInput {
            guard slurm else { throw InvalidInput("bench submit needs --slurm (the only scheduler supported)") }
            let request = SlurmSubmission.Request(
                configPath: config, shards: shards, partition: partition, account: account, concurrency: concurrency,
                taskSeconds: time, taskMemory: memory?.bytes, extraDirectives: sbatch, output: output, dryRun: dryRun)
            let scripts = try SlurmSubmission.scripts(request)
            if dryRun {
                print("# RUN/slurm/array.sbatch\n" + scripts.array + "\n# RUN/slurm/merge.sbatch (submitted with --dependency=afterok:<array job>)\n" + scripts.merge, terminator: "")
            } else {
                let submission = try SlurmSubmission.submit(request, scripts: scripts)
                print("submitted: array job \(submission.arrayJob) (\(submission.shards) tasks), merge job \(submission.mergeJob); run folder \(submission.runFolder)")
            }
            for item in scripts.unchecked { Log.error("not checked from here: \(item)") }
        }
    }
}
