import Foundation
import Testing
import SpecBenchHarness
import SpecBenchResults
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

    @Test("a 10⁶-point grid is refused with its size before anything runs; a normal one announces its size")
    func hugeGrid() throws {
        let (config, folder) = SweepFixture.config("""
            grid:
              cout: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
              cin: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
              kernelSizes: [1, 3, 5, 7, 9, 11, 13, 15, 17, 19]
              inputSizes: [20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39]
              paddings: [zero, circular]
              strides: [1]
              pads: [0, 1, 2, 3, 4]
            methods: [sedghi]
            """)
        let huge = try SweepFixture.sweep(config, output: folder.appendingPathComponent("run"))
        #expect(huge.status == 64 && huge.stderr.contains("200000 points") && huge.stderr.contains("100000") && huge.stderr.contains("--shard"), "\(huge.stderr.prefix(300))")
        let (small, smallFolder) = SweepFixture.config(SweepFixture.smallGrid)
        let run = try SweepFixture.sweep(small, output: smallFolder.appendingPathComponent("run"))
        #expect(run.status == 0 && run.stderr.contains("16 points × \(methodCount) methods"), "\(run.stderr.prefix(300))")
    }
}
