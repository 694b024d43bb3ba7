import Foundation
import Testing
import SpecBenchHarness
import SpecBenchResults
import TestSupport

/// `kernel: {normalize: {spectralNorm: S}}`: every point's operator is rescaled to exact norm S.
@Suite("Sweeps over normalised kernels")
struct NormalizedSweepTests {
    @Test("each point's reference measures the target norm; ids carry it; methods are judged on the scaled kernel")
    func unitNormSweep() throws {
        let (config, folder) = SweepFixture.config("""
            seed: 3
            kernel:
              normalize: {spectralNorm: 0.5}
            grid:
              cout: [3]
              cin: [2]
              kernelSizes: [3]
              inputSizes: [4, 6]
              paddings: [zero, circular]
              strides: [1, 2]
            methods: [power-iteration, sedghi, gram-zero]
            repetitions: 1
            warmup: 0
            """)
        let output = folder.appendingPathComponent("run")
        let run = try SweepFixture.sweep(config, output: output)
        #expect(run.status == 0, "\(run.stderr)")
        let records = try SweepFixture.records(output)
        let references = records.filter { $0.result.method == "reference" }
        #expect(references.count == 8)
        for record in references {
            #expect(Fixtures.isClose(try #require(record.result.value), 0.5, relative: 1e-12), "\(record.point)")
            #expect(record.point.hasSuffix("-sn0.5"), "\(record.point)")
        }
        // Judged on the scaled kernel: power iteration stays below, gram-zero above, sedghi exact for circular.
        for record in records where record.result.method != "reference" && record.result.status == .ok {
            #expect(record.result.guaranteeHeld != false, "\(record.result.method) at \(record.point)")
            #expect(try #require(record.result.value) < 2, "values are on the normalised scale")
        }
    }
}
