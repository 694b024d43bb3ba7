import Foundation
import Testing
import NumericCore
import SpecBenchCore
import SpecBenchMethods
import SpecBenchResults
import TestSupport

/// Cost models (`OperationCount`), the fraction of peak, and the thread-budget independence of
/// the values (docs/performance.md).
@Suite("Cost models and the thread budget", .serialized)
struct CostModelTests {
    @Test("power iteration and gram-zero count what their definitions perform")
    func countsFollowTheDefinitions() throws {
        let geometry = try ConvolutionGeometry(shape: KernelShape(outputChannels: 12, inputChannels: 8, height: 3, width: 3),
                                               inputSize: 10, padding: .zero)
        let context = MethodContext(seed: 1)
        // Forward or adjoint: 2·cout·cin·kh·kw·m² = 2·12·8·9·100; 2·iterations + 1 of them.
        let power = PowerIterationMethod(iterations: 30)
        let powerCount = power.operationCount(on: geometry, context: context, outcome: MethodOutcome(values: [1], iterations: 30))
        #expect(powerCount.realMatrix == 61 * 2 * 12 * 8 * 9 * 100)
        // An early stop counts what ran.
        #expect(power.operationCount(on: geometry, context: context, outcome: MethodOutcome(values: [1], iterations: 5)).realMatrix
                == 11 * 2 * 12 * 8 * 9 * 100)
        // gram-zero, t = 2, k = 3: grid side 2²·2 + 1 = 9 (3², smooth), half grid 9·5 = 45 frequencies;
        // Gram on the larger side (12) from 8, then one square step; 78 pairs of 9×9 inverse FFTs.
        let gram = GramZeroMethod(iterations: 2)
        let gramCount = gram.operationCount(on: geometry, context: context, outcome: MethodOutcome(values: [1], iterations: 2))
        let herks: Double = 45 * (4 * 144 * 8 + 4 * 144 * 12)
        let symbol: Double = 2 * 90 * 96 * 9
        let transforms: Double = 78 * 2.5 * 81 * Foundation.log2(81.0)
        #expect(gramCount.complexMatrix == herks)
        #expect(gramCount.realMatrix == symbol)
        #expect(abs(gramCount.transform - transforms) < 1e-6)
    }

    @Test("every method declares a positive, finite count on every operator it applies to")
    func everyMethodCounts() throws {
        for (shape, n, padding, stride) in [(KernelShape(outputChannels: 6, inputChannels: 4, height: 3, width: 3), 8, Padding.zero, 1),
                                            (KernelShape(outputChannels: 4, inputChannels: 6, height: 5, width: 5), 12, .circular, 2)] {
            let geometry = try ConvolutionGeometry(shape: shape, inputSize: n, padding: padding, stride: stride)
            for id in MethodCatalog.ids {
                let method = try MethodCatalog.resolve(id: id, parameters: [:], context: MethodContext(seed: 0)).method
                guard method.applicability(to: geometry).guarantee != nil else { continue }
                let outcome = MethodOutcome(values: [1], iterations: 10, tier: padding == .circular ? "fft-block-svd" : "lanczos")
                let count = method.operationCount(on: geometry, context: MethodContext(seed: 0), outcome: outcome)
                #expect(count.total > 0 && count.total.isFinite, "\(id)")
            }
        }
    }

    @Test("the fraction of peak is the time at the peak rates over the measured time")
    func fractionOfPeak() {
        let rates = MachinePeaks.Rates(realMatrix: 1e10, complexMatrix: 2e10, decomposition: 1e9, transform: 5e9)
        let peaks = MachinePeaks(float64: rates, float32: rates, blasThreads: 1)
        let count = OperationCount(realMatrix: 1e10, complexMatrix: 2e10, decomposition: 1e9, transform: 5e9)
        // One second of each kind at peak: 4 s of ideal time, measured 8 s → 50 %.
        #expect(peaks.fractionOfPeak(count, seconds: 8, precision: .float64) == 0.5)
        #expect(peaks.fractionOfPeak(OperationCount(), seconds: 1, precision: .float64) == nil)
        #expect(ResultFormatting.percentage(0.5) == "50 %" && ResultFormatting.operations(1.24e10) == "12.4 GFLOP")
    }

    @Test("values do not depend on the BLAS thread budget: one bench process with 1 thread, one with 2",
          arguments: [["--random", "32,32,3,3", "--input-size", "24", "--padding", "zero"],
                      ["--random", "16,12,3,3", "--input-size", "12", "--padding", "circular", "--param", "reference.denseLimit=1000"]])
    func threadBudget(_ operatorArguments: [String]) throws {
        // In separate processes: a bench process adapts OpenBLAS's thread count to each problem
        // (ParallelWork, small calls on one thread), which a test process running tests side by
        // side must not (ThreadControl.adaptsToProblemSize).
        func values(threads: String) throws -> [String: Double] {
            let output = try BenchProcess.run(
                ["estimate"] + operatorArguments + ["--methods", "reference,power-iteration,powerqr,gram-circular,gram-zero,sedghi", "--format", "json"],
                environment: ["OPENBLAS_NUM_THREADS": threads])
            #expect(output.status == 0, "\(output.stderr)")
            let object = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any]
            let results = try #require(object?["results"] as? [[String: Any]])
            return Dictionary(uniqueKeysWithValues: results.compactMap { result in
                (result["method"] as? String).flatMap { method in (result["value"] as? Double).map { (method, $0) } }
            })
        }
        let one = try values(threads: "1"), two = try values(threads: "2")
        #expect(one.count == 6 && Set(one.keys) == Set(two.keys))
        for (method, value) in one {
            let other = try #require(two[method])
            #expect(abs(value - other) <= 1e-12 * value, "\(method): \(value) with 1 thread, \(other) with 2")
        }
    }
}
