import Foundation
import Testing
import SpecBenchMethods
import SpecBenchHarness
import SpecBenchResults
import TestSupport

/// The precision axis end to end: `bench estimate --precision`, a sweep's `precisions:`, the
/// results, CSV, tables and figures that carry it, and `bench compare` across runs with and
/// without it.
@Suite("precision axis")
struct PrecisionAxisTests {
    @Test("estimate --precision float32 runs every method in float32 against the float64 reference")
    func estimateInFloat32() throws {
        let report = try EstimateFixture.report([
            "--random", "6,4,3,3", "--input-size", "6", "--padding", "circular", "--methods", "all",
            "--precision", "float32", "--format", "json",
        ])
        #expect(report.precision == .float32)
        #expect(report.results.count == methodCount)
        for result in report.results {
            let supportsFloat32 = try MethodCatalog.type(for: result.method).precisions.contains(.float32)
            #expect(result.precision == (supportsFloat32 ? .float32 : .float64), "\(result.method)")
            #expect(result.status == .ok && result.value.map { $0.isFinite } == true, "\(result.method)")
        }
        // sedghi is exact for circular padding: in float32 its error is float32 rounding.
        let sedghi = try #require(report.results.first { $0.method == "sedghi" })
        #expect(abs(sedghi.relativeError ?? 1) < 1e-5 && sedghi.relativeError != 0)
        // Judged with float32's rounding slack: exact to float32, not to float64.
        #expect(sedghi.guaranteeHeld == true, "float32 sedghi is exact within float32 rounding: \(sedghi.relativeError ?? .nan)")
        for result in report.results where result.guarantee == .upper || result.guarantee == .lower {
            #expect(result.guaranteeHeld == true, "\(result.method)")
        }

        let bad = try BenchProcess.run(["estimate", "--random", "2,2,3,3", "--input-size", "4", "--padding", "zero",
                                        "--methods", "sedghi", "--precision", "float16"])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("float16") && bad.stderr.contains("float64") && bad.stderr.contains("float32"), "\(bad.stderr)")
    }

    static let grid = """
        name: precision-test
        seed: 3
        grid:
          cout: [4]
          cin: [3]
          kernelSizes: [3]
          inputSizes: [4, 6]
          paddings: [zero, circular]
        methods: [all]
        repetitions: 1
        warmup: 0
        """

    @Test("a sweep over both precisions records each method in each, and its CSV, tables and figures show the axis")
    func sweepOverPrecisions() throws {
        let (config, folder) = SweepFixture.config(Self.grid + "\nprecisions: [float32, float64]\n")
        let output = folder.appendingPathComponent("run")
        let run = try SweepFixture.sweep(config, output: output)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("\(methodCount) methods in 2 precisions (\(methodCount + float32MethodCount) runs per point)"), "\(run.stderr)")
        let records = try SweepFixture.records(output)
        #expect(records.count == 4 * (methodCount + float32MethodCount))
        for point in Set(records.map(\.point)) {
            let keys = records.filter { $0.point == point }.map(\.result.runKey)
            #expect(keys.count == methodCount + float32MethodCount && Set(keys).count == keys.count)
            for type in MethodCatalog.all {
                #expect(keys.contains(type.id))
                #expect(keys.contains(type.id + "@float32") == type.precisions.contains(.float32), "\(type.id)")
            }
        }
        // float32 results are judged against the float64 reference of their point.
        for record in records where record.result.precision == .float32 && record.result.status == .ok {
            #expect(record.result.relativeError != nil && record.reference != nil)
        }
        let csv = try String(contentsOf: output.appendingPathComponent("results.csv"), encoding: .utf8)
        let rows = csv.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(rows.filter { $0[12] == "float32" }.count == 4 * float32MethodCount && rows.filter { $0[12] == "float64" }.count == 4 * methodCount)

        let plots = folder.appendingPathComponent("plots")
        let report = try BenchProcess.run(["report", output.path, "--plots", plots.path])
        #expect(report.status == 0, "\(report.stderr)")
        let tables = try String(contentsOf: output.appendingPathComponent("tables.md"), encoding: .utf8)
        #expect(tables.contains("| point | precision | σ (reference) |"))
        #expect(tables.contains("· float32"))
        // The float32 summary: one row per method but the reference, from the records.
        #expect(tables.contains("## float32 against float64"))
        let summaryRows = tables.components(separatedBy: "## float32 against float64")[1].split(separator: "\n").filter { $0.hasPrefix("| `") }
        #expect(summaryRows.count == methodCount - 1, "\(summaryRows)")
        let sedghiRow = try #require(summaryRows.first { $0.hasPrefix("| `sedghi`") })
        #expect(sedghiRow.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }[1] == "4", "sedghi ran at 4 points in both precisions")
        let figureFolder = plots.appendingPathComponent("precision-test")
        let scripts = try FileManager.default.contentsOfDirectory(atPath: figureFolder.path).filter { $0.hasSuffix(".gp") }
        #expect(!scripts.isEmpty)
        for script in scripts {
            let text = try String(contentsOf: figureFolder.appendingPathComponent(script), encoding: .utf8)
            #expect(text.contains("title 'powerqr (float32)'") && text.contains("dt 2"), "\(script)")
        }
    }

    @Test("compare matches float64 results of a run without the axis and notes the difference; lost float32 results are regressions")
    func compareAcrossTheAxis() throws {
        let (plainConfig, folder) = SweepFixture.config(Self.grid, name: "plain")
        let plain = folder.appendingPathComponent("plain")
        #expect(try SweepFixture.sweep(plainConfig, output: plain).status == 0)
        let bothConfig = folder.appendingPathComponent("both.yaml")
        try Data((Self.grid + "\nprecisions: [float64, float32]\n").utf8).write(to: bothConfig)
        let both = folder.appendingPathComponent("both")
        #expect(try SweepFixture.sweep(bothConfig.path, output: both).status == 0)

        let forward = try BenchProcess.run(["compare", plain.path, both.path, "--format", "text"])
        #expect(forward.status == 0 || forward.status == 2 || forward.status == 4, "\(forward.stderr)")
        #expect(forward.stdout.contains("precisions differ"), "\(forward.stdout)")
        #expect(!forward.stdout.contains("missing"), "every float64 result of the plain run has its match:\n\(forward.stdout)")

        let backward = try BenchProcess.run(["compare", both.path, plain.path, "--format", "text"])
        #expect(backward.status == 2, "\(backward.stdout)")
        #expect(backward.stdout.contains("missing") && backward.stdout.contains("powerqr@float32"), "\(backward.stdout)")
    }

    @Test("a result recorded before the precision axis reads as float64 under its bare method id")
    func olderRecords() throws {
        let line = #"{"method":"powerqr","status":"ok","value":1.5,"values":[1.5],"parameters":{}}"#
        let result = try JSONDecoder().decode(MethodResult.self, from: Data(line.utf8))
        #expect(result.precision == .float64 && result.runKey == "powerqr")
        let encoded = String(decoding: try JSONEncoder().encode(result), as: UTF8.self)
        #expect(encoded.contains(#""precision":"float64""#))
    }
}
