import Foundation
import SpecBenchHarness
import SpecBenchResults
import Testing
import TestSupport

/// The memory a method will need is estimated from the shapes and refused above the limit before
/// anything is allocated (issue "the harness under abuse", item 4): the point's memory cap in a
/// sweep, the memory this machine has available (or `--memory-limit`) for `bench estimate`. The estimates are
/// checked against the peak each method really reaches.
@Suite("Memory needs: estimated, checked, refused before allocation")
struct MemoryNeedTests {
    static func estimate(_ arguments: [String]) throws -> (run: BenchProcess.Output, report: EstimateReport?) {
        let run = try BenchProcess.run(["estimate"] + arguments)
        let report = run.status == 0 ? try JSONDecoder().decode(EstimateReport.self, from: Data(run.stdout.utf8)) : nil
        return (run, report)
    }

    @Test("each method's estimated need matches the peak it reaches (Lanczos: a lower bound)", arguments: [
        ["--random", "256,256,3,3", "--input-size", "8", "--padding", "zero"],
        ["--random", "96,48,5,5", "--input-size", "16", "--padding", "circular", "--stride", "2"],
    ])
    func estimatesMatchPeaks(_ operatorArguments: [String]) throws {
        let (run, report) = try Self.estimate(operatorArguments + ["--methods", "all"])
        let results = try #require(report?.results, "exit \(run.status): \(run.stderr.prefix(300))")
        let slack = 12 << 20  // allocator and page-granularity noise of a small peak
        var checked = 0
        for result in results where result.status == .ok {
            let peak = try #require(result.peakBytes), need = try #require(result.memoryNeedBytes, "\(result.method)")
            // The need never overstates what the method takes by much: no false refusals.
            #expect(Double(need) <= 1.25 * Double(peak) + Double(slack), "\(result.method): need \(need) for a peak of \(peak)")
            if result.tier != "lanczos" {
                // Where every buffer's size is known in advance the estimate is the peak.
                #expect(Double(peak) <= 1.25 * Double(need) + Double(slack), "\(result.method): peak \(peak) above its need \(need)")
            }
            checked += 1
        }
        #expect(checked == results.count, "every method ran: \(results.map { "\($0.method) \($0.status)" })")
        // gram-zero's triangle storage dominates at 256 channels; the estimate must see it.
        if let gram = results.first(where: { $0.method == "gram-zero" }), operatorArguments[1] == "256,256,3,3" {
            #expect((gram.memoryNeedBytes ?? 0) > 300 << 20, "\(String(describing: gram.memoryNeedBytes))")
        }
    }

    @Test("a very wide kernel's sedghi is refused in a moment, naming the need, without a huge allocation")
    func wideKernelRefused() throws {
        let started = Date()
        let (run, _) = try Self.estimate(["--random", "1,1,1,200000000", "--input-size", "32", "--padding", "circular", "--methods", "sedghi"])
        #expect(run.status == 64, "exit \(run.status): \(run.stderr.prefix(300))")
        #expect(run.stderr.contains("alone need") && run.stderr.contains("GiB, above this machine's"), "\(run.stderr.prefix(300))")
        #expect(run.stderr.split(separator: "\n").count == 1)
        #expect(Date().timeIntervalSince(started) < 5)
    }

    @Test("a method whose need exceeds --memory-limit is out-of-memory, not run; the others run")
    func oneMethodRefused() throws {
        let (run, report) = try Self.estimate([
            "--random", "512,512,3,3", "--input-size", "8", "--padding", "zero", "--methods", "gram-zero,tn-bound",
            "--memory-limit", "1GiB",
        ])
        let results = try #require(report?.results, "exit \(run.status): \(run.stderr.prefix(300))")
        #expect(results[0].method == "gram-zero" && results[0].status == .outOfMemory)
        let message = results[0].message ?? ""
        #expect(message.contains("needs at least 1.") && message.contains("above the memory limit of 1 GiB") && message.contains("not run"), "\(message)")
        #expect(results[0].peakBytes == nil && results[0].seconds == nil, "a refused method must not have run")
        #expect(results[1].status == .ok)
        #expect(run.stderr.contains("not running gram-zero"))
    }

    @Test("when no asked-for method fits, estimate exits 64 naming the need", arguments: [
        (["--methods", "gram-zero", "--memory-limit", "512MiB"], "gram-zero needs at least"),
        (["--methods", "gram-zero,fantastic-four", "--memory-limit", "20MiB"], "and so does every other method asked for"),
        (["--methods", "sedghi", "--memory-limit", "lots"], "'--memory-limit <BYTES>': invalid byte count 'lots'"),
        (["--methods", "sedghi", "--memory-limit", "1e30GiB"], "'--memory-limit <BYTES>': invalid byte count '1e30GiB'"),
    ])
    func nothingFits(_ extra: [String], _ mention: String) throws {
        let (run, _) = try Self.estimate(["--random", "512,512,3,3", "--input-size", "8", "--padding", "zero"] + extra)
        #expect(run.status == 64, "exit \(run.status): \(run.stderr.prefix(300))")
        #expect(run.stderr.contains(mention), "\(run.stderr.prefix(300))")
        #expect(run.stderr.split(separator: "\n").count == 1, "one line: \(run.stderr)")
    }

    /// A `.npy` file whose header declares `shape`, with the data as a sparse hole of the right size.
    static func sparseKernel(_ shape: [Int], named name: String) throws -> URL {
        var header = "{'descr': '<f8', 'fortran_order': False, 'shape': (\(shape.map(String.init).joined(separator: ", "))), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0]
        bytes += [UInt8(header.utf8.count & 0xff), UInt8(header.utf8.count >> 8)]
        bytes += Array(header.utf8)
        let file = BenchProcess.temporaryDirectory().appendingPathComponent(name)
        try Data(bytes).write(to: file)
        let handle = try FileHandle(forWritingTo: file)
        try handle.truncate(atOffset: UInt64(bytes.count + shape.reduce(8, *)))
        try handle.close()
        return file
    }

    @Test("a .npy kernel too large for the limit is refused from its header, before it is read")
    func numpyKernelRefusedFromHeader() throws {
        let file = try Self.sparseKernel([2000, 2000, 3, 3], named: "large.npy")  // 288 MB of zeros, sparse
        let started = Date()
        let (run, _) = try Self.estimate(["--kernel", file.path, "--input-size", "8", "--padding", "zero", "--methods", "tn-bound",
                                          "--memory-limit", "100MiB"])
        #expect(run.status == 64, "exit \(run.status): \(run.stderr.prefix(300))")
        #expect(run.stderr.contains("2000×2000×3×3") && run.stderr.contains("alone need 275 MiB"), "\(run.stderr.prefix(300))")
        #expect(Date().timeIntervalSince(started) < 3, "the file must not be read")
    }

    @Test("a sweep records a method whose need exceeds memoryPerPoint as out-of-memory without starting it")
    func sweepRefusesBeforeStarting() throws {
        let (config, folder) = SweepFixture.config("""
            name: refusals
            grid:
              cout: [256]
              kernelSizes: [3]
              inputSizes: [4]
              paddings: [zero]
            methods: [gram-zero, fantastic-four]
            repetitions: 1
            warmup: 0
            limits:
              memoryPerPoint: 200MiB
            """)
        let output = folder.appendingPathComponent("run")
        let run = try SweepFixture.sweep(config, output: output)
        #expect(run.status == 0, "\(run.stderr)")
        let byMethod = Dictionary(uniqueKeysWithValues: try SweepFixture.records(output).map { ($0.result.method, $0.result) })
        let gram = try #require(byMethod["gram-zero"])
        #expect(gram.status == .outOfMemory)
        #expect(gram.message?.contains("above the point's memory limit of 200 MiB; not run") == true, "\(gram.message ?? "")")
        #expect((gram.memoryNeedBytes ?? 0) > 200 << 20)
        #expect(byMethod["fantastic-four"]?.status == .ok)
        #expect(byMethod["reference"]?.status == .ok)
    }

    @Test("what an estimate misses is still caught by the run-time cap")
    func runTimeCapStillHolds() throws {
        let (config, folder) = SweepFixture.config("""
            name: runtime-cap
            grid:
              cout: [4]
              kernelSizes: [3]
              inputSizes: [6]
              paddings: [zero]
            methods: [sedghi, fantastic-four]
            repetitions: 1
            warmup: 0
            limits:
              memoryPerPoint: 128MiB
            """)
        let output = folder.appendingPathComponent("run")
        let run = try BenchProcess.run(["sweep", "--config", config, "--output", output.path, "--no-report"],
                                       environment: ["SPECBENCH_TEST_TOUCH_MEMORY": "sedghi:300"])
        #expect(run.status == 0, "\(run.stderr)")
        let byMethod = Dictionary(uniqueKeysWithValues: try SweepFixture.records(output).map { ($0.result.method, $0.result) })
        #expect(byMethod["sedghi"]?.status == .outOfMemory, "\(String(describing: byMethod["sedghi"]))")
        #expect(byMethod["sedghi"]?.message?.contains("resident, above the limit") == true)
        #expect(byMethod["fantastic-four"]?.status == .ok)
    }
}
