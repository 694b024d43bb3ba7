import Foundation
import Testing
import SpecBenchResults
import TestSupport

/// Hostile input, round two, cases 4–7: closed and full output streams, and kernels whose
/// numbers sit at the ends of float64's range. Exit codes, one-line messages, complete JSON.
@Suite("Hostile kernels and output streams")
struct HostileOutputTests {
    static let directory = BenchProcess.temporaryDirectory()

    /// A (4, 4, 3, 3) float64 `.npy` kernel of `values` (144 entries), written to the test folder.
    static func kernel(_ name: String, _ values: [Double]) -> String {
        let bytes = EstimateCommandTests.npy(shape: "(4, 4, 3, 3)", payload: EstimateCommandTests.doubles(values))
        return EstimateCommandTests.file(name, bytes)
    }

    static func shell(_ arguments: [String], redirect: String) throws -> BenchProcess.Output {
        try BenchProcess.run(arguments, redirect: redirect)
    }

    @Test("case 4: bad input with stderr closed exits 64, not a signal")
    func closedStandardError() throws {
        let run = try Self.shell(["estimate", "--random", "0,4,3,3", "--input-size", "6", "--padding", "zero",
                                  "--methods", "fantastic-four"], redirect: "2>&-")
        #expect(run.status == 64, "exit \(run.status)")
        let good = try Self.shell(["estimate", "--random", "2,2,3,3", "--input-size", "6", "--padding", "zero",
                                   "--methods", "sedghi"], redirect: "2>&-")
        #expect(good.status == 0, "exit \(good.status)")
        #expect(good.stdout.contains("\"sedghi\""))
    }

    @Test("case 7: JSON written to a full device exits 1 naming the failure")
    func fullDevice() throws {
        guard FileManager.default.fileExists(atPath: "/dev/full") else { return }
        let run = try Self.shell(["estimate", "--random", "2,2,3,3", "--input-size", "6", "--padding", "zero",
                                  "--methods", "sedghi"], redirect: "> /dev/full")
        #expect(run.status == 1, "exit \(run.status)")
        #expect(run.stderr.contains("error: writing to standard output failed: No space left on device"), "\(run.stderr)")
    }

    /// Every method's result from `bench estimate --methods all --format json` on `path`.
    static func results(_ path: String, precision: String = "float64") throws -> [[String: Any]] {
        let run = try BenchProcess.run(["estimate", "--kernel", path, "--input-size", "6", "--padding", "zero",
                                        "--methods", "all", "--format", "json", "--precision", precision])
        #expect(run.status == 0, "exit \(run.status): \(run.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        return try #require(object["results"] as? [[String: Any]])
    }

    @Test("case 5: an all-zero (pruned) kernel: complete JSON, every method says 0 and its guarantee holds",
          arguments: ["float64", "float32"])
    func zeroKernel(_ precision: String) throws {
        let results = try Self.results(Self.kernel("zeros-\(precision).npy", [Double](repeating: 0, count: 144)), precision: precision)
        #expect(results.count == methodCount)
        for result in results {
            let method = result["method"] as? String ?? "?"
            #expect(result["status"] as? String == "ok", "\(method): \(result["message"] ?? "")")
            #expect(result["value"] as? Double == 0, "\(method): \(result["value"] ?? "nil")")
            #expect(result["guaranteeHeld"] as? Bool != false, "\(method)")
        }
    }

    @Test("case 6: entries near 1e300 and 1e-300: every method scales first; float64 values exactly the unit kernel's, scaled",
          arguments: [996, -996])
    func extremeScales(_ exponent: Int) throws {
        // 2^±996 (about 6.7e299 and 1.5e-300): a power of two, so the scaled kernel is the unit
        // one exactly and float64 results must be too, scaled.
        let scale = Double(sign: .plus, exponent: exponent, significand: 1)
        var generator = SeededGenerator(seed: 6)
        // Largest entry in [1, 2): what the harness scales an extreme kernel to, so that even
        // PowerQR (not homogeneous) must give the unit kernel's value, scaled.
        var unit = (0..<144).map { _ in Double.random(in: -1...1, using: &generator) }
        let largest = unit.map(abs).max()!
        unit = unit.map { $0 * 1.5 / largest }
        let plain = try Self.results(Self.kernel("unit-\(exponent).npy", unit))
        for precision in ["float64", "float32"] {
            let plainInPrecision = precision == "float64" ? plain : try Self.results(Self.kernel("unit-\(exponent)-32.npy", unit), precision: precision)
            let scaled = try Self.results(Self.kernel("scaled-\(exponent)-\(precision).npy", unit.map { $0 * scale }), precision: precision)
            for result in scaled {
                let method = result["method"] as? String ?? "?"
                #expect(result["status"] as? String == "ok", "\(method) \(precision): \(result["message"] ?? "")")
                #expect(result["guaranteeHeld"] as? Bool != false, "\(method) \(precision) broke its guarantee")
                let value = try #require(result["value"] as? Double, "\(method)")
                let unscaled = try #require(plainInPrecision.first { $0["method"] as? String == method }?["value"] as? Double)
                // Bit for bit in the tool (checked with a correctly rounded parser); Foundation's
                // JSON parser on Linux rounds numbers near 1e±300 to within a few units in the
                // last place, hence the 1e-15.
                #expect(abs(value - unscaled * scale) <= 1e-15 * abs(unscaled * scale),
                        "\(method) \(precision): \(value) vs \(unscaled) × 2^\(exponent)")
            }
        }
    }
}

/// A small deterministic generator for the tests' kernels (SplitMix64).
private struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_E9B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Hostile input, round two, cases 8–11 and 18: output paths that cannot be written are refused
/// before any work, and a threshold for a method no run has is bad usage.
@Suite("Unusable output paths and thresholds")
struct OutputPathTests {
    static let run = SweepFixture.finishedSmallRun(name: "run")

    /// A regular file in a fresh folder.
    static func file() throws -> String {
        let url = BenchProcess.temporaryDirectory().appendingPathComponent("a-file")
        try Data("x".utf8).write(to: url)
        return url.path
    }

    @Test("cases 8–10: --plots or --output naming a file exits 64 with one line, before any work")
    func fileAsFolder() throws {
        let file = try Self.file()
        let (config, folder) = SweepFixture.config(SweepFixture.smallGrid)
        let output = folder.appendingPathComponent("never")
        let sweep = try BenchProcess.run(["sweep", "--config", config, "--output", output.path, "--plots", file])
        #expect(sweep.status == 64, "sweep: exit \(sweep.status)")
        #expect(sweep.stderr.contains("--plots '\(file)' is a file"), "\(sweep.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output.path), "the sweep must not have started")
        let report = try BenchProcess.run(["report", Self.run.path, "--plots", file])
        #expect(report.status == 64 && report.stderr.contains("--plots '\(file)' is a file"), "report: \(report.stderr)")
        let merge = try BenchProcess.run(["merge", Self.run.path, "--output", file])
        #expect(merge.status == 64 && merge.stderr.contains("--output '\(file)' is a file"), "merge: \(merge.stderr)")
        let under = try BenchProcess.run(["merge", Self.run.path, "--output", file + "/inside"])
        #expect(under.status == 64 && under.stderr.contains("cannot be created: '\(file)' is a file"), "merge: \(under.stderr)")
        for output in [sweep, report, merge, under] { #expect(output.stderr.split(separator: "\n").count <= 2) }
    }

    @Test("case 11: a sweep whose results file cannot grow (a full disk; here a file-size limit) exits 1 with one line; --resume then completes with nothing lost")
    func fullDiskDuringSweep() throws {
        let (config, folder) = SweepFixture.config(SweepFixture.smallGrid)
        let output = folder.appendingPathComponent("full")
        // ulimit -f 16: files stop at 8 KiB (EFBIG, with SIGXFSZ ignored), as on a full disk.
        let full = try BenchProcess.run(["sweep", "--config", config, "--output", output.path, "--no-report"],
                                        redirect: "", shellPrefix: "trap '' XFSZ; ulimit -f 16; ")
        #expect(full.status == 1, "exit \(full.status): \(full.stderr)")
        let lastLine = full.stderr.split(separator: "\n").last.map(String.init) ?? ""
        #expect(lastLine.contains("error: cannot write '") && lastLine.contains("results.jsonl': File too large"), "\(full.stderr)")
        let resumed = try SweepFixture.sweep(config, output: output, extra: ["--resume"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let fresh = folder.appendingPathComponent("fresh")
        _ = try SweepFixture.sweep(config, output: fresh)
        let keys = { (records: [SweepRecord]) in Set(records.map { "\($0.point) \($0.result.runKey) \($0.result.value ?? -1)" }) }
        #expect(keys(try SweepFixture.records(output)) == keys(try SweepFixture.records(fresh)), "the resumed run must hold every record, with the same values")
    }

    @Test("case 18: --threshold for a method neither run has exits 64 naming it and the methods there are")
    func unknownThresholdMethod() throws {
        let compare = try BenchProcess.run(["compare", Self.run.path, Self.run.path, "--threshold", "nosuch.time=2"])
        #expect(compare.status == 64, "exit \(compare.status)")
        #expect(compare.stderr.contains("--threshold names method 'nosuch', which neither run has; accepted: "), "\(compare.stderr)")
        let known = try BenchProcess.run(["compare", Self.run.path, Self.run.path, "--threshold", "sedghi.time=2"])
        #expect(known.status == 0, "\(known.stderr)")
    }
}
