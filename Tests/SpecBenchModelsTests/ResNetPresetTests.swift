import Foundation
import SpecBenchCore
import Testing
import TestSupport
@testable import SpecBenchModels

/// The torchvision ResNet preset places a checkpoint's layers from their names.
@Suite("torchvision ResNet preset")
struct ResNetPresetTests {
    static func tensor(_ name: String, _ shape: [Int]) -> CheckpointFixture.Tensor {
        CheckpointFixture.Tensor(name: name, shape: shape, values: OnnxFixture.weights(shape.reduce(1, *), seed: UInt64(name.count)))
    }

    /// A miniature ResNet-18 state dict: stem, one basic block in layer1 and a strided one with
    /// its downsample in layer2, their batch norms, a linear head and one foreign convolution.
    static let stateDict: [CheckpointFixture.Tensor] = [
        tensor("conv1.weight", [4, 3, 7, 7]),
        CheckpointFixture.Tensor(name: "bn1.weight", shape: [4], values: [1.5, -0.5, 2, 1]),
        CheckpointFixture.Tensor(name: "bn1.running_var", shape: [4], values: [0.5, 1, 2, 0.25]),
        tensor("layer1.0.conv1.weight", [4, 4, 3, 3]), tensor("layer1.0.conv2.weight", [4, 4, 3, 3]),
        tensor("layer2.0.conv1.weight", [8, 4, 3, 3]), 
        tensor("layer2.0.conv2.weight", [8, 8, 3, 3]),
        tensor("layer2.0.downsample.0.weight", [8, 4, 1, 1]),
        tensor("fc.weight", [10, 8]), tensor("head.conv.weight", [2, 8, 1, 1]),
    ]

    @Test("stride, padding, input size and batch norm of every layer follow torchvision's ResNet at n = 64")
    func placement() throws {
        let data = CheckpointFixture.legacy(Self.stateDict)
        let inventory = try ModelInventory(data: data, path: "resnet.pt", inputSize: 64, preset: .torchvisionResNet)
        let layers = Dictionary(uniqueKeysWithValues: inventory.convolutions.map { ($0.name, $0) })
        // 64 → 7×7/2 → 32 → 3×3/2 max-pool → 16 (layer1) → 3×3/2 → 8 (layer2).
        let expected: [(String, Int, Int, Int, String)] = [
            ("conv1.weight", 64, 2, 3, "bn1"),
            ("layer1.0.conv1.weight", 16, 1, 1, "layer1.0.bn1"),
            ("layer1.0.conv2.weight", 16, 1, 1, "layer1.0.bn2"),
            ("layer2.0.conv1.weight", 16, 2, 1, "layer2.0.bn1"),
            ("layer2.0.conv2.weight", 8, 1, 1, "layer2.0.bn2"),
            ("layer2.0.downsample.0.weight", 16, 2, 0, "layer2.0.downsample.1"),
        ]
        for (name, input, stride, pad, batchNorm) in expected {
            let layer = try #require(layers[name])
            #expect(layer.problem == nil && layer.inputSize == [input, input] && layer.strides == [stride, stride]
                    && layer.pads == [pad, pad, pad, pad] && layer.batchNorm == batchNorm, "\(name): \(layer)")
            _ = try layer.geometry()
        }
        #expect((layers["head.conv.weight"]?.problem ?? "").contains("not a torchvision ResNet layer name"))
        #expect(inventory.supported.count == 6)
    }

    @Test("the preset needs an input size, is refused for ONNX, and an unknown preset is named")
    func errors() throws {
        let data = CheckpointFixture.legacy(Self.stateDict)
        #expect(throws: InvalidInput.self) { try ModelInventory(data: data, path: "r.pt", preset: .torchvisionResNet) }
        #expect(throws: InvalidInput.self) { try ModelPreset(parsing: "timm") }
        #expect(throws: InvalidInput.self) {
            try ModelInventory(data: try OnnxFixture.bytes(), path: "m.onnx", inputSize: 16, preset: .torchvisionResNet)
        }
    }

    @Test("conv+bn of a preset layer folds the checkpoint's bn1 into conv1 (γ/√(σ² + 1e-5) per output channel)")
    func folding() throws {
        let url = BenchProcess.temporaryDirectory().appendingPathComponent("resnet.pt")
        try CheckpointFixture.legacy(Self.stateDict).write(to: url)
        let inventory = try ModelInventory(path: url.path, inputSize: 64, preset: .torchvisionResNet)
        let stem = try #require(inventory.convolutions.first { $0.name == "conv1.weight" })
        let kernel = try ModelWeights.kernel(path: url.path, layer: stem.name, weight: stem.weightName, batchNorm: stem.batchNorm,
                                             composition: .convolutionBatchNorm)
        let gamma = [1.5, -0.5, 2, 1], variance = [0.5, 1, 2, 0.25]
        let stored = Self.stateDict[0].values.map { Double(Float($0)) }
        let expected = stored.enumerated().map { index, value in value * gamma[index / 147] / (variance[index / 147] + 1e-5).squareRoot() }
        #expect(Fixtures.maxRelativeDifference(kernel.values, expected) < 1e-12)
    }
}
