import Foundation
import Testing
import SpecBenchHarness
import SpecBenchResults
import TestSupport

/// A sweep in which methods crashed says so (summary on stderr, exit 3) with the crash's own line
/// as the message, and a point whose reference failed retries it once (issue "the harness under
/// abuse", item 5). Crashes are injected with the test-only SPECBENCH_TEST_CRASH variable.
@Suite("Crashed methods in a sweep")
struct CrashedMethodTests {
    static let config = """
        name: crashes
        seed: 2
        grid:
          cout: [2]
          cin: [3]
          kernelSizes: [3]
          inputSizes: [5, 6]
          paddings: [zero]
        methods: [power-iteration, gram-zero]
        repetitions: 1
        warmup: 0
        """

    /// Runs the config's sweep (or `text`) with `environment`; returns the run and its output folder.
    static func sweep(_ text: String = config, environment: [String: String]) throws -> (run: BenchProcess.Output, output: URL, folder: URL) {
        let (config, folder) = SweepFixture.config(text)
        let output = folder.appendingPathComponent("run")
        let run = try BenchProcess.run(["sweep", "--config", config, "--output", output.path, "--no-report"], environment: environment)
        return (run, output, folder)
    }

    @Test("a crashing method: the other methods are measured, the sweep ends with a summary and exit 3")
    func crashSummary() throws {
        let (run, output, _) = try Self.sweep(environment: ["SPECBENCH_TEST_CRASH": "gram-zero"])
        #expect(run.status == 3, "exit \(run.status): \(run.stderr.suffix(500))")
        #expect(run.stderr.contains("2 method results ended in error") && run.stderr.contains("gram-zero at 2x3x3x3-n5"), "\(run.stderr.suffix(500))")
        let records = try SweepFixture.records(output)
        let crashed = records.filter { $0.result.method == "gram-zero" }
        #expect(crashed.count == 2 && crashed.allSatisfy { $0.result.status == .error })
        for record in crashed {
            let message = record.result.message ?? ""
            #expect(message.contains("signal 11") && message.contains("Program crashed"), "\(message)")
            #expect(!message.contains("/usr/lib"), "the message is the crash line, not memory-map lines: \(message)")
        }
        #expect(records.filter { $0.result.method == "power-iteration" }.allSatisfy { $0.result.status == .ok && $0.result.guaranteeHeld == true })
    }

    @Test("a crash record carries the same effective parameters as a success of the same method and point")
    func crashRecordParameters() throws {
        // One parameter given, the other left to its default: the records carry both, whatever the status.
        let text = Self.config.replacingOccurrences(of: "methods: [power-iteration, gram-zero]",
                                                    with: "methods: [power-iteration, {id: gram-zero, parameters: {iterations: 5}}]")
        let (crashedRun, crashedOutput, _) = try Self.sweep(text, environment: ["SPECBENCH_TEST_CRASH": "gram-zero"])
        let (cleanRun, cleanOutput, _) = try Self.sweep(text, environment: [:])
        #expect(crashedRun.status == 3 && cleanRun.status == 0, "\(crashedRun.stderr.suffix(300)) \(cleanRun.stderr.suffix(300))")
        let crashed = try SweepFixture.records(crashedOutput).filter { $0.result.method == "gram-zero" }
        let clean = try SweepFixture.records(cleanOutput).filter { $0.result.method == "gram-zero" }
        #expect(crashed.count == 2 && clean.count == 2)
        for (failure, success) in zip(crashed, clean) {
            #expect(failure.point == success.point)
            #expect(failure.result.status == .error && success.result.status == .ok)
            #expect(failure.result.parameters == success.result.parameters)
            #expect(success.result.parameters["iterations"] == "5" && success.result.parameters["side"] != nil, "\(success.result.parameters)")
        }
    }

    @Test("a reference that crashes once is retried and the point is judged against it")
    func referenceRetried() throws {
        let marker = BenchProcess.temporaryDirectory().appendingPathComponent("crashed-once").path
        let (run, output, _) = try Self.sweep(environment: ["SPECBENCH_TEST_CRASH": "reference:once", "SPECBENCH_TEST_CRASH_MARKER": marker])
        #expect(run.status == 0, "exit \(run.status): \(run.stderr.suffix(500))")
        #expect(FileManager.default.fileExists(atPath: marker), "the reference did crash once")
        let records = try SweepFixture.records(output)
        #expect(records.filter { $0.result.method == "reference" }.allSatisfy { $0.result.status == .ok })
        #expect(records.filter { $0.result.method != "reference" }.allSatisfy { $0.result.relativeError != nil })
    }

    @Test("a reference that fails twice is recorded with both failures, and the sweep exits 3")
    func referenceFailsTwice() throws {
        let (run, output, _) = try Self.sweep(environment: ["SPECBENCH_TEST_CRASH": "reference"])
        #expect(run.status == 3, "exit \(run.status)")
        let references = try SweepFixture.records(output).filter { $0.result.method == "reference" }
        #expect(references.allSatisfy { $0.result.status == .error && ($0.result.message ?? "").contains("failed twice") }, "\(references.map { $0.result.message ?? "" })")
    }
}
