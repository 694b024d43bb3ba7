import Foundation
import SpecBenchCore
@testable import SpecBenchModels

/// Small ONNX graphs built in the tests with ONNX's own schema types and serialised: a few
/// hundred bytes each, so no binary fixture is committed.
enum OnnxFixture {
    /// Little-endian bytes of float32 values.
    static func float32Bytes(_ values: [Double]) -> Data {
        var data = Data()
        for value in values { withUnsafeBytes(of: Float(value).bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }

    /// A float32 tensor stored raw.
    static func tensor(_ name: String, dims: [Int], values: [Double]) -> Onnx_TensorProto {
        var tensor = Onnx_TensorProto()
        tensor.name = name
        tensor.dims = dims.map(Int64.init)
        tensor.dataType = 1
        tensor.rawData = float32Bytes(values)
        return tensor
    }

    /// Deterministic weight values for a tensor of `count` entries.
    static func weights(_ count: Int, seed: UInt64) -> [Double] {
        var generator = SeededGenerator(seed: seed)
        // Rounded to float32 so that the file's values are exactly the expected ones.
        return generator.normals(count).map { Double(Float($0)) }
    }

    static func integers(_ name: String, _ values: [Int]) -> Onnx_AttributeProto {
        var attribute = Onnx_AttributeProto()
        attribute.name = name
        attribute.ints = values.map(Int64.init)
        attribute.type = .ints
        return attribute
    }

    static func integer(_ name: String, _ value: Int) -> Onnx_AttributeProto {
        var attribute = Onnx_AttributeProto()
        attribute.name = name
        attribute.i = Int64(value)
        attribute.type = .int
        return attribute
    }

    static func float(_ name: String, _ value: Float) -> Onnx_AttributeProto {
        var attribute = Onnx_AttributeProto()
        attribute.name = name
        attribute.f = value
        attribute.type = .float
        return attribute
    }

    static func node(_ op: String, _ name: String, inputs: [String], outputs: [String],
                     attributes: [Onnx_AttributeProto] = []) -> Onnx_NodeProto {
        var node = Onnx_NodeProto()
        node.opType = op
        node.name = name
        node.input = inputs
        node.output = outputs
        node.attribute = attributes
        return node
    }

    /// The image input `[1, channels, size, size]` (or symbolic spatial dims).
    static func imageInput(channels: Int, size: Int?) -> Onnx_ValueInfoProto {
        var input = Onnx_ValueInfoProto()
        input.name = "image"
        var shape = Onnx_TensorShapeProto()
        for (index, value) in [1, channels, size, size].enumerated() {
            var dimension = Onnx_TensorShapeProto.Dimension()
            if let value { dimension.dimValue = Int64(value) } else { dimension.dimParam = index == 2 ? "height" : "width" }
            shape.dim.append(dimension)
        }
        input.type.tensorType.elemType = 1
        input.type.tensorType.shape = shape
        return input
    }

    /// Batch-norm parameters of the fixture's `bn2` (4 channels after `c2`... see `graph`).
    static let batchNormGamma = [1.5, -0.5, 2.0, 0.25, 1.0, 3.0]
    static let batchNormVariance = [0.5, 2.0, 1.0, 0.04, 9.0, 0.25]
    static let batchNormEpsilon: Float = 1e-3

    /// A graph on a 3 × 16 × 16 image:
    /// `c1` (4×3×3×3, stride 2, pads 1) → Relu → MaxPool 2×2 stride 2 → `c2` (6×4×3×3, pads 1)
    /// → BatchNormalization `bn2` → Resize ×2 → `c3` (2×6×1×1) → `c4` (groups 2: 2×1×3×3, pads 1)
    /// → Reshape → `c5` (2×2×1×1, input size not followable).
    static func model(inputSize: Int? = 16) -> Onnx_ModelProto {
        var graph = Onnx_GraphProto()
        graph.name = "fixture"
        graph.input = [imageInput(channels: 3, size: inputSize)]
        graph.initializer = [
            tensor("c1.weight", dims: [4, 3, 3, 3], values: weights(108, seed: 1)),
            tensor("c2.weight", dims: [6, 4, 3, 3], values: weights(216, seed: 2)),
            tensor("c3.weight", dims: [2, 6, 1, 1], values: weights(12, seed: 3)),
            tensor("c4.weight", dims: [2, 1, 3, 3], values: weights(18, seed: 4)),
            tensor("c5.weight", dims: [2, 2, 1, 1], values: weights(4, seed: 5)),
            tensor("bn2.gamma", dims: [6], values: batchNormGamma),
            tensor("bn2.beta", dims: [6], values: [0, 1, 2, 3, 4, 5]),
            tensor("bn2.mean", dims: [6], values: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]),
            tensor("bn2.variance", dims: [6], values: batchNormVariance),
            tensor("resize.scales", dims: [4], values: [1, 1, 2, 2]),
            tensor("reshape.shape", dims: [4], values: [1, 2, 16, 16]),
        ]
        graph.node = [
            node("Conv", "c1", inputs: ["image", "c1.weight"], outputs: ["c1.out"],
                 attributes: [integers("strides", [2, 2]), integers("pads", [1, 1, 1, 1]), integers("kernel_shape", [3, 3])]),
            node("Relu", "relu1", inputs: ["c1.out"], outputs: ["relu1.out"]),
            node("MaxPool", "pool1", inputs: ["relu1.out"], outputs: ["pool1.out"],
                 attributes: [integers("kernel_shape", [2, 2]), integers("strides", [2, 2])]),
            node("Conv", "c2", inputs: ["pool1.out", "c2.weight"], outputs: ["c2.out"],
                 attributes: [integers("pads", [1, 1, 1, 1])]),
            node("BatchNormalization", "bn2", inputs: ["c2.out", "bn2.gamma", "bn2.beta", "bn2.mean", "bn2.variance"],
                 outputs: ["bn2.out"], attributes: [float("epsilon", batchNormEpsilon)]),
            node("Resize", "up", inputs: ["bn2.out", "", "resize.scales"], outputs: ["up.out"]),
            node("Conv", "c3", inputs: ["up.out", "c3.weight"], outputs: ["c3.out"]),
            node("Conv", "c4", inputs: ["c3.out", "c4.weight"], outputs: ["c4.out"],
                 attributes: [integer("group", 2), integers("pads", [1, 1, 1, 1])]),
            node("Reshape", "flatten", inputs: ["c4.out", "reshape.shape"], outputs: ["flat"]),
            node("Conv", "c5", inputs: ["flat", "c5.weight"], outputs: ["c5.out"]),
        ]
        var model = Onnx_ModelProto()
        model.irVersion = 8
        model.producerName = "specbench tests"
        var opset = Onnx_OperatorSetIdProto()
        opset.version = 17
        model.opsetImport = [opset]
        model.graph = graph
        return model
    }

    /// The serialised fixture.
    static func bytes(_ model: Onnx_ModelProto = model()) throws -> Data {
        try model.serializedBytes()
    }
}
