import Foundation
import Testing
import SpecBenchHarness
import TestSupport

/// Odd acceptances of the harness under abuse (issue "the harness under abuse", item 6): each is
/// a one-line message with exit 64 and nothing lost.
@Suite("Contradictory or impossible requests")
struct ContradictoryInputTests {
    @Test("--resume --restart together exits 64 and keeps the interrupted run")
    func resumeAndRestart() throws {
        let (config, folder) = SweepFixture.config(SweepFixture.smallGrid)
        let output = folder.appendingPathComponent("run")
        let inProgress = output.appendingPathComponent("in-progress")
        try FileManager.default.createDirectory(at: inProgress, withIntermediateDirectories: true)
        try Data("{}".utf8).write(to: inProgress.appendingPathComponent("manifest.json"))
        let run = try SweepFixture.sweep(config, output: output, extra: ["--resume", "--restart"])
        #expect(run.status == 64 && run.stderr.contains("--resume and --restart"), "\(run.stderr)")
        #expect(FileManager.default.fileExists(atPath: inProgress.appendingPathComponent("manifest.json").path))
    }

    @Test("an output path that is a file exits 64 with the path")
    func outputIsAFile() throws {
        let (config, folder) = SweepFixture.config(SweepFixture.smallGrid)
        let file = folder.appendingPathComponent("not-a-folder")
        try Data("keep me".utf8).write(to: file)
        let run = try SweepFixture.sweep(config, output: file)
        #expect(run.status == 64 && run.stderr.contains(file.path) && run.stderr.contains("is a file"), "\(run.stderr)")
        #expect(try String(contentsOf: file, encoding: .utf8) == "keep me")
    }

    @Test("merge --output equal to an input exits 64 and leaves the input as it was")
    func mergeIntoInput() throws {
        let (config, folder) = SweepFixture.config(SweepFixture.smallGrid)
        let shard = folder.appendingPathComponent("shard")
        #expect(try SweepFixture.sweep(config, output: shard, extra: ["--shard", "1/2"]).status == 0)
        let before = try Data(contentsOf: shard.appendingPathComponent("results.jsonl"))
        let merge = try BenchProcess.run(["merge", shard.path, "--output", shard.path + "/"])
        #expect(merge.status == 64 && merge.stderr.contains("overwrite"), "\(merge.stderr)")
        #expect(try Data(contentsOf: shard.appendingPathComponent("results.jsonl")) == before)
    }

    @Test("a negative --input-size gets the range message, not the parser's 'Missing value'")
    func negativeInputSize() throws {
        let run = try BenchProcess.run(["estimate", "--random", "2,2,3,3", "--input-size", "-1", "--padding", "zero", "--methods", "sedghi"])
        #expect(run.status == 64, "\(run.stderr)")
        #expect(!run.stderr.contains("Missing value") && run.stderr.contains("-1"), "\(run.stderr)")
    }
}
