import Foundation
import Testing
import SpecBenchMachine
import TestSupport

/// `bench machine` end to end: the core OpenBLAS runs after start-up, through the real
/// re-execution and the real self-test children. The upgrade cases need a CPU with a core better
/// than the generic one (any x86-64 with AVX); they say so and check nothing elsewhere.
@Suite struct MachineCommandTests {
    /// The best core for this CPU, or nil when there is none better than SSE.
    static let best: String? = CPUFeatures.current().flatMap { OpenBLASCoreTier.bestCore(for: $0) }

    struct Output: Decodable {
        var blasCore: BLASCoreReport
        var warnings: [String]
        var nominalPeak: NominalPeak?
    }

    func machine(_ environment: [String: String], cache: URL) throws -> (Output, BenchProcess.Output) {
        var environment = environment
        environment["SPECBENCH_CACHE_DIR"] = cache.path
        environment["OPENBLAS_CORETYPE"] = environment["OPENBLAS_CORETYPE"] ?? ""
        let run = try BenchProcess.run(["machine", "--format", "json", "--no-calibration", "--threads", "1"],
                                       environment: environment, unsetting: environment["OPENBLAS_CORETYPE"] == "" ? ["OPENBLAS_CORETYPE"] : [])
        #expect(run.status == 0, "\(run.stderr)")
        return (try JSONDecoder().decode(Output.self, from: Data(run.stdout.utf8)), run)
    }

    @Test("OpenBLAS detecting the generic core (simulated): the best core is self-tested, cached, and used",
          .enabled(if: best != nil, "this CPU has no core better than the generic one"))
    func upgrade() throws {
        let cache = BenchProcess.temporaryDirectory()
        let (first, run) = try machine([BLASCoreSelection.detectionSeam: "Prescott"], cache: cache)
        #expect(first.blasCore.inUse == Self.best)
        #expect(first.blasCore.detected == "Prescott")
        #expect(first.blasCore.origin == .upgraded)
        #expect(first.blasCore.selfTest == "passed")
        #expect(!first.blasCore.weaker)
        #expect(run.stderr.contains("testing \(Self.best!) against Prescott"))
        #expect(!first.warnings.contains { $0.contains("weaker") })
        let (second, again) = try machine([BLASCoreSelection.detectionSeam: "Prescott"], cache: cache)
        #expect(second.blasCore.inUse == Self.best)
        #expect(second.blasCore.selfTest == "passed (cached)")
        #expect(!again.stderr.contains("testing"), "a cached verdict runs no self-test")
    }

    @Test("a core that fails the self-test is refused: the generic core stays, with a warning",
          .enabled(if: best != nil, "this CPU has no core better than the generic one"))
    func refusedCore() throws {
        let cache = BenchProcess.temporaryDirectory()
        let (output, run) = try machine([BLASCoreSelection.detectionSeam: "Prescott", BLASCoreSelfTest.failureSeam: "fail"], cache: cache)
        #expect(output.blasCore.inUse == "Prescott")
        #expect(output.blasCore.weaker)
        #expect(output.blasCore.selfTest?.hasPrefix("failed: dgemm differs") == true, "\(output.blasCore.selfTest ?? "nil")")
        #expect(output.warnings.contains { $0.contains("weaker than the \(Self.best!) kernels") })
        #expect(run.stderr.contains("failed the self-test"))
    }

    @Test("a caller's OPENBLAS_CORETYPE is kept as given, and reported weaker when it is")
    func callerKept() throws {
        let cache = BenchProcess.temporaryDirectory()
        let (output, run) = try machine(["OPENBLAS_CORETYPE": "Prescott"], cache: cache)
        #expect(output.blasCore.inUse == "Prescott")
        #expect(output.blasCore.origin == .caller)
        #expect(output.blasCore.detected == nil)
        #expect(!run.stderr.contains("testing"), "no self-test for a core the caller chose")
        if Self.best != nil {
            #expect(output.blasCore.weaker)
            #expect(output.warnings.contains { $0.contains("OPENBLAS_CORETYPE=Prescott set by the caller is kept") })
        }
    }

    @Test("without any setting the detected core is used or upgraded, never weaker than the best")
    func plain() throws {
        let (output, _) = try machine([:], cache: BenchProcess.temporaryDirectory())
        #expect(!output.blasCore.weaker || output.blasCore.selfTest?.hasPrefix("failed") == true)
        if let best = Self.best { #expect(OpenBLASCoreTier.of(core: output.blasCore.inUse) == OpenBLASCoreTier.of(core: best)) }
        #expect(output.nominalPeak.map { $0.float64 > 1e9 && $0.clockHertz > 5e8 } ?? (CPUFeatures.current() == nil))
    }
}
