import Foundation
import Testing
import SpecBenchHarness
import SpecBenchResults
import TestSupport

/// `bench compare`: an injected 2× slowdown fails, an identical rerun passes, a changed value and
/// a broken guarantee are accuracy regressions.
@Suite("bench compare", .serialized)
struct CompareCommandTests {
    /// One point where every method takes milliseconds, 7 repetitions; `extra` adds method entries.
    static func config(_ methods: String = "[all]") -> String {
        """
        name: gate
        seed: 5
        grid:
          cout: [16]
          kernelSizes: [3]
          inputSizes: [8]
          paddings: [zero]
        methods: \(methods)
        repetitions: 7
        warmup: 1
        reference: {denseLimit: 256, repetitions: 7, warmup: 1}
        threads: {blas: 1, fft: 1}
        """
    }

    static let gate = ["--preset", "relaxed", "--normalize", "point", "--threshold", "minimumSeconds=0.002"]

    static func run(_ text: String, into folder: URL, name: String) throws -> URL {
        let config = folder.appendingPathComponent("\(name).yaml")
        try Data(text.utf8).write(to: config)
        let output = folder.appendingPathComponent(name)
        let result = try SweepFixture.sweep(config.path, output: output)
        precondition(result.status == 0, result.stderr)
        return output
    }

    @Test("an identical rerun exits 0; a 2× slowdown of one method exits 2; undoing it exits 4")
    func slowdown() throws {
        let folder = BenchProcess.temporaryDirectory()
        let baseline = try Self.run(Self.config(), into: folder, name: "baseline")
        let rerun = try Self.run(Self.config(), into: folder, name: "rerun")
        let same = try BenchProcess.run(["compare", baseline.path, rerun.path] + Self.gate)
        #expect(same.status == 0, "an identical rerun must pass:\n\(same.stdout)")
        #expect(same.stdout.contains("no regression"))

        let slowed = try Self.run(Self.config("[all, {id: powerqr, parameters: {repeatWork: 2}}]"), into: folder, name: "slowed")
        let slower = try BenchProcess.run(["compare", baseline.path, slowed.path] + Self.gate)
        #expect(slower.status == 2, "a 2× slowdown must fail:\n\(slower.stdout)")
        #expect(slower.stdout.contains("REGRESSION") && slower.stdout.contains("powerqr") && slower.stdout.contains("slower"))
        #expect(!slower.stdout.contains("value moved"), "repeating work does not change the value")

        let faster = try BenchProcess.run(["compare", slowed.path, baseline.path] + Self.gate + ["--format", "markdown"])
        #expect(faster.status == 4, "only an improvement:\n\(faster.stdout)")
        #expect(faster.stdout.contains("## bench compare: improvements only") && faster.stdout.contains("faster"))
    }

    @Test("a changed value is an accuracy regression")
    func changedValue() throws {
        let folder = BenchProcess.temporaryDirectory()
        let baseline = try Self.run(Self.config("[sedghi, power-iteration]"), into: folder, name: "baseline")
        let changed = try Self.run(Self.config("[sedghi, {id: power-iteration, parameters: {iterations: 60}}]"), into: folder, name: "changed")
        let output = try BenchProcess.run(["compare", baseline.path, changed.path, "--preset", "relaxed"])
        #expect(output.status == 2, "\(output.stdout)")
        #expect(output.stdout.contains("value") && output.stdout.contains("power-iteration") && output.stdout.contains("moved"))
        #expect(!output.stdout.split(separator: "\n").contains { $0.contains("value") && $0.contains("sedghi") })
    }

    @Test("a held guarantee that breaks is a regression; other machines are noted and calibrated")
    func brokenGuaranteeAndMachines() throws {
        let folder = BenchProcess.temporaryDirectory()
        let baseline = try Self.run(Self.config("[gram-zero, sedghi]"), into: folder, name: "baseline")
        // A copy of the run whose gram-zero bound is marked broken, made on "another machine".
        let edited = folder.appendingPathComponent("edited")
        try FileManager.default.copyItem(at: baseline, to: edited)
        var records = try SweepFixture.records(edited)
        for index in records.indices where records[index].result.method == "gram-zero" {
            records[index].result.guaranteeHeld = false
        }
        try RunDirectory.writeRecords(records, to: edited.appendingPathComponent("results.jsonl"))
        var manifest = try RunDirectory.readManifest(edited.appendingPathComponent("manifest.json"))
        manifest.context.host = "another-host"
        manifest.context.cpuModel = "Another CPU"
        try RunDirectory.writeManifest(manifest, to: edited.appendingPathComponent("manifest.json"))

        let output = try BenchProcess.run(["compare", baseline.path, edited.path, "--preset", "relaxed"])
        #expect(output.status == 2)
        #expect(output.stdout.contains("guarantee") && output.stdout.contains("now broken"))
        #expect(output.stdout.contains("the machines differ") && output.stdout.contains("after calibration"))
    }

    @Test("the tool's own failures exit 1; bad options exit 64 like everywhere else")
    func toolFailure() throws {
        let output = try BenchProcess.run(["compare", "/nonexistent/a", "/nonexistent/b"])
        #expect(output.status == 1 && output.stderr.contains("/nonexistent/a"))
        let preset = try BenchProcess.run(["compare", "/nonexistent/a", "/nonexistent/b", "--preset", "lenient"])
        #expect(preset.status == 64 && preset.stderr.contains("lenient") && preset.stderr.contains("relaxed"), "\(preset.status): \(preset.stderr)")
        let clock = try BenchProcess.run(["compare", "/nonexistent/a", "/nonexistent/b", "--clock", "sundial"])
        #expect(clock.status == 64 && clock.stderr.contains("sundial") && clock.stderr.contains("wall"), "\(clock.stderr)")
        let threshold = try BenchProcess.run(["compare", "/nonexistent/a", "/nonexistent/b", "--threshold", "speed=2"])
        #expect(threshold.status == 64 && threshold.stderr.contains("speed"), "\(threshold.stderr)")
    }
}
