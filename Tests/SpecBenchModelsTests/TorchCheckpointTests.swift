import Foundation
import SpecBenchCore
import Testing
import TestSupport
@testable import SpecBenchModels

/// PyTorch checkpoints, both formats, every dtype, read by the restricted unpickler; hostile and
/// damaged files refused with one clear error.
@Suite("PyTorch checkpoints")
struct TorchCheckpointTests {
    /// Values exact in every dtype.
    static let weight = CheckpointFixture.Tensor(
        name: "conv1.weight", shape: [2, 1, 2, 2], values: [0.5, -1.25, 3.0, 0.0, -0.0625, 2.5, 1.0, -4.0])
    static let bias = CheckpointFixture.Tensor(name: "conv1.bias", shape: [2], values: [0.25, -0.75])

    @Test("both formats and every dtype give the tensors back exactly, names and shapes included",
          arguments: ["FloatStorage", "DoubleStorage", "HalfStorage", "BFloat16Storage"])
    func formatsAndTypes(_ storageClass: String) throws {
        var weight = Self.weight, bias = Self.bias
        weight.storageClass = storageClass
        bias.storageClass = storageClass
        for (label, data) in [("legacy", CheckpointFixture.legacy([weight, bias])), ("zip", try CheckpointFixture.zip([weight, bias]))] {
            let checkpoint = try TorchCheckpoint(data: data, path: "fixture.pt")
            #expect(checkpoint.tensors.map(\.name) == ["conv1.weight", "conv1.bias"], "\(label)")
            #expect(checkpoint.tensors[0].shape == [2, 1, 2, 2] && checkpoint.tensors[0].values == weight.values, "\(label) \(storageClass)")
            #expect(checkpoint.tensors[1].values == bias.values, "\(label) \(storageClass)")
            let inventory = try ModelInventory(data: data, path: "fixture.pt")
            #expect(inventory.format == (label == "zip" ? .pytorchZip : .pytorchLegacy))
            #expect(inventory.convolutions.map(\.name) == ["conv1.weight"])
            #expect((inventory.convolutions[0].problem ?? "").contains("stores no stride, padding or input size"))
        }
    }

    @Test("integer buffers (a batch norm's int64 num_batches_tracked, and the other integer storages) are read, not refused",
          arguments: ["LongStorage", "IntStorage", "ShortStorage", "CharStorage", "ByteStorage", "BoolStorage"])
    func integerBuffers(_ storageClass: String) throws {
        // An ordinary checkpoint with batch norm: weight, then bn's running stats and its counter.
        let counter = CheckpointFixture.Tensor(name: "bn1.num_batches_tracked", shape: [], values: [storageClass == "BoolStorage" ? 1 : 100], storageClass: storageClass)
        let signed = CheckpointFixture.Tensor(name: "buffer", shape: [3], values: storageClass == "ByteStorage" || storageClass == "BoolStorage" ? [0, 1, 1] : [-7, 0, 42], storageClass: storageClass)
        for data in [CheckpointFixture.legacy([Self.weight, counter, signed]), try CheckpointFixture.zip([Self.weight, counter, signed])] {
            let checkpoint = try TorchCheckpoint(data: data, path: "fixture.pt")
            #expect(checkpoint.tensors.map(\.name) == ["conv1.weight", "bn1.num_batches_tracked", "buffer"])
            #expect(checkpoint.tensors[1].values == counter.values && checkpoint.tensors[2].values == signed.values, "\(storageClass)")
            #expect(try ModelInventory(data: data, path: "fixture.pt").convolutions.map(\.name) == ["conv1.weight"])
        }
    }

    @Test("a strided view (offset and transposed strides) is read element by element")
    func stridedView() throws {
        // Storage holds [x, 1, 2, 3, 4, 5, 6]; the tensor is the 2×3 transpose view at offset 1.
        let view = CheckpointFixture.Tensor(name: "view", shape: [2, 3], values: [], strides: [1, 2], offset: 1,
                                            storage: [99, 1, 2, 3, 4, 5, 6])
        let checkpoint = try TorchCheckpoint(data: CheckpointFixture.legacy([view]), path: "view.pt")
        #expect(checkpoint.tensors[0].values == [1, 3, 5, 2, 4, 6])
    }

    @Test("a pickle that asks for os.system, or any global a state dict does not use, is refused by name",
          arguments: [("os", "system"), ("builtins", "eval"), ("subprocess", "Popen"), ("torch.nn.modules.conv", "Conv2d")])
    func unknownGlobals(_ module: String, _ name: String) throws {
        let data = CheckpointFixture.legacy([Self.weight], extraGlobal: (module, name))
        do {
            _ = try TorchCheckpoint(data: data, path: "evil.pt")
            Issue.record("\(module).\(name) was accepted")
        } catch let error as InvalidInput {
            #expect(error.message.contains("'\(module).\(name)'") && error.message.contains("refused"), "\(error.message)")
        }
    }

    @Test("truncated files, a storage shorter than its declared count and a huge declared length are refused")
    func damaged() throws {
        let data = CheckpointFixture.legacy([Self.weight, Self.bias])
        for cut in stride(from: 1, to: data.count, by: 7) {
            #expect(throws: InvalidInput.self, "cut at \(cut)") { try TorchCheckpoint(data: data.prefix(cut), path: "cut.pt") }
        }
        // A tensor that reaches past its storage.
        var tooLarge = Self.weight
        tooLarge.storage = [1, 2, 3]
        #expect(throws: InvalidInput.self) { try TorchCheckpoint(data: CheckpointFixture.legacy([tooLarge]), path: "short.pt") }
        // A string length of 2^32 − 1 bytes in the first pickle.
        var huge = [UInt8]([0x80, 0x02, 0x58, 0xFF, 0xFF, 0xFF, 0xFF])
        huge += Array(repeating: 0x41, count: 16)
        #expect(throws: InvalidInput.self) { try TorchCheckpoint(data: Data(huge), path: "huge.pt") }
        let zip = try CheckpointFixture.zip([Self.weight])
        #expect(throws: InvalidInput.self) { try TorchCheckpoint(data: zip.prefix(zip.count / 2), path: "cut.zip.pt") }
    }

    @Test("a checkpoint layer placed by the sweep config, with its batch norm folded, equals the independent fold")
    func checkpointLayerWithBatchNorm() throws {
        let gamma = CheckpointFixture.Tensor(name: "bn1.weight", shape: [2], values: [2.0, -0.5])
        let variance = CheckpointFixture.Tensor(name: "bn1.running_var", shape: [2], values: [3.0, 0.25])
        let url = BenchProcess.temporaryDirectory().appendingPathComponent("net.pt")
        try CheckpointFixture.legacy([Self.weight, gamma, variance]).write(to: url)
        let kernel = try ModelWeights.kernel(path: url.path, layer: "conv1.weight", weight: "conv1.weight", batchNorm: "bn1",
                                             composition: .convolutionBatchNorm)
        let scales = [2.0 / (3.0 + 1e-5).squareRoot(), -0.5 / (0.25 + 1e-5).squareRoot()]
        let expected = Self.weight.values.enumerated().map { $1 * scales[$0 / 4] }
        #expect(Fixtures.maxRelativeDifference(kernel.values, expected) < 1e-15)
        let plain = try ModelWeights.kernel(path: url.path, layer: "conv1.weight", weight: "conv1.weight", batchNorm: "bn1",
                                            composition: .convolution)
        #expect(plain.values == Self.weight.values)
    }
}
