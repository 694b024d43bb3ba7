import Foundation
import Testing
@testable import SpecBenchCore
import TestSupport

@Suite("Kernels: .npy files and seeded random kernels")
struct KernelInputTests {
    /// A `.npy` file's bytes, assembled by hand from the format specification.
    static func npy(version: UInt8 = 1, descr: String = "<f8", fortran: String = "False", shape: String,
                    payload: [UInt8]) -> [UInt8] {
        var header = "{'descr': '\(descr)', 'fortran_order': \(fortran), 'shape': \(shape), }"
        let prefix = version == 1 ? 10 : 12
        while (prefix + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [version, 0]
        let length = header.utf8.count
        if version == 1 {
            bytes += [UInt8(length & 0xFF), UInt8(length >> 8)]
        } else {
            bytes += [UInt8(length & 0xFF), UInt8((length >> 8) & 0xFF), 0, 0]
        }
        return bytes + Array(header.utf8) + payload
    }

    static func float64Bytes(_ values: [Double]) -> [UInt8] {
        values.flatMap { value in (0..<8).map { UInt8(truncatingIfNeeded: value.bitPattern >> (8 * UInt64($0))) } }
    }

    static func float32Bytes(_ values: [Float]) -> [UInt8] {
        values.flatMap { value in (0..<4).map { UInt8(truncatingIfNeeded: value.bitPattern >> (8 * UInt32($0))) } }
    }

    @Test("reads version 1 and 2 float64 files in C order")
    func readsFloat64() throws {
        let values = (0..<12).map { Double($0) - 5.5 }
        for version: UInt8 in [1, 2] {
            let bytes = Self.npy(version: version, shape: "(2, 1, 2, 3)", payload: Self.float64Bytes(values))
            let kernel = try NumpyFile.decodeKernel(bytes, name: "k.npy")
            #expect(kernel.shape == KernelShape(outputChannels: 2, inputChannels: 1, height: 2, width: 3))
            #expect(kernel.values == values)
            #expect(kernel[1, 0, 1, 2] == values[11])
        }
    }

    @Test("reads float32 files, widening to float64")
    func readsFloat32() throws {
        let values: [Float] = [0.5, -1.25, 3, 1e-3]
        let kernel = try NumpyFile.decodeKernel(Self.npy(descr: "<f4", shape: "(1, 1, 2, 2)", payload: Self.float32Bytes(values)), name: "k")
        #expect(kernel.values == values.map(Double.init))
    }

    @Test("writes files it reads back bit for bit")
    func roundTrip() throws {
        let kernel = Fixtures.kernel(3, 2, 3, 1, seed: 9)
        let url = BenchProcess.temporaryDirectory().appendingPathComponent("k.npy")
        try NumpyFile.write(kernel, to: url.path)
        #expect(try NumpyFile.readKernel(path: url.path) == kernel)
        let bytes = try Data(contentsOf: url)
        #expect((bytes.count - 8 * kernel.values.count) % 64 == 0, "header must be padded to 64 bytes")
    }

    @Test("rejects bad files with a message naming the problem")
    func rejectsBadFiles() {
        func message(_ bytes: [UInt8]) -> String {
            do {
                _ = try NumpyFile.decodeKernel(bytes, name: "bad.npy")
                return "accepted"
            } catch let error as InvalidInput {
                return error.message
            } catch {
                return "unexpected \(error)"
            }
        }
        let good = Self.float64Bytes([1, 2, 3, 4])
        #expect(message(Array("hello world, not numpy".utf8)).contains("magic"))
        #expect(message(Array(Self.npy(shape: "(1, 1, 2, 2)", payload: good).prefix(40))).contains("truncated"))
        #expect(message(Self.npy(shape: "(1, 1, 2, 2)", payload: Array(good.prefix(20)))).contains("truncated"))
        #expect(message(Self.npy(descr: ">f8", shape: "(1, 1, 2, 2)", payload: good)).contains("'>f8'"))
        #expect(message(Self.npy(descr: "<i8", shape: "(1, 1, 2, 2)", payload: good)).contains("'<i8'"))
        #expect(message(Self.npy(fortran: "True", shape: "(1, 1, 2, 2)", payload: good)).contains("Fortran"))
        #expect(message(Self.npy(shape: "(2, 2)", payload: good)).contains("rank 2"))
        #expect(message(Self.npy(shape: "(1, 1, 2, 2)", payload: Self.float64Bytes([1, .nan, 3, 4]))).contains("nan"))
        #expect(message(Self.npy(shape: "(1, 1, 2, 2)", payload: Self.float64Bytes([1, 2, .infinity, 4]))).contains("inf"))
        #expect(message(Self.npy(shape: "(1, 0, 2, 2)", payload: [])).contains("cin = 0"))
    }

    @Test("SplitMix64 and xoshiro256** match their published reference outputs")
    func generatorReferenceOutputs() {
        // xoshiro256** from state {1, 2, 3, 4}, by hand from the reference code: the first output
        // is rotl(2·5, 7)·9 = 11520; the update leaves s[1] = 2 ⊕ (3 ⊕ 1) = 0, so the second is 0.
        var xoshiro = SeededGenerator(state: (1, 2, 3, 4))
        #expect(xoshiro.next() == 11520)
        #expect(xoshiro.next() == 0)
        // SplitMix64 from state 0 first yields 0xE220A8397B1DCDAF (Vigna's reference code).
        #expect(SeededGenerator.splitMix64(state: 0) == 0xE220_A839_7B1D_CDAF)
    }

    @Test("seeded kernels are reproducible and distinct per seed")
    func seededKernels() throws {
        let shape = KernelShape(outputChannels: 4, inputChannels: 3, height: 3, width: 3)
        let a = try ConvolutionKernel.random(shape: shape, distribution: .normal, seed: 42)
        let b = try ConvolutionKernel.random(shape: shape, distribution: .normal, seed: 42)
        let c = try ConvolutionKernel.random(shape: shape, distribution: .normal, seed: 43)
        #expect(a == b)
        #expect(a != c)
        let uniform = try ConvolutionKernel.random(shape: shape, distribution: .uniform, seed: 42)
        #expect(uniform.values.allSatisfy { $0 >= -1 && $0 < 1 })
    }

    @Test("normal deviates have mean 0 and variance 1; uniform ones fill [0, 1)")
    func distributions() {
        var generator = SeededGenerator(seed: 1)
        let samples = generator.normals(200_000)
        let mean = samples.reduce(0, +) / Double(samples.count)
        let variance = samples.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(samples.count)
        #expect(abs(mean) < 0.01 && abs(variance - 1) < 0.01)
        let uniforms = (0..<100_000).map { _ in generator.nextUniform() }
        #expect(abs(uniforms.reduce(0, +) / 100_000 - 0.5) < 0.005)
    }

    @Test("the portable logarithm agrees with libm to a few ulp")
    func portableLog() {
        var generator = SeededGenerator(seed: 3)
        for _ in 0..<10_000 {
            let x = exp((generator.nextUniform() - 0.5) * 80)
            #expect(abs(PortableMath.log(x) - Foundation.log(x)) <= 4 * Foundation.log(x).ulp.magnitude + 1e-300)
        }
        #expect(PortableMath.log(1) == 0)
    }
}
