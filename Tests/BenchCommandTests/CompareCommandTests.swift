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

    static func run(_ text: String, into folder: URL, name: String, environment: [String: String] = [:]) throws -> URL {
        let config = folder.appendingPathComponent("\(name).yaml")
        try Data(text.utf8).write(to: config)
        let output = folder.appendingPathComponent(name)
        let result = try BenchProcess.run(["sweep", "--config", config.path, "--output", output.path, "--no-report"], environment: environment)
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

        let slowed = try Self.run(Self.config(), into: folder, name: "slowed", environment: ["SPECBENCH_TEST_SLOWDOWN": "powerqr:2"])
        let slower = try BenchProcess.run(["compare", baseline.path, slowed.path] + Self.gate)
        #expect(slower.status == 2, "a 2× slowdown must fail:\n\(slower.stdout)")
        #expect(slower.stdout.contains("REGRESSION") && slower.stdout.contains("powerqr") && slower.stdout.contains("slower"))
        #expect(!slower.stdout.contains("value moved"), "slowing the run does not change the value")

        let faster = try BenchProcess.run(["compare", slowed.path, baseline.path] + Self.gate + ["--format", "markdown"])
        #expect(faster.status == 4, "only an improvement:\n\(faster.stdout)")
        #expect(faster.stdout.contains("## bench compare: improvements only") && faster.stdout.contains("faster"))
    }

    @Test("a 1.5× slowdown of the shared convolution operator exits 2, naming the operator")
    func sharedOperatorSlowdown() throws {
        // Two points, each measured in two processes: six operator results to average, so that the
        // test holds while other suites load the machine.
        let config = """
            name: gate
            seed: 5
            grid:
              cout: [16]
              kernelSizes: [3]
              inputSizes: [8, 10]
              paddings: [zero]
            methods: [all]
            repetitions: 7
            warmup: 1
            processes: 2
            reference: {denseLimit: 256, repetitions: 7, warmup: 1}
            threads: {blas: 1, fft: 1}
            """
        let folder = BenchProcess.temporaryDirectory()
        let baseline = try Self.run(config, into: folder, name: "baseline")
        let slowed = try Self.run(config, into: folder, name: "slowed", environment: ["SPECBENCH_TEST_SLOWDOWN": "operator:1.5"])
        let output = try BenchProcess.run(["compare", baseline.path, slowed.path] + Self.gate)
        #expect(output.status == 2, "a 1.5× slower operator must fail the gate:\n\(output.stdout)")
        #expect(output.stdout.contains("REGRESSION"))
        #expect(!output.stdout.contains("value moved"), "slowing the operator's users does not change any value")
        let regressions = output.stdout.components(separatedBy: "Regressions (").dropFirst().first?
            .components(separatedBy: "Improvements (").first ?? ""
        #expect(regressions.contains("the convolution operator") && regressions.contains("slower"), "\(output.stdout)")
        // Methods that never apply the operator are not blamed.
        #expect(!regressions.contains("sedghi") && !regressions.contains("gram-zero") && !regressions.contains("lipbound"), "\(regressions)")
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

    @Test("baseline source names the commit to rebuild when the baseline comes from another CPU model")
    func baselineSource() throws {
        let folder = BenchProcess.temporaryDirectory()
        let run = try Self.run(Self.config("[fantastic-four]"), into: folder, name: "baseline")
        let manifestURL = run.appendingPathComponent("manifest.json")
        var manifest = try RunDirectory.readManifest(manifestURL)
        manifest.context.gitCommit = "0123456789abcdef0123456789abcdef01234567"
        manifest.context.gitDirty = false
        try RunDirectory.writeManifest(manifest, to: manifestURL)
        let same = try BenchProcess.run(["baseline", "source", "--baseline", run.path])
        #expect(same.status == 0 && same.stdout.contains("0123456789abcdef"), "\(same.stderr)")

        manifest.context.cpuModel = "Another CPU"
        try RunDirectory.writeManifest(manifest, to: manifestURL)
        let other = try BenchProcess.run(["baseline", "source", "--baseline", run.path])
        #expect(other.status == ExitStatus.otherMachine.rawValue && other.stdout.contains("0123456789abcdef") && other.stderr.contains("Another CPU"), "\(other.stderr)")

        manifest.context.gitDirty = true
        try RunDirectory.writeManifest(manifest, to: manifestURL)
        let dirty = try BenchProcess.run(["baseline", "source", "--baseline", run.path])
        #expect(dirty.status == 1 && dirty.stderr.contains("no clean commit"))
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
