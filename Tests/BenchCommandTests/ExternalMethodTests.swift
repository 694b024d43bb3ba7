import Foundation
import Testing
import ProcessControl
import SpecBenchResults
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// External methods (docs/external-methods.md) run through sweeps and `bench estimate` as users
/// run them: the NumPy adapters of examples/external/ judged like the catalog's methods, the
/// broken adapter's every failure mode a record, no process left behind by a killed sweep.
@Suite("external methods")
struct ExternalMethodTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("examples/external")

    static func script(_ name: String) -> String { examples.appendingPathComponent(name).path }

    @Test("an external method's record is the record an internal method with the same value gets")
    func sameRecordAsInternal() throws {
        let (config, folder) = SweepFixture.config("""
            name: external-equals-builtIn
            seed: 3
            grid:
              cout: [3, 4]
              cin: [2]
              kernelSizes: [3]
              inputSizes: [5, 6]
              paddings: [circular, zero]
            methods: [sedghi]
            repetitions: 3
            warmup: 1
            external:
              - id: numpy-symbol
                command: [python3, \(Self.script("reshape_bound.py"))]
                guarantee: {circular: exact}
                parameters: {norm: exact-circular}
              - id: reshape-bound
                command: [python3, \(Self.script("reshape_bound.py"))]
                guarantee: {zero: upper, circular: upper, reflect: estimate, replicate: estimate}
            """)
        let output = folder.appendingPathComponent("run")
        let run = try SweepFixture.sweep(config, output: output)
        #expect(run.status == 0, "\(run.stderr)")
        let records = try SweepFixture.records(output)
        let points = Dictionary(grouping: records, by: \.point)
        #expect(points.count == 8)
        var compared = 0
        for (id, point) in points {
            let byMethod = Dictionary(uniqueKeysWithValues: point.map { ($0.result.method, $0.result) })
            let reference = try #require(byMethod["reference"]?.value)
            let external = try #require(byMethod["numpy-symbol"]), builtIn = try #require(byMethod["sedghi"])
            let bound = try #require(byMethod["reshape-bound"])
            #expect(bound.status == .ok && bound.guarantee == .upper && bound.guaranteeHeld == true, "\(id): \(bound)")
            #expect(bound.timing?.samples.count == 3 && bound.external?.measuredBy["seconds"] == "command")
            #expect((bound.external?.processSeconds ?? 0) > (bound.seconds ?? .infinity), "the whole process outlasts one repetition")
            if point[0].operator.padding == .circular {
                // Sedghi's FFT-SVD is exact here: the same value, so the same record but for identity and times.
                #expect(external.status == builtIn.status && external.status == .ok, "\(id): \(external.message ?? "")")
                #expect(external.guarantee == builtIn.guarantee && external.guaranteeHeld == builtIn.guaranteeHeld)
                #expect(external.guaranteeHeld == true)
                #expect(external.valueGuarantees == builtIn.valueGuarantees)
                #expect(external.precision == builtIn.precision)
                #expect(abs((external.value ?? 0) - (builtIn.value ?? 1)) <= 1e-12 * reference)
                #expect(abs((external.relativeError ?? 1) - (builtIn.relativeError ?? 0)) <= 1e-12)
                // And the harness's own verdict for that value, computed as for any method.
                var twin = MethodResult(method: "twin", status: .ok)
                twin.value = external.value
                twin.guarantee = external.guarantee
                twin.compare(toReference: reference)
                #expect(twin.relativeError == external.relativeError && twin.guaranteeHeld == external.guaranteeHeld)
                compared += 1
            } else {
                #expect(external.status == .notApplicable && (external.message ?? "").contains("zero padding"), "\(id): \(external)")
            }
        }
        #expect(compared == 4)
        let plots = folder.appendingPathComponent("plots")
        let report = try BenchProcess.run(["report", output.path, "--plots", plots.path])
        #expect(report.status == 0, "\(report.stderr)")
        let table = try String(contentsOf: output.appendingPathComponent("tables.md"), encoding: .utf8)
        #expect(table.contains("numpy-symbol") && table.contains("reshape-bound"), "the tables list external methods")
        let csv = try String(contentsOf: output.appendingPathComponent("results.csv"), encoding: .utf8)
        #expect(csv.contains("numpy-symbol") && csv.contains("reshape-bound"))
    }

    @Test("every failure mode of the broken adapter is a record, and the sweep completes")
    func brokenAdapters() throws {
        let (config, folder) = SweepFixture.config("""
            name: broken-externals
            grid:
              cout: [3]
              cin: [2]
              kernelSizes: [3]
              inputSizes: [5]
              paddings: [zero]
            methods: [sedghi]
            repetitions: 1
            warmup: 0
            limits: {secondsPerPoint: 60, memoryPerPoint: 700MB}
            external: [\(Self.script("broken.yaml"))]
            """)
        let output = folder.appendingPathComponent("run")
        let run = try SweepFixture.sweep(config, output: output)
        #expect(run.status == 3, "the run completes, and its exit status says that methods failed: \(run.stderr)")
        #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent("results.jsonl").path))
        let results = Dictionary(uniqueKeysWithValues: try SweepFixture.records(output).map { ($0.result.method, $0.result) })
        let expected: [(String, MethodStatus, String)] = [
            ("broken-exit", .error, "exited with status 3; its stderr ends: traceback line 1 | ValueError: this method gave up"),
            ("broken-no-result", .error, "wrote no result.json"),
            ("broken-malformed", .error, "result.json: not a JSON object"),
            ("broken-nan", .error, "'value' is nan; accepted: a finite number ≥ 0"),
            ("broken-infinity", .error, "'value' is inf"),
            ("broken-negative", .error, "'value' is -2.5"),
            ("broken-string", .error, "'value' is the string 'large', not a number"),
            ("broken-missing-value", .error, "'value' is missing"),
            ("broken-missing-seconds", .error, "'seconds' is missing"),
            ("broken-flood", .error, "the last line of a flood"),
            ("broken-crash", .error, "killed by signal 11"),
            ("broken-allocate", .outOfMemory, "above the limit of"),
            ("broken-declines", .notApplicable, "the command says: this adapter declines every operator"),
            ("broken-missing-command", .error, "'./no-such-adapter' does not exist"),
        ]
        for (id, status, message) in expected {
            let result = try #require(results[id], "no record for \(id)")
            #expect(result.status == status, "\(id): \(result.status) \(result.message ?? "")")
            #expect((result.message ?? "").contains(message), "\(id): \(result.message ?? "")")
            #expect(result.value == nil && result.values.isEmpty)
            #expect((result.message ?? "").count < 2000, "\(id): the message is bounded")
        }
        let flood = try #require(results["broken-flood"]?.message)
        #expect(flood.contains("bytes not kept"), "20 MiB of output are not kept whole")
        let extra = try #require(results["broken-extra"])
        #expect(extra.status == .ok && extra.value == 1 && extra.guaranteeHeld == false, "an 'upper' value of 1 is below σ here")
        #expect(extra.external?.extraFields?["gpu"] == .string("none"), "unknown result fields are kept")
        #expect(results["sedghi"]?.status == .ok && results["reference"]?.status == .ok, "the built-in methods still ran")
    }

    @Test("kill -9 of a sweep while an external command runs leaves none of its processes; --resume then completes")
    func killLeavesNoOrphans() throws {
        let folder = BenchProcess.temporaryDirectory()
        let pidFile = folder.appendingPathComponent("pids").path
        let (config, _) = SweepFixture.config("""
            name: hanging-external
            grid:
              cout: [2]
              cin: [2]
              kernelSizes: [3]
              inputSizes: [4]
              paddings: [zero]
            methods: [sedghi]
            repetitions: 1
            warmup: 0
            limits: {secondsPerPoint: 6}
            external:
              - id: hangs
                command: [python3, \(Self.script("broken.py"))]
                guarantee: upper
                parameters: {mode: hang, pidFile: \(pidFile)}
            """)
        let output = folder.appendingPathComponent("run")
        let process = try SweepFixture.start(config, output: output)
        func pids() -> [Int32]? {
            (try? String(contentsOfFile: pidFile, encoding: .utf8)).map { $0.split(whereSeparator: \.isWhitespace).compactMap { Int32($0) } }
        }
        var waited = 0.0
        while pids() == nil && waited < 30 {
            Thread.sleep(forTimeInterval: 0.02)
            waited += 0.02
        }
        let started = try #require(pids(), "the hanging command never started")
        #expect(started.count == 2 && started.allSatisfy(ProcessTree.isAlive))
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        var gone = false
        for _ in 0..<200 where !gone {
            Thread.sleep(forTimeInterval: 0.02)
            gone = !started.contains(where: ProcessTree.isAlive)
        }
        #expect(gone, "the command (\(started[0])) or its helper (\(started[1])) outlived the killed sweep")

        try? FileManager.default.removeItem(atPath: pidFile)
        let resumed = try SweepFixture.sweep(config, output: output, extra: ["--resume"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let results = Dictionary(uniqueKeysWithValues: try SweepFixture.records(output).map { ($0.result.method, $0.result) })
        #expect(results["hangs"]?.status == .timeout, "\(String(describing: results["hangs"]))")
        #expect(results["sedghi"]?.status == .ok && results["reference"]?.status == .ok)
        let second = try #require(pids())
        #expect(!second.contains(where: ProcessTree.isAlive), "a timed-out command's processes are stopped")
    }

    @Test("bench estimate --external runs the file's methods beside the reference; bad entries are one-line errors")
    func estimateAndBadEntries() throws {
        let report = try EstimateFixture.report([
            "--random", "4,3,3,3", "--input-size", "6", "--padding", "zero", "--external", Self.script("reshape_bound.yaml"),
        ])
        let methods = report.results.map(\.method)
        #expect(methods == ["reference", "reshape-bound"])
        #expect(report.results[1].status == .ok && report.results[1].guaranteeHeld == true && report.results[1].relativeError != nil)

        let cases: [(String, String)] = [
            ("external: [{id: powerqr, command: [python3], guarantee: upper}]", "id 'powerqr' is taken by a built-in method"),
            ("external: [{id: x, command: [python3], guarantee: tight}]", "'tight'"),
            ("external: [{id: x, command: [], guarantee: upper}]", "the list is empty"),
            ("external: [{id: x, guarantee: upper}]", "missing key 'command'"),
            ("external: [{id: x, command: [python3], guarantee: {mirror: upper}}]", "unknown padding 'mirror'"),
            ("external: [{id: 'a b', command: [python3], guarantee: upper}]", "invalid id 'a b'"),
            ("external: [{id: x, command: [python3], guarantee: upper, speed: 3}]", "unknown key 'speed'"),
            ("external: [{id: x, command: [python3], guarantee: upper}, {id: x, command: [python3], guarantee: lower}]", "given twice"),
            ("external: [missing.yaml]", "does not exist"),
        ]
        for (text, message) in cases {
            let file = try BenchProcess.temporaryFile(Data(text.utf8), name: "bad.yaml")
            let output = try BenchProcess.run(["estimate", "--random", "2,2,3,3", "--input-size", "4", "--padding", "zero", "--external", file.path])
            #expect(output.status == 64, "\(text): \(output.stderr)")
            #expect(output.stderr.contains(message), "\(text): \(output.stderr)")
            #expect(output.stderr.split(separator: "\n").count == 1, "\(output.stderr)")
        }
    }
}
