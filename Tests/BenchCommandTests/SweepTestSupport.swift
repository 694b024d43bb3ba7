import Foundation
import Testing
import SpecBenchHarness
import SpecBenchResults
import SpecBenchMethods
import TestSupport

/// The number of methods a `methods: [all]` sweep runs (the reference included), from the catalog.
let methodCount = MethodCatalog.all.count
/// How many of the catalog's methods compute in float32 (the others, like the reference, run in
/// float64 whatever a run asks).
let float32MethodCount = MethodCatalog.all.filter { $0.precisions.contains(.float32) }.count

/// Writing sweep configs and reading their results in end-to-end tests.
enum SweepFixture {
    /// Writes `text` as a config file in a fresh folder; returns (config path, folder).
    static func config(_ text: String, name: String = "test") -> (path: String, folder: URL) {
        let folder = BenchProcess.temporaryDirectory()
        let url = folder.appendingPathComponent("\(name).yaml")
        try! Data(text.utf8).write(to: url)
        return (url.path, folder)
    }

    /// A small, fast grid: 2 paddings × 2 kernel sizes × 2 n, every method.
    static let smallGrid = """
        name: small
        seed: 7
        grid:
          cout: [3]
          cin: [2]
          kernelSizes: [1, 3]
          inputSizes: [4, 6]
          paddings: [zero, circular]
          strides: [1, 2]
        methods: [all]
        repetitions: 2
        warmup: 1
        """

    /// Runs `bench sweep` on `config` into `output`.
    /// A finished run of `smallGrid` in a fresh folder, as `name`.
    static func finishedSmallRun(name: String) -> URL {
        let (config, folder) = config(smallGrid)
        let output = folder.appendingPathComponent(name)
        _ = try! sweep(config, output: output)
        return output
    }

    static func sweep(_ config: String, output: URL, extra: [String] = []) throws -> BenchProcess.Output {
        try BenchProcess.run(["sweep", "--config", config, "--output", output.path, "--no-report"] + extra)
    }

    /// Starts `bench sweep` on `config` into `output` without waiting (output discarded): for
    /// the tests that interrupt a sweep.
    static func start(_ config: String, output: URL) throws -> Process {
        let process = Process()
        process.executableURL = BenchProcess.executable
        process.arguments = ["sweep", "--config", config, "--output", output.path, "--no-report"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// A config whose points take long enough (power iteration at 4000 iterations) for a sweep
    /// to be killed between two of them: 6 points of 3 records (the reference, sedghi, power
    /// iteration).
    static let slowSixPoints = """
        name: resumable
        seed: 11
        grid:
          cout: [2, 3]
          kernelSizes: [3]
          inputSizes: [6, 8, 10]
          paddings: [zero]
        methods:
          - sedghi
          - id: power-iteration
            parameters: {iterations: 4000}
        repetitions: 1
        warmup: 0
        """

    /// Starts `bench sweep` on `config` into `output` and kills it (SIGKILL) once `records`
    /// result lines (a whole point) are on disk; returns whether it was killed before finishing.
    static func killAfterFirstPoint(_ config: String, output: URL, records: Int = 3) throws -> Bool {
        let process = try start(config, output: output)
        let partial = output.appendingPathComponent("in-progress/results.jsonl")
        var waited = 0.0
        while waited < 60 {
            let lines = (try? String(contentsOf: partial, encoding: .utf8))?.split(separator: "\n").count ?? 0
            if lines >= records { break }
            Thread.sleep(forTimeInterval: 0.01)
            waited += 0.01
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        return process.terminationReason == .uncaughtSignal
    }

    /// The records of a finished run.
    static func records(_ folder: URL) throws -> [SweepRecord] {
        try RunDirectory.readRecords(RunDirectory(path: folder.path).resultsURL)
    }
}

/// `bench estimate` run as a user runs it, for the tests that read its JSON.
enum EstimateFixture {
    /// The report of `bench estimate ARGUMENTS` (JSON); the command must succeed.
    static func report(_ arguments: [String]) throws -> EstimateReport {
        let output = try BenchProcess.run(["estimate"] + arguments)
        #expect(output.status == 0, "\(output.stderr)")
        return try JSONDecoder().decode(EstimateReport.self, from: Data(output.stdout.utf8))
    }
}
