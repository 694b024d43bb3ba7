import Foundation
import SpecBenchCore
import Testing
@testable import SpecBenchModels

/// A damaged, foreign or hostile file is one clear `InvalidInput` (exit 64 from `bench model`),
/// never a crash or a silent wrong layer.
@Suite("Bad model files")
struct BadModelFileTests {
    func message(_ body: () throws -> Void) -> String? {
        do { try body() } catch let error as InvalidInput { return error.message } catch { return "unexpected \(error)" }
        return nil
    }

    @Test("a truncated ONNX file is refused, at every cut")
    func truncated() throws {
        let bytes = try OnnxFixture.bytes()
        for cut in stride(from: 1, to: bytes.count, by: max(1, bytes.count / 23)) {
            let text = message { _ = try OnnxModel(data: bytes.prefix(cut), path: "cut.onnx") }
            #expect(text != nil, "cut at \(cut) of \(bytes.count) parsed")
            #expect(text?.contains("unexpected") != true, "\(text ?? "")")
        }
    }

    @Test("a file that is not a model says so, naming the file")
    func notAModel() throws {
        for contents in [Data("hello, this is a text file\n".utf8), Data(repeating: 0xFF, count: 64), Data()] {
            let text = message { _ = try OnnxModel(data: contents, path: "notes.txt") }
            #expect(text?.contains("'notes.txt' is not an ONNX model") == true, "\(text ?? "parsed")")
        }
    }

    @Test("a model with no convolutions says so")
    func noConvolutions() throws {
        var model = OnnxFixture.model()
        model.graph.node = model.graph.node.filter { $0.opType != "Conv" }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("specbench-noconv-\(UUID()).onnx")
        try OnnxFixture.bytes(model).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let text = message { _ = try ModelInventory(path: url.path) }
        #expect(text?.contains("no 2-D convolutions") == true, "\(text ?? "")")
    }

    @Test("a tensor whose bytes do not match its shape is refused when read")
    func byteLengthMismatch() throws {
        var model = OnnxFixture.model()
        model.graph.initializer[0].rawData = model.graph.initializer[0].rawData.prefix(100)
        // Refused when the model is read (bench model lists nothing), naming the tensor.
        let text = message { _ = try OnnxModel(data: OnnxFixture.bytes(model)) }
        #expect(text?.contains("tensor 'c1.weight' needs 432 bytes for its shape [4, 3, 3, 3] but stores 100") == true, "\(text ?? "")")
    }

    @Test("external weights and unknown data types are refused by name")
    func externalAndUnknownTypes() throws {
        var external = OnnxFixture.model()
        external.graph.initializer[0].dataLocation = .external
        let parsed = try OnnxModel(data: OnnxFixture.bytes(external))
        #expect(message { _ = try parsed.kernel(of: parsed.convolutions[0]) }?.contains("external file") == true)
        var strings = OnnxFixture.model()
        strings.graph.initializer[0].dataType = 8  // STRING
        let parsedStrings = try OnnxModel(data: OnnxFixture.bytes(strings))
        #expect(message { _ = try parsedStrings.kernel(of: parsedStrings.convolutions[0]) }?.contains("data type 8") == true)
    }

    @Test("formats are told apart by their first bytes")
    func formatDetection() throws {
        #expect(ModelInventory.format(of: Data([0x50, 0x4B, 0x03, 0x04, 0, 0])) == .pytorchZip)
        #expect(ModelInventory.format(of: Data([0x80, 0x02, 0x8A, 0x0A])) == .pytorchLegacy)
        var safetensors = Data([2, 0, 0, 0, 0, 0, 0, 0])
        safetensors.append(contentsOf: Array("{}".utf8))
        #expect(ModelInventory.format(of: safetensors) == .safetensors)
        #expect(ModelInventory.format(of: try OnnxFixture.bytes()) == .onnx)
    }
}
