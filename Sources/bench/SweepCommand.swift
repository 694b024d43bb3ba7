import SpecBenchCore
import ProcessControl
import ArgumentParser
import Foundation
import NumericCore
import SpecBenchHarness
import SpecBenchResults

/// `bench sweep` (also `bench --sweep [PATH]`): run a configured sweep.
struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run a sweep of methods over operators (default config: bench-configs/default.yaml).",
        discussion: """
            Each point runs in a child process with the config's time and memory limits. Results \
            are appended to results/<name>/in-progress/results.jsonl as each point ends and moved \
            to results/<name>/ when the run completes (with results.csv). Progress goes to stderr \
            when it is a terminal. Exit codes: 0 success, 64 bad config or options.
            """)

    @Option(name: .long, help: ArgumentHelp("The sweep config.", valueName: "PATH.yaml"))
    var config: String = "bench-configs/default.yaml"

    @Flag(name: .long, help: "Continue an interrupted run, skipping finished points.")
    var resume = false

    @Flag(name: .long, help: "Discard an interrupted run and start again.")
    var restart = false

    @Option(name: .long, help: ArgumentHelp("Run shard I of N (with --shard-balance modulo: the points whose position modulo N is I − 1).", valueName: "I/N"),
            transform: ShardSelection.argument)
    var shard: ShardSelection?

    @Option(name: .long, help: ArgumentHelp(
        "How --shard splits the points: modulo (by position) or cost (by the cost models' estimate, so that shards finish close together; every shard of a run must use the same).",
        valueName: "modulo|cost"))
    var shardBalance: ShardSelection.ShardBalance?

    @Option(name: .long, help: ArgumentHelp("Run folder (default results/<name>, or results/<name>/shard-I-of-N).", valueName: "DIR"))
    var output: String?

    @OptionGroup var figures: FigureFolder

    @Flag(name: .long, help: "Do not write the figures and tables at the end.")
    var noReport = false

    func run() throws {
        try reportingInvalidInput {
            var options = SweepRunner.Options(configPath: config)
            options.resume = resume
            options.restart = restart
            options.output = output
            guard shard != nil || shardBalance == nil else {
                throw InvalidInput("--shard-balance applies to a sharded run only; add --shard I/N")
            }
            options.shard = shard.map { ShardSelection(index: $0.index, count: $0.count, balance: shardBalance ?? .modulo) }
            options.faults = .fromEnvironment()
            // Where results and figures go is checked before any point runs.
            if let output { try OutputFolder.check(output, option: "--output") }
            if !noReport && options.shard == nil { try OutputFolder.check(figures.plots, option: "--plots") }
            let outcome = try SweepRunner.run(options, log: { Log.error($0) })
            if !noReport && options.shard == nil {
                try ReportPrinter.generate(runFolder: outcome.directory.url.path, plotsRoot: figures.plots)
            }
            print(outcome.directory.url.path)
            let summary = SweepRunner.errorSummary(outcome.records)
            if !summary.isEmpty {
                Log.error(summary.joined(separator: "\n"))
                throw ExitStatus.methodErrors.exitCode
            }
        }
    }
}

/// `bench run-point`: the child process of one sweep point (reads a task on stdin).
struct RunPointCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run-point", abstract: "Internal: measure one sweep point (task JSON on stdin).",
        shouldDisplay: false)

    @Option(name: .long, help: "Process id of the sweep that started this point; the point dies with it.")
    var parentPid: Int32?

    func run() throws {
        // Never outlive the sweep: SIGKILL when the parent dies (kill -9, SIGTERM, SIGINT).
        PointWorker.bindLifetime(toParent: parentPid)
        let input = FileHandle.standardInput.readDataToEndOfFile()
        let task = try JSONCoding.decoder.decode(PointTask.self, from: input)
        let encoder = JSONCoding.lineEncoder
        try PointWorker.run(task) { event in
            guard var data = try? encoder.encode(event) else { return }
            data.append(UInt8(ascii: "\n"))
            // A sweep that has gone away cannot read it; this process is then ended with it.
            try? StandardStreams.writeOutput(data)
        }
    }
}

/// `bench merge`: combine shard runs into one.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge", abstract: "Merge the finished runs of a sharded sweep into one run.")

    @Argument(help: ArgumentHelp("Finished shard run folders.", valueName: "DIR"))
    var inputs: [String]

    @Option(name: .long, help: ArgumentHelp("The merged run folder.", valueName: "DIR"))
    var output: String

    func run() throws {
        try reportingInvalidInput {
            try OutputFolder.check(output, option: "--output")
            let manifest = try RunMerger.merge(inputs: inputs, output: output)
            if manifest.pointsCompleted < manifest.pointsTotal {
                Log.error("note: the merged run covers \(manifest.pointsCompleted) of the config's \(manifest.pointsTotal) points")
            }
            print(output)
        }
    }
}

/// Messages on stderr.
enum Log {
    static func error(_ text: String) {
        StandardStreams.writeError(text + "\n")
    }
}
