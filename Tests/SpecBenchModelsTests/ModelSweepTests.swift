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

/// Clipping a trained layer with its batch norm (docs/clipping.md): the composition, and the
/// convolution alone with the batch norm left as it is.
@Suite("Clipping conv + BN in a model sweep")
struct ModelClipTests {
    @Test("scope composition clips diag(γ/√(σ²+ε))·A; scope convolution clips A and records the composition after; a layer without a batch norm refuses the second")
    func scopes() throws {
        let folder = BenchProcess.temporaryDirectory()
        try OnnxFixture.bytes().write(to: folder.appendingPathComponent("fixture.onnx"))
        let config = folder.appendingPathComponent("clip.yaml")
        try Data("""
        name: model-clip
        model: {path: fixture.onnx, layers: [c1, c2], composition: conv+bn, inputSize: 32}
        methods: [reference]
        clip: {targets: [1], methods: [rescale-exact, fastclip, sedghi-clip], scopes: [composition, convolution]}
        repetitions: 1
        warmup: 0
        """.utf8).write(to: config)
        let output = folder.appendingPathComponent("run")
        let run = try BenchProcess.run(["sweep", "--config", config.path, "--output", output.path, "--no-report"])
        #expect(run.status == 0, "\(run.stderr)")
        let records = try RunDirectory.readRecords(RunDirectory(path: output.path).resultsURL)
        let model = try OnnxModel(path: folder.appendingPathComponent("fixture.onnx").path)
        let c2 = model.convolutions[1]
        let kernel = try model.kernel(of: c2)
        let scales = try #require(try model.batchNormScale(of: c2))
        let geometry = try #require(try records.first { $0.label == "c2" }.map { record -> ConvolutionGeometry in
            try ConvolutionGeometry(shape: kernel.shape, inputHeight: record.operator.inputHeight, inputWidth: record.operator.inputWidth,
                                    padding: record.operator.padding, stride: record.operator.stride, pads: record.operator.pads)
        })
        let sigmaConvolution = Fixtures.denseNorm(ConvolutionOperator(kernel: kernel, geometry: geometry))
        let folded = try BatchNormFolding.folded(kernel, scales: scales)
        let sigmaComposition = Fixtures.denseNorm(ConvolutionOperator(kernel: folded, geometry: geometry))

        let c2Clips = records.filter { $0.label == "c2" && $0.result.task == MethodResult.clipTask }
        let composed = try #require(c2Clips.first { $0.result.method == "rescale-exact" && $0.result.clipScope == .composition })
        #expect(abs(composed.result.sigmaBefore! - sigmaComposition) < 1e-9 * sigmaComposition)
        #expect(abs(composed.result.sigmaAfter! - 1) < 1e-9 && abs(composed.result.compositionSigmaAfter! - 1) < 1e-9)
        let alone = try #require(c2Clips.first { $0.result.method == "rescale-exact" && $0.result.clipScope == .convolution })
        #expect(abs(alone.result.sigmaBefore! - sigmaConvolution) < 1e-9 * sigmaConvolution)
        #expect(abs(alone.result.sigmaAfter! - 1) < 1e-9)
        // The convolution divided by its σ, the batch norm as it was: the composition's norm is σ(BN∘A)/σ(A).
        #expect(abs(alone.result.compositionSigmaAfter! - sigmaComposition / sigmaConvolution) < 1e-9 * sigmaComposition / sigmaConvolution)
        // FastClip on the composition trains γ too: its record judges the composition.
        let fast = try #require(c2Clips.first { $0.result.method == "fastclip" && $0.result.clipScope == .composition })
        #expect(fast.result.status == .ok && fast.result.sigmaAfter == fast.result.compositionSigmaAfter)
        // c1 has no batch norm after it: its convolution scope is not applicable, its composition is the convolution.
        let c1Alone = records.filter { $0.label == "c1" && $0.result.clipScope == .convolution }
        #expect(!c1Alone.isEmpty && c1Alone.allSatisfy { $0.result.status == .notApplicable })
        #expect(records.filter { $0.label == "c1" && $0.result.clipScope == .composition }.allSatisfy { $0.result.compositionSigmaAfter == nil })
    }
}
