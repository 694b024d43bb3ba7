import Foundation
import Testing
import SpecBenchCore
import SpecBenchHarness
import SpecBenchResults
import SpecBenchMethods
import TestSupport

/// `bench clip` and a sweep's `clip:` key as a user runs them (docs/clipping.md).
@Suite("Clipping from the command line and in sweeps")
struct ClipCommandTests {
    static let operatorArguments = ["--random", "4,3,3,3", "--input-size", "6", "--padding", "circular", "--seed", "3"]

    static func clip(_ arguments: [String]) throws -> EstimateReport {
        let output = try BenchProcess.run(["clip"] + arguments)
        #expect(output.status == 0, "\(output.stderr)")
        return try JSONDecoder().decode(EstimateReport.self, from: Data(output.stdout.utf8))
    }

    @Test("bench clip: one record per method with task, target, σ before and after, change and top-k")
    func records() throws {
        let output = try BenchProcess.run(["clip"] + Self.operatorArguments + ["--target", "1", "--top-k", "3"])
        #expect(output.status == 0, "\(output.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        let results = try #require(json["results"] as? [[String: Any]])
        #expect(results.map { $0["method"] as? String } == ClippingCatalog.ids)
        for result in results {
            for key in ["task", "target", "sigmaBefore", "sigmaAfter", "frobeniusChange", "topBefore", "topAfter", "seconds", "guarantee"] {
                #expect(result[key] != nil, "\(result["method"] ?? "?") lacks \(key)")
            }
            #expect(result["task"] as? String == "clip")
            #expect((result["topAfter"] as? [Double])?.count == 3)
        }
        let report = try JSONDecoder().decode(EstimateReport.self, from: Data(output.stdout.utf8))
        let exact = try #require(report.results.first { $0.method == "rescale-exact" })
        #expect(abs(try #require(exact.sigmaAfter) - 1) < 1e-9)
        #expect(exact.guaranteeHeld == true)
        for result in report.results where result.guarantee == .upper {
            #expect(result.guaranteeHeld == true && result.sigmaAfter! <= 1 + 1e-9, "\(result.method)")
        }
        // The top values below c are not touched by an exact rescaling only when they are below c·σ₂/σ₁: recorded, not judged here.
        #expect(exact.topBefore?.count == 3 && exact.topAfter?.count == 3)
    }

    @Test("--export-kernel writes kernels whose norm an outside tool (NumPy, and bench estimate) confirms")
    func exportedKernels() throws {
        let folder = BenchProcess.temporaryDirectory().appendingPathComponent("kernels")
        let report = try Self.clip(Self.operatorArguments + ["--target", "0.5", "--methods", "rescale-exact,sedghi-clip,fastclip",
                                                             "--param", "sedghi-clip.project=false", "--export-kernel", folder.path])
        for id in ["original", "rescale-exact", "sedghi-clip", "fastclip"] {
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("\(id).npy").path), "\(id).npy")
        }
        // bench estimate on the exported kernel (sedghi-clip's is 6×6: the grid's size).
        for (id, size) in [("rescale-exact", 3), ("fastclip", 3), ("sedghi-clip", 6)] {
            let estimate = try EstimateFixture.report(["--kernel", folder.appendingPathComponent("\(id).npy").path, "--input-size", "6",
                                                       "--padding", "circular", "--methods", "reference"])
            let recorded = try #require(report.results.first { $0.method == id }?.sigmaAfter)
            #expect(abs(try #require(estimate.results[0].value) - recorded) <= 1e-9 * recorded, "\(id) (\(size)×\(size))")
        }
        // NumPy: the circular stride-1 norm is the largest singular value of the kernel's DFT on the grid.
        let script = """
            import sys, numpy as np
            for name in sys.argv[1:]:
                k = np.load(name)
                symbol = np.fft.fft2(k, s=(6, 6), axes=(2, 3))
                print(np.linalg.svd(symbol.transpose(2, 3, 0, 1), compute_uv=False).max())
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, folder.appendingPathComponent("rescale-exact.npy").path,
                             folder.appendingPathComponent("sedghi-clip.npy").path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "python3 with NumPy is needed for the outside check (scripts/install-dependencies)")
        let values = text.split(separator: "\n").compactMap { Double($0) }
        #expect(values.count == 2 && values.allSatisfy { abs($0 - 0.5) < 1e-9 }, "\(text)")
    }

    @Test("bad input is one line and exit 64", arguments: [
        (["--target", "0"], "invalid target 0"),
        (["--target=-1"], "invalid target -1"),
        (["--target", "nan"], "invalid target nan"),
        (["--target", "inf"], "invalid target inf"),
        (["--target", "1", "--methods", "fastclip,magic"], "unknown clipping method 'magic'"),
        (["--target", "1", "--methods", "fastclip", "--param", "fastclip.speed=2"], "speed"),
        (["--target", "1", "--methods", "fastclip", "--param", "magic.rounds=2"], "unknown clipping method id 'magic'"),
        (["--target", "1", "--methods", "sedghi-clip", "--dilation", "2"], "no asked-for clipping method supports"),
    ])
    func badInput(_ extra: [String], _ expected: String) throws {
        let output = try BenchProcess.run(["clip"] + Self.operatorArguments + extra)
        #expect(output.status == 64, "\(extra): \(output.stderr)")
        let lines = output.stderr.split(separator: "\n")
        #expect(lines.count == 1 && output.stderr.contains(expected), "\(extra): \(output.stderr)")
        #expect(output.stdout.isEmpty)
    }

    static let sweepConfig = """
        name: clips
        seed: 5
        grid:
          cout: [3]
          cin: [2]
          kernelSizes: [3]
          inputSizes: [5, 6]
          paddings: [zero, circular]
        methods: [reference, gram-zero]
        clip:
          targets: [1, 0.5]
          methods: [rescale-exact, rescale-gram-zero, sedghi-clip, {id: fastclip, parameters: {stepSize: 1e6, rounds: 20}}]
        repetitions: 2
        warmup: 0
        """

    @Test("a sweep's clip: key gives clip records beside the estimates; a diverging method is an error naming its step, the others run; --resume completes a cut run")
    func sweep() throws {
        let (config, folder) = SweepFixture.config(Self.sweepConfig)
        let output = folder.appendingPathComponent("run")
        let run = try BenchProcess.run(["sweep", "--config", config, "--output", output.path, "--plots", folder.appendingPathComponent("plots").path])
        #expect(run.status == 3, "\(run.stderr)")
        let records = try SweepFixture.records(output)
        #expect(Set(records.map(\.point)).count == 4)
        let clips = records.filter { $0.result.task == MethodResult.clipTask }
        #expect(clips.count == 4 * 2 * 4)
        for record in clips where record.result.method == "fastclip" {
            #expect(record.result.status == .error)
            #expect(record.result.message?.contains("round") == true, "\(record.result.message ?? "")")
            #expect(record.result.sigmaBefore == record.reference)
        }
        for record in clips where record.result.method == "rescale-exact" {
            #expect(record.result.status == .ok)
            #expect(abs(record.result.sigmaAfter! - record.result.target!) < 1e-9)
            #expect(record.result.relativeError! < 1e-9)
            #expect(record.result.timing?.samples.count == 2)
        }
        for record in clips where record.result.method == "rescale-gram-zero" {
            #expect(record.result.guaranteeHeld == true && record.result.sigmaAfter! <= record.result.target! * (1 + 1e-9))
        }
        // Estimates are judged as before; clips are not compared with the reference as values.
        #expect(records.filter { $0.result.method == "gram-zero" }.allSatisfy { $0.result.guaranteeHeld == true })
        let tables = try String(contentsOf: output.appendingPathComponent("tables.md"), encoding: .utf8)
        #expect(tables.contains("## Clipping") && tables.contains("#### Target c = 0.5"))
        #expect(!tables.contains("| rescale-exact |"), "clip records must stay out of the estimate tables")
        let csv = try String(contentsOf: output.appendingPathComponent("results.csv"), encoding: .utf8)
        #expect(csv.split(separator: "\n")[0].hasSuffix(CSVExport.clipColumns.joined(separator: ",")))
        let plots = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("plots/clips").path)
        #expect(plots.contains { $0.hasPrefix("clip-c1-") && $0.hasSuffix(".gp") })

        // Cut the run after its first point's lines, then resume: the same clip records.
        let lines = try String(contentsOf: output.appendingPathComponent("results.jsonl"), encoding: .utf8).split(separator: "\n")
        let first = records[0].point
        let kept = lines.filter { $0.contains("\"point\":\"\(first)\"") }
        try Data((kept.joined(separator: "\n") + "\n").utf8).write(to: output.appendingPathComponent("results.jsonl"))
        let resumed = try BenchProcess.run(["sweep", "--config", config, "--output", output.path, "--resume", "--no-report"])
        #expect(resumed.status == 3, "\(resumed.stderr)")
        let again = try SweepFixture.records(output).filter { $0.result.task == MethodResult.clipTask }
        #expect(again.count == clips.count)
        for (a, b) in zip(again.sorted { ($0.point, $0.result.runKey) < ($1.point, $1.result.runKey) },
                          clips.sorted { ($0.point, $0.result.runKey) < ($1.point, $1.result.runKey) }) {
            #expect(a.result.runKey == b.result.runKey && a.result.status == b.result.status && a.result.sigmaAfter == b.result.sigmaAfter)
        }
    }

    @Test("clip: config errors name the key, the value and what is accepted (exit 64)", arguments: [
        ("clip: {targets: [0], methods: [rescale-exact]}", "invalid target '0'"),
        ("clip: {targets: [.nan], methods: [rescale-exact]}", "invalid target '.nan'"),
        ("clip: {targets: [1], methods: [clip-it]}", "unknown clipping method 'clip-it'"),
        ("clip: {targets: [1], methods: [{id: fastclip, parameters: {rounds: 0}}]}", "rounds"),
        ("clip: {targets: [1], methods: [rescale-exact], scopes: [convolution]}", "scopes must start with 'composition'"),
        ("clip: {methods: [rescale-exact]}", "missing key 'targets'"),
        ("clip: {targets: [1], methods: [rescale-exact], speed: 2}", "unknown key 'speed'"),
    ])
    func configErrors(_ block: String, _ expected: String) throws {
        let (config, folder) = SweepFixture.config("""
            name: bad-clip
            grid: {cout: [2], cin: [2], kernelSizes: [3], inputSizes: [4], paddings: [zero]}
            \(block)
            """)
        let output = try SweepFixture.sweep(config, output: folder.appendingPathComponent("run"))
        #expect(output.status == 64, "\(block): \(output.stderr)")
        #expect(output.stderr.contains(expected), "\(block): \(output.stderr)")
        #expect(output.stderr.split(separator: "\n").count == 1, "\(output.stderr)")
    }

    @Test("the plan: one clip job per method × target × scope, typed once; rescale-exact divides by the sweep's reference; as: names a second run")
    func plan() throws {
        let (config, _) = SweepFixture.config("""
            name: planned
            grid: {cout: [2], cin: [2], kernelSizes: [3], inputSizes: [4], paddings: [zero]}
            reference: {denseLimit: 512}
            clip:
              targets: [1, 0.25]
              methods: [all, {id: fastclip, as: fastclip-long, parameters: {rounds: 40}, repetitions: 1}]
            """)
        let plan = try SweepConfigurationParser.parse(path: config)
        let jobs = plan.runs.compactMap(\.clip)
        #expect(jobs.count == (ClippingCatalog.ids.count + 1) * 2)
        #expect(plan.configuration.runKeys == plan.runs.map(\.key))
        let exact = try #require(jobs.first { $0.method.id == "rescale-exact" })
        #expect(exact.method.parameterValues["denseLimit"] == "512")
        let long = try #require(plan.runs.first { $0.clip?.name == "fastclip-long" })
        #expect(long.repetitions == 1 && long.clip?.method.parameterValues["rounds"] == "40")
        #expect(long.key == "clip:fastclip-long@1")
        #expect(plan.runs.first { $0.clip?.name == "fastclip" }?.clip?.method.parameterValues["rounds"] == "5")
    }
}
