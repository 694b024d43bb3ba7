import Foundation
import Testing
import TestSupport
@testable import SpecBenchModels

/// `bench model` end to end on a fixture written by the test.
@Suite("bench model")
struct ModelCommandTests {
    func write(_ data: Data, name: String) throws -> URL { try BenchProcess.temporaryFile(data, name: name) }

    @Test("lists every convolution with its input size and batch norm, and says which cannot run and why")
    func listing() throws {
        let url = try write(try OnnxFixture.bytes(), name: "fixture.onnx")
        let run = try BenchProcess.run(["model", url.path])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.contains("onnx, 5 convolutions, input 16×16") == true, "\(lines.first ?? "")")
        #expect(lines.contains { $0.contains("c2 ") && $0.contains("6×4×3×3") && $0.contains("4×4") && $0.contains("bn2") && $0.hasSuffix("ok") })
        // Grouped layers are operators like any other (docs/methods.md §5).
        #expect(lines.contains { $0.contains("c4 ") && $0.contains("2×1×3×3") && $0.hasSuffix("ok") })
        #expect(lines.last == "4 of 5 convolutions can be benchmarked; 1 unsupported; 1 grouped or depthwise (groups ≠ 1); 1 have no inferred input size")
        let json = try BenchProcess.run(["model", url.path, "--input-size", "32", "--format", "json"])
        let inventory = try JSONDecoder().decode(ModelInventory.self, from: Data(json.stdout.utf8))
        #expect(inventory.convolutions.map(\.inputSize) == [[32, 32], [8, 8], [16, 16], [16, 16], nil])
    }

    /// A legacy checkpoint whose first pickle is another number.
    func wrongMagic() -> Data {
        var bytes = [UInt8](CheckpointFixture.legacy([TorchCheckpointTests.weight]))
        bytes[4] ^= 0xFF
        return Data(bytes)
    }

    /// The fixture with its first weight cut to 100 bytes.
    func shortWeight() throws -> Data {
        var model = OnnxFixture.model()
        model.graph.initializer[0].rawData = model.graph.initializer[0].rawData.prefix(100)
        return try OnnxFixture.bytes(model)
    }

    /// A safetensors file declaring a 1 TB header.
    func hugeSafetensorsHeader() -> Data {
        var bytes = [UInt8](withUnsafeBytes(of: UInt64(1 << 40).littleEndian, Array.init))
        bytes += Array("{\"a\": 1}".utf8)
        return Data(bytes)
    }

    @Test("not a model, truncated, wrong magic, a hostile pickle, a huge header, no convolutions: one line, exit 64")
    func badFiles() throws {
        var noConvolutions = OnnxFixture.model()
        noConvolutions.graph.node = noConvolutions.graph.node.filter { $0.opType != "Conv" }
        let bytes = try OnnxFixture.bytes()
        let cases: [(Data, String, String)] = [
            (Data("not a model at all\n".utf8), "notes.txt", "is not an ONNX model"),
            (bytes.prefix(bytes.count / 2), "cut.onnx", "is not an ONNX model"),
            (try OnnxFixture.bytes(noConvolutions), "plain.onnx", "no 2-D convolutions"),
            (Data([0x80, 0x02, 0x8A, 0x0A, 0x6C, 0xFC]), "cut-legacy.pt", "truncated"),
            (CheckpointFixture.legacy([TorchCheckpointTests.weight], extraGlobal: ("os", "system")), "evil.pt", "'os.system'"),
            (wrongMagic(), "wrong-magic.pt", "not the legacy magic number"),
            (hugeSafetensorsHeader(), "huge.safetensors", "above the format's limit"),
            (try shortWeight(), "short-weight.onnx", "needs 432 bytes for its shape"),
        ]
        for (data, name, expected) in cases {
            let url = try write(data, name: name)
            let run = try BenchProcess.run(["model", url.path])
            #expect(run.status == 64, "\(name): exit \(run.status)")
            #expect(run.stderr.contains(expected) && run.stderr.split(separator: "\n").count == 1, "\(name): \(run.stderr)")
            #expect(run.stdout.isEmpty)
        }
        let missing = try BenchProcess.run(["model", "/nonexistent/model.onnx"])
        #expect(missing.status == 64 && missing.stderr.contains("cannot read '/nonexistent/model.onnx'"))
        let badSize = try BenchProcess.run(["model", try write(bytes, name: "m.onnx").path, "--input-size", "0"])
        #expect(badSize.status == 64 && badSize.stderr.contains("invalid input size n = 0"), "\(badSize.stderr)")
    }
}
