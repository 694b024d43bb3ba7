import Foundation
import ZIPFoundation
import SpecBenchCore
import Testing
import TestSupport
@testable import SpecBenchModels

/// Hostile model files, round two (issue "hostile input, round two", cases 1–3 and 16): each is a
/// named refusal, never a signal. Fixtures are built here.
@Suite("Hostile model files")
struct HostileModelTests {
    func write(_ data: Data, name: String) throws -> URL { try BenchProcess.temporaryFile(data, name: name) }

    /// The fixture with `c1`'s attribute `name` replaced by `values`.
    func fixture(c1 name: String, _ values: [Int]) throws -> Data {
        var model = OnnxFixture.model()
        model.graph.node[0].attribute = model.graph.node[0].attribute.filter { $0.name != name } + [OnnxFixture.integers(name, values)]
        return try OnnxFixture.bytes(model)
    }

    @Test("cases 1 and 2: strides [0, 0] and pads of 2^62 make the layer unbenchmarkable with the value named; listing exits 0, a sweep of the layer 64",
          arguments: [("strides", [0, 0], "strides [0, 0]"), ("pads", [1 << 62, 1, 1 << 62, 1], "pads [\(1 << 62)"),
                      ("strides", [1], "strides [1]"), ("dilations", [-3, 1], "dilations [-3, 1]")])
    func badConvolutionAttributes(_ attribute: (String, [Int], String)) throws {
        let (name, values, named) = attribute
        let data = try fixture(c1: name, values)
        let parsed = try OnnxModel(data: data, path: "bad.onnx")
        let layer = try #require(parsed.convolutions.first)
        #expect(layer.problem?.contains(named) == true, "\(layer.problem ?? "no problem")")
        #expect(layer.problem?.contains("accepted: ") == true)
        #expect(throws: InvalidInput.self) { _ = try layer.geometry() }
        // Every later size depends on c1's output: unknown, with the reason, never a crash.
        #expect(parsed.convolutions.dropFirst().allSatisfy { $0.problem != nil })

        let url = try write(data, name: "bad-\(name).onnx")
        let listing = try BenchProcess.run(["model", url.path])
        #expect(listing.status == 0, "\(listing.stderr)")
        #expect(listing.stdout.contains(named), "\(listing.stdout)")
        let directory = BenchProcess.temporaryDirectory()
        let config = directory.appendingPathComponent("sweep.yaml")
        try """
            name: hostile
            model: {path: \(url.path), layers: [c1]}
            methods: [sedghi]
            repetitions: 1
            """.write(to: config, atomically: true, encoding: .utf8)
        let sweep = try BenchProcess.run(["sweep", "--config", config.path, "--output", directory.appendingPathComponent("run").path])
        #expect(sweep.status == 64, "exit \(sweep.status): \(sweep.stderr)")
        #expect(sweep.stderr.contains(named), "\(sweep.stderr)")
    }

    @Test("a MaxPool with strides [0, 0] and a Resize to 1e300 leave later sizes unknown, with the reason")
    func badPoolAndResize() throws {
        var pool = OnnxFixture.model()
        pool.graph.node[2].attribute = [OnnxFixture.integers("kernel_shape", [2, 2]), OnnxFixture.integers("strides", [0, 0])]
        let parsedPool = try OnnxModel(data: OnnxFixture.bytes(pool), path: "pool.onnx")
        #expect(parsedPool.convolutions[1].problem?.contains("MaxPool 'pool1' has strides [0, 0]") == true,
                "\(parsedPool.convolutions[1].problem ?? "")")
        var resize = OnnxFixture.model()
        resize.graph.initializer[9] = OnnxFixture.tensor("resize.scales", dims: [4], values: [1, 1, 1e300, 2])
        let parsedResize = try OnnxModel(data: OnnxFixture.bytes(resize), path: "resize.onnx")
        #expect(parsedResize.convolutions[2].problem?.contains("scales") == true, "\(parsedResize.convolutions[2].problem ?? "")")
    }

    @Test("case 16: a weight declared 2^40 × 2^40 × 3 × 3 with no data is refused when listed, as when swept")
    func declaredHugeWeight() throws {
        var model = OnnxFixture.model()
        var huge = Onnx_TensorProto()
        huge.name = "c1.weight"
        huge.dims = [1 << 40, 1 << 40, 3, 3]
        huge.dataType = 1
        model.graph.initializer[0] = huge
        let url = try write(try OnnxFixture.bytes(model), name: "huge-weight.onnx")
        let run = try BenchProcess.run(["model", url.path])
        #expect(run.status == 64, "exit \(run.status): \(run.stdout)")
        #expect(run.stderr.contains("tensor 'c1.weight' of shape [1099511627776, 1099511627776, 3, 3] is too large"), "\(run.stderr)")
        #expect(run.stderr.split(separator: "\n").count == 1)
        // Declared without its data at a plausible size: refused by name too.
        var empty = OnnxFixture.model()
        empty.graph.initializer[0].rawData = Data()
        empty.graph.initializer[0].clearRawData()
        let text: String? = {
            do { _ = try OnnxModel(data: OnnxFixture.bytes(empty), path: "empty.onnx") } catch let error as InvalidInput { return error.message } catch { return "\(error)" }
            return nil
        }()
        #expect(text?.contains("needs 108 values but stores 0") == true, "\(text ?? "accepted")")
    }

    /// A pickle of `depth` nested containers: `[[[…]]]` by EMPTY_LIST and APPEND, or `((…),)` by
    /// TUPLE1.
    static func nestedPickle(depth: Int, tuples: Bool) -> [UInt8] {
        var bytes: [UInt8] = [0x80, 0x02]
        if tuples {
            bytes.append(0x29)
            bytes += [UInt8](repeating: 0x85, count: depth - 1)
        } else {
            bytes += [UInt8](repeating: 0x5D, count: depth)
            bytes += [UInt8](repeating: 0x61, count: depth - 1)
        }
        bytes.append(0x2E)
        return bytes
    }

    @Test("case 3: 50,000 nested lists or tuples are refused at depth 100, and freeing them does not overflow the stack",
          arguments: [false, true])
    func deeplyNestedPickle(_ tuples: Bool) throws {
        for depth in [101, 30_000, 50_000] {
            var reader = RestrictedUnpickler(data: Data(Self.nestedPickle(depth: depth, tuples: tuples)), path: "deep.pt")
            #expect(throws: InvalidInput.self) { _ = try reader.load() }
        }
        var shallow = RestrictedUnpickler(data: Data(Self.nestedPickle(depth: 100, tuples: tuples)), path: "ok.pt")
        #expect(try shallow.load().depth == 100)
    }

    @Test("a container changed after being nested (the way around the depth limit, or a cycle) is refused")
    func nestedThenChanged() throws {
        // L1 = [], L2 = []; memo both; L1.append(L2); then GET L2 and append to it.
        let bytes: [UInt8] = [0x80, 0x02, 0x5D, 0x71, 0, 0x5D, 0x71, 1, 0x61, 0x68, 1, 0x5D, 0x61, 0x2E]
        var reader = RestrictedUnpickler(data: Data(bytes), path: "sneaky.pt")
        let message: String? = {
            do { _ = try reader.load() } catch let error as InvalidInput { return error.message } catch { return "\(error)" }
            return nil
        }()
        #expect(message?.contains("changed after being placed inside another") == true, "\(message ?? "accepted")")
        // A list appended to itself.
        let cycle: [UInt8] = [0x80, 0x02, 0x5D, 0x32, 0x61, 0x2E]
        var cyclic = RestrictedUnpickler(data: Data(cycle), path: "cycle.pt")
        #expect(throws: InvalidInput.self) { _ = try cyclic.load() }
    }

    @Test("case 3 end to end: a legacy .pt whose state pickle nests 50,000 lists exits 64 with one line")
    func deeplyNestedCheckpoint() throws {
        var bytes = [UInt8](CheckpointFixture.legacy([]))
        // Replace the state pickle (after magic, protocol and system info) by the nested one.
        let magicAndProtocol = 15 + 6
        let info = bytes[magicAndProtocol...].firstIndex(of: 0x2E)! + 1
        bytes = Array(bytes[..<info]) + Self.nestedPickle(depth: 50_000, tuples: false)
        let url = try write(Data(bytes), name: "deep.pt")
        let run = try BenchProcess.run(["model", url.path])
        #expect(run.status == 64, "exit \(run.status)")
        #expect(run.stderr.contains("nested more than 100 deep") && run.stderr.split(separator: "\n").count == 1, "\(run.stderr)")
    }
}

/// Hostile input, round two, cases 17 and 19: files that are not files, and archives that
/// inflate without bound.
@Suite("Hostile files: pipes and zip bombs")
struct HostileFileTests {
    @Test("case 17: a named pipe given as --kernel or as a model is refused at once, not waited on", .timeLimit(.minutes(1)))
    func namedPipe() throws {
        let folder = BenchProcess.temporaryDirectory()
        let fifo = folder.appendingPathComponent("kernel.npy").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let estimate = try BenchProcess.run(["estimate", "--kernel", fifo, "--input-size", "6", "--padding", "zero", "--methods", "sedghi"])
        #expect(estimate.status == 64, "exit \(estimate.status)")
        #expect(estimate.stderr.contains("kernel file '\(fifo)' is a named pipe"), "\(estimate.stderr)")
        #expect(estimate.stderr.split(separator: "\n").count == 1)
        let model = try BenchProcess.run(["model", fifo])
        #expect(model.status == 64 && model.stderr.contains("is a named pipe"), "\(model.stderr)")
    }

    @Test("fuzz regression: a zip whose central directory points past the end is refused, not a trap in ZIPFoundation")
    func zipOffsetsPastTheEnd() throws {
        let valid = [UInt8](try CheckpointFixture.zip([TorchCheckpointTests.weight]))
        // The first central-directory entry's local-header offset (at +42) set past the end.
        let directory = try #require((0..<(valid.count - 4)).first { valid[$0..<($0 + 4)] == [0x50, 0x4B, 0x01, 0x02] })
        for offset in [UInt32(valid.count + 1000), UInt32.max - 1] {
            var damaged = valid
            withUnsafeBytes(of: offset.littleEndian) { damaged.replaceSubrange((directory + 42)..<(directory + 46), with: $0) }
            let message: String? = {
                do { _ = try TorchCheckpoint(data: Data(damaged), path: "bad.pt") } catch let error as InvalidInput { return error.message } catch { return "\(error)" }
                return nil
            }()
            #expect(message?.contains("'bad.pt' is a damaged zip archive: the local header of entry 1 lies outside the file") == true, "\(message ?? "accepted")")
        }
        // An end record whose comment runs past the end of the file (ZIPFoundation leaked the
        // archive it had opened when refusing it).
        var comment = valid
        comment[comment.count - 2] = 0xFF
        let text: String? = {
            do { _ = try TorchCheckpoint(data: Data(comment), path: "bad.pt") } catch let error as InvalidInput { return error.message } catch { return "\(error)" }
            return nil
        }()
        #expect(text?.contains("the end-of-central-directory record lies outside") == true, "\(text ?? "accepted")")
        // The input the fuzzer found, kept among the seeds.
        let found = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Fuzz/seeds/checkpoint/crash-zip-seek-past-end.pt")
        let run = try BenchProcess.run(["model", found.standardizedFileURL.path])
        #expect(run.status == 64 && run.stderr.split(separator: "\n").count == 1, "exit \(run.status): \(run.stderr)")
    }

    @Test("case 19: a zip checkpoint whose data.pkl inflates past 64 MiB is refused while inflating")
    func zipBomb() throws {
        let archive = try Archive(data: Data(), accessMode: .create)
        let size = TorchCheckpoint.maximumPickleBytes + (1 << 20)
        try archive.addEntry(with: "bomb/data.pkl", type: .file, uncompressedSize: Int64(size), compressionMethod: .deflate) { _, chunk in
            Data(count: chunk)
        }
        let data = try #require(archive.data)
        #expect(data.count < 1 << 20, "the fixture should be small: \(data.count) bytes")
        let url = BenchProcess.temporaryDirectory().appendingPathComponent("bomb.pt")
        try data.write(to: url)
        let run = try BenchProcess.run(["model", url.path])
        #expect(run.status == 64, "exit \(run.status)")
        #expect(run.stderr.contains("'bomb/data.pkl' inflates past \(TorchCheckpoint.maximumPickleBytes) bytes"), "\(run.stderr)")
    }
}
