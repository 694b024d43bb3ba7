import Foundation
import ZIPFoundation

/// PyTorch checkpoints written by the tests, opcode by opcode (protocol 2, as `torch.save`
/// writes them), independently of the reader: a state dict of named tensors in the legacy
/// format or the zip format. A few hundred bytes each.
enum CheckpointFixture {
    /// One tensor: its name, shape, values and storage class (`FloatStorage`, `DoubleStorage`,
    /// `HalfStorage`, `BFloat16Storage`).
    struct Tensor {
        var name: String
        var shape: [Int]
        var values: [Double]
        var storageClass = "FloatStorage"
        /// Element strides; nil for row-major.
        var strides: [Int]? = nil
        /// Elements before the tensor's first in its storage.
        var offset = 0
        /// The storage's elements (defaults to `values`, for row-major tensors at offset 0).
        var storage: [Double]? = nil
    }

    /// Pickle opcodes.
    struct Writer {
        var bytes: [UInt8] = []
        mutating func op(_ code: UInt8) { bytes.append(code) }
        mutating func unicode(_ text: String) {
            let utf8 = Array(text.utf8)
            op(0x58)
            bytes += withUnsafeBytes(of: UInt32(utf8.count).littleEndian, Array.init)
            bytes += utf8
        }
        mutating func integer(_ value: Int) {
            if (0..<256).contains(value) { op(0x4B); bytes.append(UInt8(value)) } else if (0..<65536).contains(value) {
                op(0x4D); bytes += withUnsafeBytes(of: UInt16(value).littleEndian, Array.init)
            } else {
                op(0x4A); bytes += withUnsafeBytes(of: Int32(value).littleEndian, Array.init)
            }
        }
        mutating func global(_ module: String, _ name: String) {
            op(0x63)
            bytes += Array("\(module)\n\(name)\n".utf8)
        }
        mutating func tuple(_ values: [Int]) {
            op(0x28)
            for value in values { integer(value) }
            op(0x74)
        }
    }

    static func elementSize(_ storageClass: String) -> Int {
        switch storageClass {
        case "DoubleStorage", "LongStorage": return 8
        case "HalfStorage", "BFloat16Storage", "ShortStorage": return 2
        case "ByteStorage", "CharStorage", "BoolStorage": return 1
        default: return 4
        }
    }

    static func storageBytes(_ values: [Double], _ storageClass: String) -> [UInt8] {
        values.flatMap { value -> [UInt8] in
            switch storageClass {
            case "DoubleStorage": return withUnsafeBytes(of: value.bitPattern.littleEndian, Array.init)
            case "LongStorage": return withUnsafeBytes(of: Int64(value).littleEndian, Array.init)
            case "IntStorage": return withUnsafeBytes(of: Int32(value).littleEndian, Array.init)
            case "ShortStorage": return withUnsafeBytes(of: Int16(value).littleEndian, Array.init)
            case "CharStorage": return [UInt8(bitPattern: Int8(value))]
            case "ByteStorage", "BoolStorage": return [UInt8(value)]
            case "HalfStorage": return withUnsafeBytes(of: Float16(value).bitPattern.littleEndian, Array.init)
            case "BFloat16Storage": return withUnsafeBytes(of: UInt16(Float(value).bitPattern >> 16).littleEndian, Array.init)
            default: return withUnsafeBytes(of: Float(value).bitPattern.littleEndian, Array.init)
            }
        }
    }

    static func rowMajorStrides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        for axis in stride(from: shape.count - 2, through: 0, by: -1) { strides[axis] = strides[axis + 1] * shape[axis + 1] }
        return strides
    }

    /// The state-dict pickle: `OrderedDict` of `_rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict())`,
    /// storage keys "0", "1", …; `extraGlobal` inserts a call to another global (for refusal tests).
    static func statePickle(_ tensors: [Tensor], extraGlobal: (String, String)? = nil) -> [UInt8] {
        var writer = Writer()
        writer.op(0x80); writer.bytes.append(2)
        writer.global("collections", "OrderedDict"); writer.op(0x29); writer.op(0x52)
        writer.op(0x28)
        for (index, tensor) in tensors.enumerated() {
            writer.unicode(tensor.name)
            writer.global("torch._utils", "_rebuild_tensor_v2")
            writer.op(0x28)
            writer.op(0x28)
            writer.unicode("storage"); writer.global("torch", tensor.storageClass); writer.unicode("\(index)"); writer.unicode("cpu")
            writer.integer((tensor.storage ?? tensor.values).count); writer.op(0x4E)
            writer.op(0x74)
            writer.op(0x51)  // BINPERSID
            writer.integer(tensor.offset)
            writer.tuple(tensor.shape)
            writer.tuple(tensor.strides ?? rowMajorStrides(tensor.shape))
            writer.op(0x89)
            writer.global("collections", "OrderedDict"); writer.op(0x29); writer.op(0x52)
            writer.op(0x74)
            writer.op(0x52)
        }
        if let (module, name) = extraGlobal {
            writer.unicode("payload")
            writer.global(module, name)
            writer.op(0x28); writer.unicode("echo owned"); writer.op(0x74)
            writer.op(0x52)
        }
        writer.op(0x75)  // SETITEMS
        writer.op(0x2E)
        return writer.bytes
    }

    /// The legacy format: magic, protocol 1001, system info, state dict, keys, storages.
    static func legacy(_ tensors: [Tensor], extraGlobal: (String, String)? = nil) -> Data {
        var bytes: [UInt8] = [0x80, 0x02, 0x8A, 0x0A, 0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19, 0x2E]
        bytes += [0x80, 0x02, 0x4D, 0xE9, 0x03, 0x2E]  // 1001
        var info = Writer()
        info.op(0x80); info.bytes.append(2); info.op(0x7D); info.op(0x28)
        info.unicode("protocol_version"); info.integer(1001); info.unicode("little_endian"); info.op(0x88)
        info.op(0x75); info.op(0x2E)
        bytes += info.bytes
        bytes += statePickle(tensors, extraGlobal: extraGlobal)
        var keys = Writer()
        keys.op(0x80); keys.bytes.append(2); keys.op(0x5D); keys.op(0x28)
        for index in tensors.indices { keys.unicode("\(index)") }
        keys.op(0x65); keys.op(0x2E)
        bytes += keys.bytes
        for tensor in tensors {
            let storage = tensor.storage ?? tensor.values
            bytes += withUnsafeBytes(of: UInt64(storage.count).littleEndian, Array.init)
            bytes += storageBytes(storage, tensor.storageClass)
        }
        return Data(bytes)
    }

    /// The zip format: `fixture/data.pkl` and `fixture/data/<key>`.
    static func zip(_ tensors: [Tensor]) throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        func add(_ path: String, _ contents: [UInt8]) throws {
            let data = Data(contents)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .none) { position, size in
                data.subdata(in: Int(position)..<(Int(position) + size))
            }
        }
        try add("fixture/version", Array("3\n".utf8))
        try add("fixture/data.pkl", statePickle(tensors))
        for (index, tensor) in tensors.enumerated() {
            try add("fixture/data/\(index)", storageBytes(tensor.storage ?? tensor.values, tensor.storageClass))
        }
        return try require(archive.data)
    }
}

/// `#require` outside a test body: a thrown error instead.
private func require<T>(_ value: T?) throws -> T {
    guard let value else { throw CocoaError(.fileReadCorruptFile) }
    return value
}
