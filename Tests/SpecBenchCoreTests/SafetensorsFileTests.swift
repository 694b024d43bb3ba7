import Foundation
import Testing
import SpecBenchCore

/// The safetensors reader on files the test writes byte by byte: each float dtype read back
/// exactly, and damaged files refused with a message naming the problem.
@Suite("safetensors files")
struct SafetensorsFileTests {
    /// A safetensors file from a header object and a data section.
    static func file(header: [String: Any], data: [UInt8]) -> Data {
        let json = try! JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        var bytes = Data((0..<8).map { UInt8((UInt64(json.count) >> (8 * UInt64($0))) & 0xFF) })
        bytes.append(json)
        bytes.append(contentsOf: data)
        return bytes
    }

    static func littleEndian<Word: FixedWidthInteger>(_ words: [Word]) -> [UInt8] {
        words.flatMap { word in (0..<MemoryLayout<Word>.size).map { UInt8(truncatingIfNeeded: word >> (8 * $0)) } }
    }

    @Test("F64, F32, F16 and BF16 tensors read back exactly, with their shapes and metadata")
    func dtypes() throws {
        let values: [Double] = [1, -2.5, 0.375, 1024, -0.0009765625, 3]
        let f64 = Self.littleEndian(values.map(\.bitPattern))
        let f32 = Self.littleEndian(values.map { Float($0).bitPattern })
        let f16 = Self.littleEndian(values.map { Float16Pattern.bits($0) })
        let bf16 = Self.littleEndian(values.map { UInt16(Float($0).bitPattern >> 16) })
        var data: [UInt8] = []
        var header: [String: Any] = ["__metadata__": ["format": "pt"]]
        for (name, dtype, bytes) in [("a.weight", "F64", f64), ("b.weight", "F32", f32), ("c.weight", "F16", f16), ("d.weight", "BF16", bf16)] {
            header[name] = ["dtype": dtype, "shape": [1, 2, 3, 1], "data_offsets": [data.count, data.count + bytes.count]]
            data += bytes
        }
        let file = try SafetensorsFile(data: Self.file(header: header, data: data))
        #expect(file.entries.map(\.name) == ["a.weight", "b.weight", "c.weight", "d.weight"])
        #expect(file.metadata == ["format": "pt"])
        for entry in file.entries {
            #expect(entry.shape == [1, 2, 3, 1])
            #expect(try file.values(of: entry) == values, "\(entry.dtype)")
        }
    }

    @Test("damaged files are refused, naming the problem", arguments: [
        ("truncated length", Data([1, 2, 3]), "too short"),
        ("huge declared header", Data([0, 0, 0, 0, 1, 0, 0, 0]) + Data(repeating: 32, count: 16), "above the format's limit"),
        ("header longer than the file", Data([64, 0, 0, 0, 0, 0, 0, 0, 123, 125]), "truncated"),
        ("header not JSON", Data([2, 0, 0, 0, 0, 0, 0, 0, 80, 75]), "not a JSON object"),
    ])
    func damaged(_ name: String, _ bytes: Data, _ mention: String) {
        #expect {
            _ = try SafetensorsFile(data: bytes)
        } throws: { error in
            "\(error)".contains(mention)
        }
    }

    @Test("entries that do not fit their data are refused")
    func inconsistentEntries() {
        let cases: [([String: Any], [UInt8], String)] = [
            (["w": ["dtype": "F32", "shape": [2, 2], "data_offsets": [0, 12]]], Array(repeating: 0, count: 12), "needs 16 bytes"),
            (["w": ["dtype": "F32", "shape": [1], "data_offsets": [0, 8]]], Array(repeating: 0, count: 4), "outside the 4-byte data section"),
            (["w": ["dtype": "F8_E4M3", "shape": [1], "data_offsets": [0, 1]]], [0], "unknown dtype 'F8_E4M3'"),
            (["w": ["dtype": "F32", "shape": [Int.max, 4], "data_offsets": [0, 4]]], [0, 0, 0, 0], "overflows"),
            (["w": ["shape": [1], "data_offsets": [0, 4]]], [0, 0, 0, 0], "needs dtype"),
            // Case 15 of "hostile input, round two": tensors sharing bytes (the format forbids it).
            (["a": ["dtype": "F32", "shape": [2], "data_offsets": [0, 8]], "b": ["dtype": "F32", "shape": [2], "data_offsets": [4, 12]]],
             Array(repeating: 0, count: 12), "'a' (bytes 0..<8) and 'b' (bytes 4..<12) overlap"),
        ]
        for (header, data, mention) in cases {
            #expect {
                _ = try SafetensorsFile(data: Self.file(header: header, data: data))
            } throws: { error in
                "\(error)".contains(mention)
            }
        }
        let integers = try? SafetensorsFile(data: Self.file(header: ["n": ["dtype": "I64", "shape": [1], "data_offsets": [0, 8]]], data: Array(repeating: 0, count: 8)))
        #expect(throws: InvalidInput.self) { try integers?.values(of: integers!.entries[0]) }
    }
}

/// binary16 bit patterns of values that half precision holds exactly (the test's own encoder,
/// independent of the reader's decoder).
enum Float16Pattern {
    static func bits(_ value: Double) -> UInt16 {
        if value == 0 { return value.sign == .minus ? 0x8000 : 0 }
        let sign: UInt16 = value < 0 ? 0x8000 : 0
        let magnitude = abs(value)
        let exponent = Int(magnitude.exponent)
        let fraction = UInt16((magnitude / pow(2, Double(exponent)) - 1) * 1024)
        return sign | UInt16(exponent + 15) << 10 | fraction
    }
}
