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
        discussion: """
            The scripts go to RUN/slurm/ (array.sbatch, merge.sbatch); --dry-run prints them and submits nothing. The bench \
            binary, the config and the run folder must be on a filesystem the nodes share. \
            --status RUN says where every shard of a submitted run stands; --resume RUN resubmits the shards a scheduler \
            killed (each continues where it stopped) and a merge after them.
            """)

    @Argument(help: ArgumentHelp("The sweep config (not with --status or --resume).", valueName: "CONFIG.yaml"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("Say where every shard of the submitted run in RUN stands (Slurm's queue and the shard folders).", valueName: "RUN"))
    var status: String?

    @Option(name: .long, help: ArgumentHelp("Resubmit the shards of RUN that are neither complete nor queued, and the merge after them.", valueName: "RUN"))
    var resume: String?

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

    @Option(name: .long, help: ArgumentHelp("Memory per task (default: twice the largest memory need of the points' methods, at most the config's per-point limit, plus 1 GiB).", valueName: "BYTES"),
            transform: ByteCount.argument)
    var memory: ByteCount?

    @Option(name: .long, parsing: .unconditionalSingleValue, help: ArgumentHelp("An extra #SBATCH line, repeatable (e.g. --sbatch=--constraint=avx512).", valueName: "OPTION"))
    var sbatch: [String] = []

    @Option(name: .long, help: ArgumentHelp("Run folder (default results/<name>).", valueName: "DIR"))
    var output: String?

    @Option(name: .long, help: ArgumentHelp("Where the merge job's report writes the figures (default plots/ here; they go to PLOTS/<name>/).", valueName: "DIR"))
    var plots: String?

    @Flag(name: .long, help: "Print the batch scripts and submit nothing.")
    var dryRun = false

    func run() throws {
        try reportingInvalidInput {
            let given = [config.map { _ in "CONFIG" }, status.map { _ in "--status" }, resume.map { _ in "--resume" }].compactMap { $0 }
            guard given.count == 1 else {
                throw InvalidInput(given.isEmpty ? "bench submit needs a CONFIG to submit, --status RUN or --resume RUN"
                                   : "bench submit takes one of CONFIG, --status RUN and --resume RUN, not \(given.joined(separator: " and "))")
            }
            if let status {
                for line in try SlurmRunStatus.read(runFolder: status).lines { print(line) }
                return
            }
            if let resume {
                print(try SlurmResubmission.resume(runFolder: resume).summary)
                return
            }
            guard slurm, let config else { throw InvalidInput("bench submit needs --slurm (the only scheduler supported)") }
            let request = SlurmSubmission.Request(
                configPath: config, shards: shards, partition: partition, account: account, concurrency: concurrency,
                taskSeconds: time, taskMemory: memory?.bytes, extraDirectives: sbatch, output: output, plots: plots, dryRun: dryRun)
            let scripts = try SlurmSubmission.scripts(request)
            if dryRun {
                print("# RUN/slurm/array.sbatch\n" + scripts.array + "\n# RUN/slurm/merge.sbatch (submitted with --dependency=afterok:<array job>)\n" + scripts.merge, terminator: "")
            } else {
                let submission = try SlurmSubmission.submit(request, scripts: scripts)
                print("submitted: array job \(submission.arrayJobs[0]) (\(submission.shards) tasks), merge job \(submission.mergeJob); run folder \(submission.runFolder)")
            }
            for item in scripts.unchecked { Log.error("not checked from here: \(item)") }
        }
    }
}
