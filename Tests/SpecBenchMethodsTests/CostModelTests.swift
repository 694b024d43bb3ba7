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
                let method = try MethodCatalog.make(id: id, parameters: [:], context: MethodContext(seed: 0))
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

    @Test("values do not depend on the BLAS thread budget", arguments: ["gram-zero", "gram-circular", "sedghi", "power-iteration", "reference"])
    func threadBudget(_ id: String) throws {
        // power-iteration: 32×32 channels at n = 24, tap by tap, large enough for its gemms to be
        // shared among two workers (12 MFLOP per application).
        let operatorCase = id == "power-iteration"
        let kernel = operatorCase ? Fixtures.kernel(32, 32, 3, 3, seed: 77) : Fixtures.kernel(12, 10, 3, 3, seed: 77)
        let geometry = try ConvolutionGeometry(shape: kernel.shape, inputSize: operatorCase ? 24 : 8, padding: id == "reference" ? .circular : .zero)
        let linearOperator = ConvolutionOperator(kernel: kernel, geometry: geometry, precision: Double.self,
                                                 scheme: operatorCase ? .tapByTap : .automatic)
        let context = MethodContext(seed: 3)
        let saved = ThreadControl.blasThreads
        defer { ThreadControl.setBLASThreads(saved) }
        var values: [Double] = []
        for threads in [1, 2] {
            ThreadControl.setBLASThreads(threads)
            let method = try MethodCatalog.make(id: id, parameters: [:], context: context)
            values.append(try method.prepare(onFloat64: linearOperator, context: context).run().value)
        }
        #expect(abs(values[0] - values[1]) <= 1e-12 * values[0], "\(id): \(values)")
    }

    @Test("parallel tasks return their results in task order and pass on the first error")
    func parallelWorkOrder() throws {
        let saved = ThreadControl.blasThreads
        defer { ThreadControl.setBLASThreads(saved) }
        ThreadControl.setBLASThreads(2)
        let squares = try ParallelWork.map(count: 100) { $0 * $0 }
        #expect(squares == (0..<100).map { $0 * $0 })
        struct Failure: Error {}
        #expect(throws: Failure.self) { _ = try ParallelWork.map(count: 50) { task -> Int in if task == 17 { throw Failure() }; return task } }
        #expect(ThreadControl.blasThreads == 2, "the budget is restored after a batch")
    }
}
