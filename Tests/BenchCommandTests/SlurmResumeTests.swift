import Foundation
import Testing
import SpecBenchHarness
import SpecBenchResults
import TestSupport

/// `bench submit --status` and `--resume` against a stand-in for Slurm's clients: `sbatch`,
/// `squeue` and `scancel` scripts first on the PATH that log their arguments, hand out job ids
/// and answer with a queue the test writes. The run against the real Slurm (a task killed with
/// scancel, then resumed) is `scripts/slurm-e2e`, a step of `.ci/run`; this checks what the
/// commands send and say, without daemons.
@Suite("bench submit --status and --resume (stand-in Slurm)")
struct SlurmResumeTests {
    static let config = """
        name: resumable-slurm
        seed: 3
        grid:
          cout: [3]
          cin: [2]
          kernelSizes: [1, 3, 5]
          inputSizes: [4, 6]
          paddings: [zero, circular]
          strides: [1]
        methods: [reference, gram-zero]
        repetitions: 1
        warmup: 0
        """

    /// A folder of stand-in `sbatch`, `squeue`, `scancel`: job ids from 100, logs in the folder,
    /// the queue read from `queue` (lines `ID|STATE|REASON`).
    static func standIn() throws -> URL {
        let bin = BenchProcess.temporaryDirectory()
        let scripts = [
            "sbatch": """
                #!/bin/sh
                dir=$(dirname "$0")
                id=$(cat "$dir/next" 2>/dev/null || echo 100)
                echo $((id + 1)) > "$dir/next"
                echo "$*" >> "$dir/sbatch.log"
                echo "$id"
                """,
            "squeue": """
                #!/bin/sh
                dir=$(dirname "$0")
                echo "$*" >> "$dir/squeue.log"
                cat "$dir/queue" 2>/dev/null || true
                """,
            "scancel": """
                #!/bin/sh
                echo "$*" >> "$(dirname "$0")/scancel.log"
                """,
        ]
        for (name, text) in scripts {
            let url = bin.appendingPathComponent(name)
            try Data((text + "\n").utf8).write(to: url)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
        }
        return bin
    }

    static func lines(_ url: URL) -> [String] {
        ((try? String(contentsOf: url, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    @Test("--status reads the shard folders and the queue; --resume resubmits the interrupted shard alone, cancels the stuck merge, and makes the merge wait on the new array and the queued task")
    func statusAndResume() throws {
        let bin = try Self.standIn()
        let environment = ["PATH": bin.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")]
        let (config, folder) = SweepFixture.config(Self.config)
        let run = folder.appendingPathComponent("run")

        let submitted = try BenchProcess.run(["submit", config, "--slurm", "--shards", "3", "--concurrency", "2", "--output", run.path], environment: environment)
        #expect(submitted.status == 0, "\(submitted.stderr)")
        #expect(submitted.stdout.contains("submitted: array job 100 (3 tasks), merge job 101"), "\(submitted.stdout)")
        var sbatch = Self.lines(bin.appendingPathComponent("sbatch.log"))
        #expect(sbatch.count == 2)
        #expect(sbatch.first?.hasSuffix("slurm/array.sbatch") == true)
        #expect(sbatch.last?.contains("--dependency=afterok:100") == true && sbatch.last?.hasSuffix("slurm/merge.sbatch") == true)
        let record = try SlurmSubmissionRecord.read(runFolder: run.path)
        #expect(record.taskJobs == ["1": "100_1", "2": "100_2", "3": "100_3"] && record.mergeJob == "101" && record.arrayJobs == ["100"])

        // Shard 1 finished; shard 2 killed after one point (its in-progress files as a kill leaves
        // them); shard 3 still pending; the merge waits on the array.
        let split = try SlurmSubmission.pointsPerShard(configPath: config, shards: 3)
        #expect(split.reduce(0, +) == 12)
        for shard in [1, 2] {
            let result = try SweepFixture.sweep(config, output: URL(fileURLWithPath: record.shardFolder(shard)), extra: ["--shard", "\(shard)/3", "--shard-balance", "cost"])
            #expect(result.status == 0, "\(result.stderr)")
        }
        let second = RunDirectory(path: record.shardFolder(2))
        var manifest = try RunDirectory.readManifest(second.manifestURL)
        let records = try RunDirectory.readRecords(second.resultsURL)
        let firstPoint = records.filter { $0.point == records[0].point }
        manifest.pointsCompleted = 1
        manifest.finishedAt = nil
        try FileManager.default.createDirectory(at: second.inProgress, withIntermediateDirectories: true)
        try RunDirectory.writeManifest(manifest, to: second.inProgress.appendingPathComponent("manifest.json"))
        try RunDirectory.writeRecords(firstPoint, to: second.inProgress.appendingPathComponent("results.jsonl"))
        for file in [second.manifestURL, second.resultsURL, second.csvURL] { try? FileManager.default.removeItem(at: file) }
        try Data("100_3|PENDING|Resources\n101|PENDING|DependencyNeverSatisfied\n".utf8).write(to: bin.appendingPathComponent("queue"))

        let status = try BenchProcess.run(["submit", "--status", run.path], environment: environment)
        #expect(status.status == 0, "\(status.stderr)")
        let expected = [
            "shard 1/3: complete, \(split[0]) of \(split[0]) points (job 100_1)",
            "shard 2/3: interrupted at 1 of \(split[1]) points, no longer queued (job 100_2): bench submit --resume \(run.path)",
            "shard 3/3: pending (Resources), 0 of \(split[2]) points (job 100_3)",
            "merge: pending (DependencyNeverSatisfied) (job 101): it cannot run until the incomplete shards are resubmitted: bench submit --resume \(run.path)",
        ]
        for line in expected { #expect(status.stdout.contains(line), "missing: \(line)\n\(status.stdout)") }
        #expect(Self.lines(bin.appendingPathComponent("squeue.log")).last?.contains("--name=specbench-resumable-slurm,specbench-merge-resumable-slurm") == true)

        // A merge of the shards as they stand is refused, naming the unfinished one.
        let merge = try BenchProcess.run(["merge", record.shardFolder(1), record.shardFolder(2), "--output", folder.appendingPathComponent("partial").path])
        #expect(merge.status == 64 && merge.stderr.contains("shard-2-of-3") && merge.stderr.contains("--resume"), "\(merge.stderr)")

        let resumed = try BenchProcess.run(["submit", "--resume", run.path], environment: environment)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stdout.contains("shard 2 of 3 resubmitted as array job 102; merge job 103 after them (merge job 101, which could no longer run, cancelled)"), "\(resumed.stdout)")
        sbatch = Self.lines(bin.appendingPathComponent("sbatch.log"))
        #expect(sbatch.count == 4)
        #expect(sbatch[2].hasPrefix("--parsable --array=2%2 ") && sbatch[2].hasSuffix("slurm/array.sbatch"), "\(sbatch[2])")
        #expect(sbatch[3].contains("--dependency=afterok:102:100_3") && sbatch[3].hasSuffix("slurm/merge.sbatch"), "\(sbatch[3])")
        #expect(Self.lines(bin.appendingPathComponent("scancel.log")) == ["101"])
        let after = try SlurmSubmissionRecord.read(runFolder: run.path)
        #expect(after.taskJobs == ["1": "100_1", "2": "102_2", "3": "100_3"] && after.mergeJob == "103" && after.arrayJobs == ["100", "102"])

        // With the new task and merge queued, --resume has nothing to resubmit.
        try Data("102_2|RUNNING|None\n100_3|RUNNING|None\n103|PENDING|Dependency\n".utf8).write(to: bin.appendingPathComponent("queue"))
        let again = try BenchProcess.run(["submit", "--resume", run.path], environment: environment)
        #expect(again.status == 0 && again.stdout.contains("nothing to resubmit: every shard is complete or queued, and merge job 103 waits for them"), "\(again.stdout)\(again.stderr)")
        #expect(Self.lines(bin.appendingPathComponent("sbatch.log")).count == 4)
    }

    @Test("bad requests are one line and exit 64", arguments: [
        (["--status", "/nonexistent/run"], "was not submitted with bench submit"),
        (["--resume", "/nonexistent/run"], "was not submitted with bench submit"),
        (["CONFIG", "--status", "/tmp"], "takes one of CONFIG, --status RUN and --resume RUN"),
        ([], "needs a CONFIG to submit, --status RUN or --resume RUN"),
    ])
    func badRequests(_ arguments: [String], _ expected: String) throws {
        let (config, _) = SweepFixture.config(Self.config)
        let output = try BenchProcess.run(["submit"] + arguments.map { $0 == "CONFIG" ? config : $0 })
        #expect(output.status == 64 && output.stderr.contains(expected) && output.stderr.split(separator: "\n").count == 1, "\(arguments): \(output.stderr)")
    }

    @Test("without Slurm's clients on the PATH, --status says so in one line, exit 64")
    func noSlurm() throws {
        let (config, folder) = SweepFixture.config(Self.config)
        let bin = try Self.standIn()
        let run = folder.appendingPathComponent("run")
        let submitted = try BenchProcess.run(["submit", config, "--slurm", "--shards", "2", "--output", run.path],
                                             environment: ["PATH": bin.path + ":/usr/bin:/bin"])
        #expect(submitted.status == 0, "\(submitted.stderr)")
        let output = try BenchProcess.run(["submit", "--status", run.path], environment: ["PATH": "/nonexistent"])
        #expect(output.status == 64 && output.stderr.contains("squeue is not on the PATH"), "\(output.stderr)")
    }
}
