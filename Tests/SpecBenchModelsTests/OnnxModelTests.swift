import Foundation
import NumericCore
import SpecBenchCore
import Testing
import TestSupport
@testable import SpecBenchModels

@Suite("ONNX models: convolutions, geometry inference, weights, batch norm")
struct OnnxModelTests {
    @Test("every Conv is found with its shape, stride, pads and groups; sizes follow stride, max-pool and resize")
    func geometryInference() throws {
        let model = try OnnxModel(data: OnnxFixture.bytes())
        #expect(model.inputSize == [16, 16])
        let layers = Dictionary(uniqueKeysWithValues: model.convolutions.map { ($0.name, $0) })
        #expect(model.convolutions.map(\.name) == ["c1", "c2", "c3", "c4", "c5"])
        let c1 = try #require(layers["c1"]), c2 = try #require(layers["c2"]), c3 = try #require(layers["c3"])
        #expect(c1.inputSize == [16, 16] && c1.strides == [2, 2] && c1.pads == [1, 1, 1, 1] && c1.problem == nil)
        #expect(c1.shape == KernelShape(outputChannels: 4, inputChannels: 3, height: 3, width: 3))
        // 16 → stride-2 conv → 8 → 2×2 max-pool → 4.
        #expect(c2.inputSize == [4, 4] && c2.batchNorm == "bn2" && c2.problem == nil)
        // Resize ×2 after the batch norm: 8.
        #expect(c3.inputSize == [8, 8] && c3.pads == [0, 0, 0, 0] && c3.batchNorm == nil)
        let grouped = try #require(layers["c4"])
        // Grouped layers are operators too (docs/methods.md §5): placed, groups kept.
        #expect(grouped.groups == 2 && grouped.problem == nil && grouped.inputSize == [8, 8])
        let unplaced = try #require(layers["c5"])
        #expect(unplaced.inputSize == nil && (unplaced.problem ?? "").contains("Reshape 'flatten'"), "\(unplaced.problem ?? "")")
        // The geometry of a supported layer is the zero-padded operator at its input size.
        let geometry = try c1.geometry()
        #expect(geometry.inputHeight == 16 && geometry.inputWidth == 16 && geometry.stride == 2 && geometry.padHeight == 1 && geometry.outputHeight == 8)
        let groupedGeometry = try grouped.geometry()
        #expect(groupedGeometry.groups == 2 && groupedGeometry.inputChannels == 2 && groupedGeometry.shape.inputChannels == 1)
    }

    @Test("Upsample (opset 9, scales as an input) doubles the size as Resize does")
    func upsample() throws {
        var model = OnnxFixture.model()
        let index = try #require(model.graph.node.firstIndex { $0.opType == "Resize" })
        model.graph.node[index] = OnnxFixture.node("Upsample", "up", inputs: ["bn2.out", "resize.scales"], outputs: ["up.out"])
        let parsed = try OnnxModel(data: OnnxFixture.bytes(model))
        #expect(parsed.convolutions.map(\.inputSize) == [[16, 16], [4, 4], [8, 8], [8, 8], nil])
    }

    @Test("--input-size overrides the declared size and supplies a symbolic one")
    func inputSizeOverride() throws {
        let overridden = try OnnxModel(data: OnnxFixture.bytes(), inputSize: 32)
        #expect(overridden.convolutions.map(\.inputSize) == [[32, 32], [8, 8], [16, 16], [16, 16], nil])
        let symbolic = try OnnxModel(data: OnnxFixture.bytes(OnnxFixture.model(inputSize: nil)))
        #expect(symbolic.convolutions[0].inputSize == nil)
        #expect((symbolic.convolutions[0].problem ?? "").contains("--input-size"))
        let supplied = try OnnxModel(data: OnnxFixture.bytes(OnnxFixture.model(inputSize: nil)), inputSize: 16)
        #expect(supplied.convolutions[1].inputSize == [4, 4])
    }

    @Test("weights come back exactly, in every stored type: float32 raw and typed, float64, float16, bfloat16")
    func weightTypes() throws {
        let values = [0.5, -1.25, 3.0, 0.0, -0.0625, 2.5, 1.0, -4.0]  // exact in every type
        func tensorModel(_ configure: (inout Onnx_TensorProto) -> Void) throws -> OnnxModel {
            var model = OnnxFixture.model()
            var tensor = Onnx_TensorProto()
            tensor.name = "c5.weight"
            tensor.dims = [2, 2, 1, 1]
            configure(&tensor)
            model.graph.initializer[4] = tensor
            return try OnnxModel(data: OnnxFixture.bytes(model))
        }
        let four = Array(values.prefix(4))
        let cases: [(String, (inout Onnx_TensorProto) -> Void)] = [
            ("float32 typed", { $0.dataType = 1; $0.floatData = four.map(Float.init) }),
            ("float32 raw", { $0.dataType = 1; $0.rawData = OnnxFixture.float32Bytes(four) }),
            ("float64 typed", { $0.dataType = 11; $0.doubleData = four }),
            ("float64 raw", { tensor in
                tensor.dataType = 11
                tensor.rawData = Data(four.flatMap { value in withUnsafeBytes(of: value.bitPattern.littleEndian) { Array($0) } })
            }),
            ("float16 raw", { tensor in
                tensor.dataType = 10
                tensor.rawData = Data(four.flatMap { value in withUnsafeBytes(of: Float16(value).bitPattern.littleEndian) { Array($0) } })
            }),
            ("float16 typed", { $0.dataType = 10; $0.int32Data = four.map { Int32(Float16($0).bitPattern) } }),
            ("bfloat16 raw", { tensor in
                tensor.dataType = 16
                tensor.rawData = Data(four.flatMap { value in
                    withUnsafeBytes(of: UInt16(Float(value).bitPattern >> 16).littleEndian) { Array($0) }
                })
            }),
        ]
        for (label, configure) in cases {
            let model = try tensorModel(configure)
            let kernel = try model.kernel(of: model.convolutions[4])
            #expect(kernel.values == four, "\(label): \(kernel.values)")
        }
        // A float32 weight read back equals what was written.
        let model = try OnnxModel(data: OnnxFixture.bytes())
        #expect(try model.kernel(of: model.convolutions[0]).values == OnnxFixture.weights(108, seed: 1))
    }

    @Test("conv+bn: the folded operator's norm equals an independent computation (BN applied to the unrolled matrix's rows)")
    func batchNormFolding() throws {
        let model = try OnnxModel(data: OnnxFixture.bytes())
        let layer = model.convolutions[1]
        let kernel = try model.kernel(of: layer)
        let scales = try #require(try model.batchNormScale(of: layer))
        // Independent: γ/√(σ² + ε) written out from the fixture's numbers, applied to the output
        // rows of the unrolled matrix of the unfolded kernel.
        let epsilon = Double(OnnxFixture.batchNormEpsilon)
        let expectedScales = zip(OnnxFixture.batchNormGamma, OnnxFixture.batchNormVariance).map { $0 / ($1 + epsilon).squareRoot() }
        #expect(Fixtures.maxRelativeDifference(scales, expectedScales) < 1e-6)  // ε stored as float32
        let geometry = try layer.geometry()
        let unrolled = UnrolledMatrix.build(kernel: kernel, geometry: geometry)  // column-major rows × columns
        var scaled = unrolled.elements
        let positions = geometry.outputHeight * geometry.outputWidth
        for column in 0..<geometry.columns {
            for row in 0..<geometry.rows { scaled[column * geometry.rows + row] *= scales[row / positions] }
        }
        let buffer = LibraryBuffer(copying: scaled, leadingDimension: geometry.rows)
        let independent = try LAPACK.singularValues(rows: geometry.rows, columns: geometry.columns, buffer: buffer, order: .columnMajor)[0]
        let folded = try BatchNormFolding.folded(kernel, scales: scales)
        let operatorNorm = try ExactReference().topSingularValues(
            of: ConvolutionOperator(kernel: folded, geometry: geometry), count: 1, seed: 0).values[0]
        #expect(Fixtures.isClose(operatorNorm, independent, relative: 1e-12), "\(operatorNorm) vs \(independent)")
        #expect(try model.batchNormScale(of: model.convolutions[0]) == nil)
    }
}
