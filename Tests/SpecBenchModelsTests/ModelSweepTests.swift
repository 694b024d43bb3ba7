import Foundation
import SpecBenchCore
import SpecBenchHarness
import SpecBenchResults
import Testing
import TestSupport
@testable import SpecBenchModels

/// `model:` in a sweep config: the model's layers become points with their own weights, stride,
/// padding and input size; named layers must exist and be runnable.
@Suite("Model sweeps")
struct ModelSweepTests {
    func config(_ modelBlock: String) throws -> (URL, URL) {
        let folder = BenchProcess.temporaryDirectory()
        try OnnxFixture.bytes().write(to: folder.appendingPathComponent("fixture.onnx"))
        let config = folder.appendingPathComponent("model.yaml")
        try Data("""
        name: model-sweep
        \(modelBlock)
        methods: [fantastic-four]
        repetitions: 1
        """.utf8).write(to: config)
        return (folder, config)
    }

    @Test("every runnable layer becomes a point with the file's geometry and weights; conv+bn folds the batch norm")
    func points() throws {
        let (_, path) = try config("model: {path: fixture.onnx, layers: all}")
        let parsed = try SweepConfigurationParser.parse(path: path.path).configuration
        let points = try SweepPoint.expand(parsed)
        #expect(points.map(\.label) == ["c1", "c2", "c3", "c4"])
        #expect(points.map { $0.operator.inputSize } == [16, 4, 8, 8])
        #expect(points[3].operator.groups == 2 && points[3].operator.cin == 1)
        #expect(points[0].operator.stride == 2 && points[0].operator.padding == .zero)
        let model = try OnnxModel(path: parsed.models![0].path)
        #expect(try points[1].kernel.load() == model.kernel(of: model.convolutions[1]))

        let (_, bnPath) = try config("model: {path: fixture.onnx, layers: [c2], composition: conv+bn, inputSize: 32}")
        let folded = try SweepPoint.expand(try SweepConfigurationParser.parse(path: bnPath.path).configuration)
        #expect(folded.count == 1 && folded[0].operator.inputSize == 8)
        let scales = try #require(try model.batchNormScale(of: model.convolutions[1]))
        let expected = try BatchNormFolding.folded(try model.kernel(of: model.convolutions[1]), scales: scales)
        #expect(try folded[0].kernel.load() == expected)
        #expect(folded[0].id != points[1].id)
    }

    @Test("an unknown or unrunnable named layer, and a missing model file, are config errors naming them", arguments: [
        ("model: {path: fixture.onnx, layers: [c9]}", "has no convolution 'c9'"),
        ("model: {path: fixture.onnx, layers: [c5]}", "cannot be benchmarked: input size unknown"),
        ("model: {path: absent.onnx}", "model file 'absent.onnx' does not exist"),
        ("model: {path: fixture.onnx, composition: bn}", "bn"),
        ("model: {inputSize: 8}", "missing key 'path'"),
    ])
    func errors(_ block: String, _ expected: String) throws {
        let (_, path) = try config(block)
        do {
            _ = try SweepConfigurationParser.parse(path: path.path)
            Issue.record("parsed: \(block)")
        } catch let error as InvalidInput {
            #expect(error.message.contains(expected), "\(error.message)")
        }
    }
}
