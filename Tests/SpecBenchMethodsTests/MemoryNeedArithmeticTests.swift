import SpecBenchCore
import SpecBenchMethods
import Testing

/// Memory needs are computed from shapes with saturating arithmetic, for any shape that passes
/// validation, and the spectrum's chunk stays bounded for very wide kernels (issue "the harness
/// under abuse", item 4: a 1×1×1×200000000 kernel used to ask for a 51 GB phase table).
@Suite("Memory-need arithmetic")
struct MemoryNeedArithmeticTests {
    @Test("products and sums saturate at Int.max instead of trapping")
    func saturation() {
        #expect(MemoryNeed.doubles(1 << 40, 1 << 40).bytes == .max)
        #expect((MemoryNeed(bytes: .max) + .doubles(1)).bytes == .max)
        #expect((3 * MemoryNeed(bytes: Int.max / 2)).bytes == .max)
        #expect(MemoryNeed.doubles(3, 5).bytes == 120)
        #expect(MemoryNeed.complexDoubles(2).bytes == 32)
        #expect(MemoryNeed.product([7, 0, Int.max, Int.max]) == 0)
        #expect(MemoryNeed(bytes: -5).bytes == 0)
    }

    @Test("a very wide kernel's spectrum needs one frequency's phase row, not a chunk of them")
    func wideKernelChunk() {
        let wide = KernelShape(outputChannels: 1, inputChannels: 1, height: 1, width: 200_000_000)
        #expect(KernelSpectrum.chunkSize(shape: wide, chunkBytes: 64 << 20) == 1)
        let need = KernelSpectrum.memoryNeed(shape: wide, frequencies: 544)
        // One row of cos and −sin for 2·10⁸ taps (3.2 GB) and the frequency list: nothing near 51 GB.
        #expect(need.bytes >= 2 * 200_000_000 * 8 && need.bytes < 2 * 200_000_000 * 8 + (1 << 20), "\(need.bytes)")
        // An ordinary kernel keeps its chunk within the budget.
        let ordinary = KernelShape(outputChannels: 512, inputChannels: 512, height: 3, width: 3)
        #expect(KernelSpectrum.memoryNeed(shape: ordinary, frequencies: 100_000).bytes < (64 << 20) + 100_000 * 24)
    }

    @Test("every method states a need for extreme valid shapes without trapping", arguments: [
        (KernelShape(outputChannels: 1, inputChannels: 1, height: 1, width: 2_000_000_000), 32768, Padding.circular, 1),
        (KernelShape(outputChannels: 46340, inputChannels: 46340, height: 1, width: 1), 1, Padding.zero, 1),
        (KernelShape(outputChannels: 2, inputChannels: 1, height: 3, width: 3), 32768, Padding.circular, 32768),
        (KernelShape(outputChannels: 2, inputChannels: 2, height: 3, width: 3), 8, Padding.zero, 1),
    ])
    func extremeShapes(_ shape: KernelShape, _ inputSize: Int, _ padding: Padding, _ stride: Int) throws {
        let geometry = try ConvolutionGeometry(shape: shape, inputSize: inputSize, padding: padding, stride: stride)
        let context = MethodContext(seed: 0, topK: 1)
        for id in MethodCatalog.ids {
            let method = try MethodCatalog.resolve(id: id, parameters: [:], context: context).method
            let need = method.memoryNeed(on: geometry, context: context)
            #expect(need.bytes > 0, "\(id)")
        }
        _ = geometry.operatorMemoryNeed
        _ = ExactReference().memoryNeed(on: geometry, count: 1, forcing: .dense)
        for tier in [ReferenceTier.lanczos, .plainLanczos, .restartedLanczos] {
            #expect(ExactReference().memoryNeed(on: geometry, count: 1, forcing: tier).bytes > 0, "\(tier)")
        }
    }

    @Test("gram-zero's need follows its triangle storage: larger side by default, smaller on request")
    func gramZeroSides() throws {
        let geometry = try ConvolutionGeometry(
            shape: KernelShape(outputChannels: 512, inputChannels: 64, height: 3, width: 3), inputSize: 8, padding: .zero)
        let context = MethodContext(seed: 0)
        let larger = GramZeroMethod(iterations: 4, side: .larger).memoryNeed(on: geometry, context: context).bytes
        let smaller = GramZeroMethod(iterations: 4, side: .smaller).memoryNeed(on: geometry, context: context).bytes
        // 33 × 17 frequencies of 512·513/2 (larger) or 64·65/2 (smaller) complex values.
        #expect(larger >= 561 * (512 * 513 / 2) * 16 && larger < 561 * (512 * 513 / 2) * 16 + (80 << 20))
        #expect(smaller >= 561 * (64 * 65 / 2) * 16 && smaller < larger / 10)
    }
}
