import Foundation
import Testing
import SpecBenchHarness
import SpecBenchResults
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

@Suite("bench sweep")
struct SweepCommandTests {
    @Test("an OPENBLAS_THREAD_TIMEOUT the caller set is kept, not replaced by bench's")
    func callerThreadTimeoutKept() throws {
        let (config, folder) = SweepFixture.config(CrashedMethodTests.config)
        let output = folder.appendingPathComponent("run")
        let run = try BenchProcess.run(["sweep", "--config", config, "--output", output.path, "--no-report"],
                                       environment: ["OPENBLAS_THREAD_TIMEOUT": "7"])
        #expect(run.status == 0, "\(run.stderr)")
        let manifest = try RunDirectory.readManifest(output.appendingPathComponent("manifest.json"))
        #expect(manifest.context.blasConfiguration.hasSuffix(" OPENBLAS_THREAD_TIMEOUT=7"), "\(manifest.context.blasConfiguration)")
    }

    @Test("every result line carries the documented keys; manifest, CSV and debug warning are there")
    func resultLines() throws {
        let (config, folder) = SweepFixture.config(SweepFixture.smallGrid)
        let output = folder.appendingPathComponent("run")
        let run = try SweepFixture.sweep(config, output: output)
        #expect(run.status == 0, "\(run.stderr)")
        let text = try String(contentsOf: output.appendingPathComponent("results.jsonl"), encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 16 * methodCount)
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            for key in ["method", "status", "value", "seconds", "peakBytes", "relativeError", "guaranteeHeld", "point", "operator"] {
                #expect(object.keys.contains(key), "missing \(key)")
            }
        }
        let records = try SweepFixture.records(output)
        // Every method ran, and every claimed guarantee held on these converged-enough cases.
        #expect(records.allSatisfy { $0.result.status == .ok || $0.result.status == .notApplicable })
        #expect(records.filter { $0.result.method != "reference" && $0.result.status == .ok }.allSatisfy { $0.result.relativeError != nil })
        #expect(records.filter { $0.result.guarantee == .upper }.allSatisfy { $0.result.guaranteeHeld == true })
        #expect(records.filter { $0.result.method == "sedghi" && $0.operator.padding == .circular }.allSatisfy { $0.result.guaranteeHeld == true })
        #expect(records.filter { $0.result.method == "power-iteration" }.allSatisfy { ($0.result.timing?.samples.count ?? 0) == 2 })
        let manifest = try RunDirectory.readManifest(output.appendingPathComponent("manifest.json"))
        #expect(manifest.schemaVersion == 1)
        #expect(manifest.context.buildConfiguration == "debug")
        // bench processes run with OpenBLAS's idle threads sleeping (OpenBLASEnvironment): set
        // by bench itself when the caller did not set it, kept when it did.
        let timeout = ProcessInfo.processInfo.environment["OPENBLAS_THREAD_TIMEOUT"] ?? "4"
        #expect(manifest.context.blasConfiguration.hasSuffix(" OPENBLAS_THREAD_TIMEOUT=\(timeout)"), "\(manifest.context.blasConfiguration)")
        #expect(manifest.context.cores >= 1 && !manifest.context.cpuModel.isEmpty)
        #expect(manifest.configHash.count == 64)
        #expect(manifest.pointsCompleted == 16 && manifest.pointsTotal == 16)
        #expect(manifest.calibration?.end != nil)
        // Cost models and the machine's peaks: every result that ran counts its operations, the
        // manifest holds positive peak rates, and the CSV and tables show the fraction of peak.
        let peaks = try #require(manifest.calibration?.peaks)
        for rates in [peaks.float64, peaks.float32] {
            #expect([rates.realMatrix, rates.complexMatrix, rates.decomposition, rates.transform].allSatisfy { $0 > 1e6 && $0.isFinite })
        }
        #expect(records.filter { $0.result.status == .ok }.allSatisfy { ($0.result.operations?.total ?? 0) > 0 })
        #expect(run.stderr.contains("DEBUG build"), "a debug build must say loudly that its timings are not comparable")
        let csv = try String(contentsOf: output.appendingPathComponent("results.csv"), encoding: .utf8)
        #expect(csv.hasPrefix("point,label,cout,cin,kh,kw,inputSize,padding,stride,pad,kernel,method,precision,status,value"))
        #expect(csv.split(separator: "\n").count == 16 * methodCount + 1)
        #expect(csv.split(separator: "\n")[0].hasSuffix(",operations,fractionOfPeak,fractionOfNominalPeak,dilation,groups,transposed,dimensions"))
        #expect(csv.split(separator: "\n").dropFirst().filter { $0.contains(",ok,") }.allSatisfy { !$0.hasSuffix(",") })
        #expect(!FileManager.default.fileExists(atPath: output.appendingPathComponent("in-progress").path))
    }

    @Test("a point past its time or memory limit is recorded as timeout / out-of-memory and the sweep goes on")
    func limits() throws {
        let (config, folder) = SweepFixture.config("""
            name: limits
            grid:
              cout: [8]
              kernelSizes: [3]
              inputSizes: [8, 4]
              paddings: [zero]
            methods:
              - sedghi
              - id: power-iteration
                parameters: {iterations: 1000000}
              - id: gram-zero
                parameters: {iterations: 10}
            repetitions: 1
            warmup: 0
            limits:
              secondsPerPoint: 3
              memoryPerPoint: 400MiB
            """)
        let output = folder.appendingPathComponent("run")
        let run = try SweepFixture.sweep(config, output: output)
        #expect(run.status == 0, "\(run.stderr)")
        let records = try SweepFixture.records(output)
        #expect(records.count == 2 * 4)
        for point in Set(records.map(\.point)) {
            let byMethod = Dictionary(uniqueKeysWithValues: records.filter { $0.point == point }.map { ($0.result.method, $0.result) })
            #expect(byMethod["power-iteration"]?.status == .timeout, "\(point): \(String(describing: byMethod["power-iteration"]))")
            #expect(byMethod["power-iteration"]?.message?.contains("limit") == true)
            #expect(byMethod["gram-zero"]?.status == .outOfMemory, "\(point): \(String(describing: byMethod["gram-zero"]))")
            // Its 1.2 GiB need is known from the shapes: refused before it starts.
            #expect(byMethod["gram-zero"]?.message?.hasSuffix("not run") == true)
            #expect(byMethod["sedghi"]?.status == .ok)
            #expect(byMethod["reference"]?.status == .ok)
        }
    }

    @Test("kill -9 during a sweep, then --resume: the same points and values as an uninterrupted run")
    func killAndResume() throws {
        let (config, folder) = SweepFixture.config(SweepFixture.slowSixPoints)
        let whole = folder.appendingPathComponent("whole")
        #expect(try SweepFixture.sweep(config, output: whole).status == 0)
        let expected = try SweepFixture.records(whole)

        let interrupted = folder.appendingPathComponent("interrupted")
        #expect(try SweepFixture.killAfterFirstPoint(config, output: interrupted), "the sweep finished before it could be interrupted")
        #expect(!FileManager.default.fileExists(atPath: interrupted.appendingPathComponent("results.jsonl").path))

        let refused = try SweepFixture.sweep(config, output: interrupted)
        #expect(refused.status == 64 && refused.stderr.contains("--resume"), "an interrupted run is not overwritten silently")
        let resumed = try SweepFixture.sweep(config, output: interrupted, extra: ["--resume"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let records = try SweepFixture.records(interrupted)
        #expect(records.count == expected.count)
        #expect(records.map(\.point) == expected.map(\.point))
        #expect(records.map(\.result.method) == expected.map(\.result.method))
        #expect(records.map(\.result.value) == expected.map(\.result.value))
        let manifest = try RunDirectory.readManifest(RunDirectory(path: interrupted.path).manifestURL)
        #expect(manifest.machines == nil, "resumed on the machine it started on: one machine, no sessions recorded")
    }

    @Test("two runs with the same seed give identical values")
    func reproducible() throws {
        let (config, folder) = SweepFixture.config(SweepFixture.smallGrid)
        let first = folder.appendingPathComponent("first"), second = folder.appendingPathComponent("second")
        #expect(try SweepFixture.sweep(config, output: first).status == 0)
        #expect(try SweepFixture.sweep(config, output: second).status == 0)
        let a = try SweepFixture.records(first), b = try SweepFixture.records(second)
        #expect(a.count == b.count)
        for (x, y) in zip(a, b) {
            #expect(x.point == y.point && x.result.method == y.result.method)
            #expect(x.result.values == y.result.values, "\(x.point) \(x.result.method)")
            #expect(x.result.relativeError == y.result.relativeError)
        }
    }

    @Test("processes: N measures each point in N processes and pools their repetitions")
    func pooledProcesses() throws {
        let (config, folder) = SweepFixture.config("""
            name: pooled
            grid:
              cout: [2]
              kernelSizes: [3]
              inputSizes: [5]
              paddings: [zero]
            methods: [sedghi, tn-bound]
            repetitions: 2
            warmup: 0
            processes: 3
            """)
        let output = folder.appendingPathComponent("run")
        #expect(try SweepFixture.sweep(config, output: output).status == 0)
        let records = try SweepFixture.records(output)
        for record in records where record.result.method != "reference" {
            #expect(record.result.timing?.samples.count == 6, "\(record.result.method)")
            #expect(record.result.timing?.cpuSamples?.count == 6)
            #expect(record.result.message == nil, "same values in every process")
        }
    }

    @Test("shards cover the points once and merge into the whole run")
    func shardsAndMerge() throws {
        let (config, folder) = SweepFixture.config(SweepFixture.smallGrid)
        let whole = folder.appendingPathComponent("whole")
        #expect(try SweepFixture.sweep(config, output: whole).status == 0)
        var shards: [String] = []
        for index in 1...3 {
            let shard = folder.appendingPathComponent("shard\(index)")
            #expect(try SweepFixture.sweep(config, output: shard, extra: ["--shard", "\(index)/3"]).status == 0)
            shards.append(shard.path)
        }
        let merged = folder.appendingPathComponent("merged")
        let merge = try BenchProcess.run(["merge"] + shards + ["--output", merged.path])
        #expect(merge.status == 0, "\(merge.stderr)")
        let a = try SweepFixture.records(whole), b = try SweepFixture.records(merged)
        #expect(a.map(\.point) == b.map(\.point))
        #expect(a.map(\.result.values) == b.map(\.result.values))
        let manifest = try RunDirectory.readManifest(merged.appendingPathComponent("manifest.json"))
        #expect(manifest.mergedFrom?.count == 3 && manifest.pointsCompleted == manifest.pointsTotal)
        let twice = try BenchProcess.run(["merge", shards[0], shards[0], "--output", folder.appendingPathComponent("bad").path])
        #expect(twice.status == 64 && twice.stderr.contains("in both"))
    }
}
