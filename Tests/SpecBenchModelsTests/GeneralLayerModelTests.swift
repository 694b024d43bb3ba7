import Foundation
import Testing
import SpecBenchCore
@testable import SpecBenchModels

/// Real graphs read as they are (docs/methods.md §5): an NHWC graph exported from Keras, shapes
/// computed in the graph (Shape, Gather, Slice, Mul, Concat, Reshape, Unsqueeze), depthwise,
/// transposed and 1-D layers; and the presets that place the layers of EfficientNet-Lite0 and
/// MTCNN checkpoints.
@Suite("General layers in model files")
struct GeneralLayerModelTests {
    static func int64(_ name: String, dims: [Int], _ values: [Int]) -> Onnx_TensorProto {
        var tensor = Onnx_TensorProto()
        tensor.name = name
        tensor.dims = dims.map(Int64.init)
        tensor.dataType = 7
        tensor.int64Data = values.map(Int64.init)
        return tensor
    }

    /// `image` [1, H, W, 3] (symbolic H, W) → Transpose to NCHW → `c1` (4×3×3×3, stride 2, pads 1)
    /// → `dw` (depthwise 4×1×3×3) → Resize to sizes computed from Shape(dw) (×2) → `up`
    /// (ConvTranspose 4×2×2×2, stride 2) → Reshape to (N, 2, −1) with the shape computed from
    /// Shape(up) → `line` (Conv1d 3×2×5, pads 2).
    static func model() -> Onnx_ModelProto {
        var graph = Onnx_GraphProto()
        graph.name = "general"
        var input = Onnx_ValueInfoProto()
        input.name = "image"
        var shape = Onnx_TensorShapeProto()
        for value in [nil, nil, nil, 3] as [Int?] {
            var dimension = Onnx_TensorShapeProto.Dimension()
            if let value { dimension.dimValue = Int64(value) } else { dimension.dimParam = "d" }
            shape.dim.append(dimension)
        }
        input.type.tensorType.elemType = 1
        input.type.tensorType.shape = shape
        graph.input = [input]
        graph.initializer = [
            OnnxFixture.tensor("c1.weight", dims: [4, 3, 3, 3], values: OnnxFixture.weights(108, seed: 1)),
            OnnxFixture.tensor("dw.weight", dims: [4, 1, 3, 3], values: OnnxFixture.weights(36, seed: 2)),
            OnnxFixture.tensor("up.weight", dims: [4, 2, 2, 2], values: OnnxFixture.weights(32, seed: 3)),
            OnnxFixture.tensor("line.weight", dims: [3, 2, 5], values: OnnxFixture.weights(30, seed: 4)),
            int64("spatial", dims: [2], [2, 3]), int64("two", dims: [1], [2]),
            int64("start", dims: [1], [0]), int64("end", dims: [1], [2]), int64("zero", dims: [1], [0]),
            int64("tail", dims: [2], [2, -1]),
        ]
        let node = OnnxFixture.node
        graph.node = [
            node("Transpose", "nchw", ["image"], ["x"], [OnnxFixture.integers("perm", [0, 3, 1, 2])]),
            node("Conv", "c1", ["x", "c1.weight"], ["c1.out"], [OnnxFixture.integers("strides", [2, 2]), OnnxFixture.integers("pads", [1, 1, 1, 1])]),
            node("Conv", "dw", ["c1.out", "dw.weight"], ["dw.out"], [OnnxFixture.integer("group", 4), OnnxFixture.integers("pads", [1, 1, 1, 1])]),
            node("Shape", "shape", ["dw.out"], ["dw.shape"], []),
            node("Gather", "hw", ["dw.shape", "spatial"], ["hw"], [OnnxFixture.integer("axis", 0)]),
            node("Mul", "double", ["hw", "two"], ["hw2"], []),
            node("Slice", "nc", ["dw.shape", "start", "end"], ["nc"], []),
            node("Concat", "sizes", ["nc", "hw2"], ["sizes"], [OnnxFixture.integer("axis", 0)]),
            node("Resize", "resize", ["dw.out", "", "", "sizes"], ["big"], []),
            node("ConvTranspose", "up", ["big", "up.weight"], ["up.out"], [OnnxFixture.integers("strides", [2, 2])]),
            node("Shape", "shape2", ["up.out"], ["up.shape"], []),
            node("Gather", "batch", ["up.shape", "zero"], ["batch"], [OnnxFixture.integer("axis", 0)]),
            node("Concat", "target", ["batch", "tail"], ["target"], [OnnxFixture.integer("axis", 0)]),
            node("Reshape", "flat", ["up.out", "target"], ["flat"], []),
            node("Conv", "line", ["flat", "line.weight"], ["line.out"], [OnnxFixture.integers("pads", [2, 2])]),
        ]
        var model = Onnx_ModelProto()
        model.irVersion = 8
        var opset = Onnx_OperatorSetIdProto()
        opset.version = 17
        model.opsetImport = [opset]
        model.graph = graph
        return model
    }

    @Test("an NHWC graph with shapes computed in the graph: every layer placed, depthwise, transposed and 1-D included")
    func computedShapes() throws {
        let data = try OnnxFixture.bytes(Self.model())
        let symbolic = try OnnxModel(data: data)
        #expect(symbolic.convolutions.allSatisfy { ($0.problem ?? "").contains("symbolic size") })
        let model = try OnnxModel(data: data, inputSize: AxisPair(12, 20))
        #expect(model.inputSize == [12, 20])
        let layers = Dictionary(uniqueKeysWithValues: model.convolutions.map { ($0.name, $0) })
        #expect(model.convolutions.allSatisfy { $0.problem == nil }, "\(model.convolutions.map { $0.problem ?? "ok" })")
        #expect(layers["c1"]?.inputSize == [12, 20])
        let dw = try #require(layers["dw"])
        #expect(dw.inputSize == [6, 10] && dw.groups == 4)
        let up = try #require(layers["up"])
        #expect(up.isTransposed && up.inputSize == [12, 20] && up.outputPadding == [0, 0])
        let line = try #require(layers["line"])
        // up: 2 channels of 24×40, reshaped to (1, 2, 960): a 1-D layer on 960 samples.
        #expect(line.dimensions == 1 && line.inputSize == [1, 960] && line.pads == [0, 2, 0, 2] && line.shape.height == 1)
        // Their operators.
        let upGeometry = try up.geometry()
        #expect(upGeometry.transposed != nil && upGeometry.inputHeight == 24 && upGeometry.inputWidth == 40
                && upGeometry.outputHeight == 12 && upGeometry.outputWidth == 20)
        let lineGeometry = try line.geometry()
        #expect(lineGeometry.dimensions == 1 && lineGeometry.outputWidth == 960)
        #expect(try dw.geometry().groups == 4)
    }

    static func unplaced(_ name: String, _ cout: Int, _ cin: Int, _ k: Int) -> ModelConvolution {
        ModelInventory.unplaced(name: name, shape: [cout, cin, k, k], format: "a PyTorch state dict")
    }

    @Test("efficientnet-lite0 places every layer: TF SAME pads (asymmetric when strided), depthwise groups, batch norms with ε 1e-3")
    func efficientNet() {
        var layers = [Self.unplaced("_conv_stem.weight", 32, 3, 3)]
        let expansions = [1, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6]
        let kernels = [3, 3, 3, 5, 5, 3, 3, 3, 5, 5, 5, 5, 5, 5, 5, 3]
        let outputs = [16, 24, 24, 40, 40, 80, 80, 80, 112, 112, 112, 192, 192, 192, 192, 320]
        var channels = 32
        for block in 0..<16 {
            let expanded = channels * expansions[block]
            if expansions[block] != 1 { layers.append(Self.unplaced("_blocks.\(block)._expand_conv.weight", expanded, channels, 1)) }
            layers.append(Self.unplaced("_blocks.\(block)._depthwise_conv.weight", expanded, 1, kernels[block]))
            layers.append(Self.unplaced("_blocks.\(block)._project_conv.weight", outputs[block], expanded, 1))
            channels = outputs[block]
        }
        layers.append(Self.unplaced("_conv_head.weight", 1280, 320, 1))
        let placed = EfficientNetLitePreset.place(layers, inputSize: AxisPair(224))
        #expect(placed.count == 49 && placed.allSatisfy { $0.problem == nil }, "\(placed.compactMap(\.problem))")
        let byName = Dictionary(uniqueKeysWithValues: placed.map { ($0.name, $0) })
        // Stem: 3×3 stride 2 on 224, total pad 1: none above, one below.
        #expect(byName["_conv_stem.weight"]?.pads == [0, 0, 1, 1] && byName["_conv_stem.weight"]?.strides == [2, 2])
        // Block 3: the first 5×5 stride-2 depthwise layer, on 56: total pad 3, 1 before and 2 after.
        let block3 = byName["_blocks.3._depthwise_conv.weight"]!
        #expect(block3.inputSize == [56, 56] && block3.pads == [1, 1, 2, 2] && block3.groups == 144 && block3.strides == [2, 2])
        #expect(byName["_blocks.4._depthwise_conv.weight"]?.pads == [2, 2, 2, 2])
        #expect(byName["_blocks.1._project_conv.weight"]?.inputSize == [56, 56])
        #expect(byName["_conv_head.weight"]?.inputSize == [7, 7] && byName["_conv_head.weight"]?.batchNorm == "_bn1")
        #expect(byName["_blocks.5._expand_conv.weight"]?.batchNorm == "_blocks.5._bn0" && block3.batchNormEpsilon == 1e-3)
        // A kernel that does not fit its block is left unplaced, with the reason.
        var wrong = layers
        wrong[2] = Self.unplaced("_blocks.0._depthwise_conv.weight", 32, 1, 5)
        #expect((EfficientNetLitePreset.place(wrong, inputSize: AxisPair(224))[2].problem ?? "").contains("does not fit block 0"))
    }

    @Test("mtcnn places the P-, R- and O-Net at their own input sizes (valid convolutions, ceil-mode pools)")
    func mtcnn() {
        let pnet = [Self.unplaced("conv1.weight", 10, 3, 3), Self.unplaced("conv2.weight", 16, 10, 3), Self.unplaced("conv3.weight", 32, 16, 3),
                    Self.unplaced("conv4_1.weight", 2, 32, 1), Self.unplaced("conv4_2.weight", 4, 32, 1)]
        let rnet = [Self.unplaced("conv1.weight", 28, 3, 3), Self.unplaced("conv2.weight", 48, 28, 3), Self.unplaced("conv3.weight", 64, 48, 2)]
        let onet = [Self.unplaced("conv1.weight", 32, 3, 3), Self.unplaced("conv2.weight", 64, 32, 3), Self.unplaced("conv3.weight", 64, 64, 3),
                    Self.unplaced("conv4.weight", 128, 64, 2)]
        for (net, sizes) in [(pnet, [12, 5, 3, 1, 1]), (rnet, [24, 11, 4]), (onet, [48, 23, 10, 4])] {
            let placed = MTCNNPreset.place(net, inputSize: MTCNNPreset.defaultInputSize(net))
            #expect(placed.map { $0.inputSize?[0] ?? 0 } == sizes && placed.allSatisfy { $0.problem == nil && $0.pads == [0, 0, 0, 0] })
        }
    }
}
