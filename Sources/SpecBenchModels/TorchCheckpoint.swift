import Foundation
import SpecBenchCore
import ZIPFoundation

/// A PyTorch checkpoint holding a state dict (`.pt`, `.pth`): the zip format of torch ≥ 1.6
/// (`<name>/data.pkl` and one file per storage under `<name>/data/`) and the legacy format
/// (five pickles in a row: magic number, protocol 1001, system info, the state dict, the storage
/// keys; then each storage as an 8-byte element count and its bytes). Pickles are read by
/// `RestrictedUnpickler`, which refuses anything a state dict does not use: loading never runs
/// code. Tensors of float32, float64, float16 and bfloat16 are read; nested dicts
/// (`{"state_dict": {...}}`) are flattened with dotted names. Time and memory O(file size).
public struct TorchCheckpoint: Sendable {
    /// The largest `data.pkl` read from a zip checkpoint (64 MiB): a state dict's pickle holds
    /// names, shapes and storage references, a few hundred bytes per tensor.
    static let maximumPickleBytes = 64 << 20

    /// One tensor of the state dict.
    public struct Tensor: Sendable, Equatable {
        /// Its (dotted) name.
        public var name: String
        /// Its shape.
        public var shape: [Int]
        /// Its values, row-major, as float64.
        public var values: [Double]
    }

    /// The file's path, as given.
    public let path: String
    /// The tensors, in the state dict's order.
    public let tensors: [Tensor]

    /// The legacy format's magic number 0x1950a86a20f9469cfc6c, little-endian.
    static let legacyMagic: [UInt8] = [0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19]

    /// Reads the checkpoint at `path` (either format, told apart by the zip magic).
    public init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InvalidInput("cannot read '\(path)'; accepted: a readable PyTorch checkpoint")
        }
        try self.init(data: data, path: path)
    }

    /// Parses checkpoint bytes; `path` only names the file in messages.
    public init(data: Data, path: String = "the file") throws {
        self.path = path
        let references: [(String, RestrictedUnpickler.TensorReference)]
        let storages: [String: [UInt8]]
        if data.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            (references, storages) = try Self.readZip(data, path: path)
        } else {
            (references, storages) = try Self.readLegacy(data, path: path)
        }
        tensors = try references.map { name, reference in
            guard let bytes = storages[reference.storage.key] else {
                throw InvalidInput("'\(path)': tensor '\(name)' refers to storage '\(reference.storage.key)', which the file does not hold")
            }
            return Tensor(name: name, shape: reference.shape,
                          values: try Self.values(of: reference, storage: bytes, name: name, path: path))
        }
    }

    /// The tensor named `name`.
    public func tensor(named name: String) throws -> Tensor {
        guard let tensor = tensors.first(where: { $0.name == name }) else {
            throw InvalidInput("'\(path)' has no tensor '\(name)'; it has: \(tensors.prefix(12).map(\.name).joined(separator: ", "))\(tensors.count > 12 ? ", …" : "")")
        }
        return tensor
    }

    private static func readLegacy(_ data: Data, path: String) throws
        -> ([(String, RestrictedUnpickler.TensorReference)], [String: [UInt8]]) {
        var reader = RestrictedUnpickler(data: data, path: path)
        guard case .bigInteger(let magic) = try reader.load(), magic == legacyMagic else {
            throw InvalidInput("'\(path)' is not a PyTorch checkpoint: its first pickle is not the legacy magic number")
        }
        guard case .integer(let protocolVersion) = try reader.load(), protocolVersion == 1001 else {
            throw InvalidInput("'\(path)': unknown legacy checkpoint protocol; accepted: 1001")
        }
        let systemInfo = try reader.load()
        if case .dict(let box) = systemInfo,
           let endian = box.content.first(where: { $0.0.text == "little_endian" })?.1, case .bool(false) = endian {
            throw InvalidInput("'\(path)' was saved on a big-endian machine; accepted: little-endian checkpoints")
        }
        let references = try flatten(try reader.load(), path: path)
        guard let keys = try reader.load().items?.compactMap(\.text) else {
            throw InvalidInput("'\(path)': the storage key list is missing")
        }
        let sizes = Dictionary(references.map { ($0.1.storage.key, $0.1.storage.elementType.size) }, uniquingKeysWith: { first, _ in first })
        let bytes = [UInt8](data)
        var position = reader.position
        var storages: [String: [UInt8]] = [:]
        for key in keys {
            guard position + 8 <= bytes.count else {
                throw InvalidInput("'\(path)' ends before storage '\(key)' (truncated)")
            }
            let count = bytes[position..<(position + 8)].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            position += 8
            guard let size = sizes[key] else { throw InvalidInput("'\(path)': storage '\(key)' is not used by any tensor") }
            let (length, overflow) = Int(clamping: count).multipliedReportingOverflow(by: size)
            guard !overflow, count <= UInt64(Int.max), length <= bytes.count - position else {
                throw InvalidInput("'\(path)': storage '\(key)' declares \(count) elements, more than the file holds (truncated or damaged)")
            }
            storages[key] = Array(bytes[position..<(position + length)])
            position += length
        }
        return (references, storages)
    }

    private static func readZip(_ data: Data, path: String) throws
        -> ([(String, RestrictedUnpickler.TensorReference)], [String: [UInt8]]) {
        try ZipBounds.check(data, path: path)
        // Read from a file, not from memory: ZIPFoundation's in-memory reader traps when a damaged
        // archive makes it seek past the end, and leaks when it refuses one (scripts/fuzz found
        // both); its file reader gets short reads and closes what it opened.
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("specbench-checkpoint-\(UUID().uuidString).zip")
        do {
            try data.write(to: file)
        } catch {
            throw InvalidInput("'\(path)': cannot copy the archive to \(file.path) to read it: \(error.localizedDescription)")
        }
        defer { try? FileManager.default.removeItem(at: file) }
        let archive: Archive
        do {
            archive = try Archive(url: file, accessMode: .read)
        } catch {
            throw InvalidInput("'\(path)' is a damaged zip archive: \(error)")
        }
        /// The member's bytes, decompressed up to `limit` and refused past it while inflating
        /// (a 509 KiB member that inflates to 512 MiB was read whole before being refused).
        func contents(_ entry: Entry, limit: Int) throws -> Data {
            struct TooLarge: Error {}
            var result = Data()
            do {
                _ = try archive.extract(entry, skipCRC32: false) { chunk in
                    guard result.count + chunk.count <= limit else { throw TooLarge() }
                    result.append(chunk)
                }
            } catch is TooLarge {
                throw InvalidInput("'\(path)': '\(entry.path)' inflates past \(limit) bytes, more than a state dict needs; refused (a damaged or hostile archive)")
            } catch {
                throw InvalidInput("'\(path)': cannot extract '\(entry.path)': \(error)")
            }
            return result
        }
        guard let pickle = archive.first(where: { $0.path.hasSuffix("/data.pkl") || $0.path == "data.pkl" }) else {
            throw InvalidInput("'\(path)' is a zip archive without data.pkl: not a PyTorch checkpoint")
        }
        let prefix = String(pickle.path.dropLast("data.pkl".count))
        var reader = RestrictedUnpickler(data: try contents(pickle, limit: Self.maximumPickleBytes), path: path)
        let references = try flatten(try reader.load(), path: path)
        var storages: [String: [UInt8]] = [:]
        for key in Set(references.map(\.1.storage.key)) {
            guard let entry = archive[prefix + "data/" + key] else {
                throw InvalidInput("'\(path)' has no storage file '\(prefix)data/\(key)'")
            }
            // A storage holds at most what its tensors' storage reference declares.
            let declared = references.filter { $0.1.storage.key == key }.map { reference in
                let (bytes, overflow) = reference.1.storage.count.multipliedReportingOverflow(by: reference.1.storage.elementType.size)
                return overflow ? Int.max : bytes
            }.max() ?? 0
            storages[key] = [UInt8](try contents(entry, limit: declared))
        }
        return (references, storages)
    }

    /// The state dict's tensors with dotted names; non-tensor entries (numbers, strings) skipped.
    private static func flatten(_ value: RestrictedUnpickler.Value, path: String, prefix: String = "")
        throws -> [(String, RestrictedUnpickler.TensorReference)] {
        guard case .dict(let box) = value else {
            throw InvalidInput("'\(path)' holds a pickle that is not a state dict (a dict of tensors)")
        }
        var result: [(String, RestrictedUnpickler.TensorReference)] = []
        for (key, item) in box.content {
            guard let name = key.text else { continue }
            switch item {
            case .tensor(let reference): result.append((prefix + name, reference))
            case .dict: result += try flatten(item, path: path, prefix: prefix + name + ".")
            default: continue
            }
        }
        return result
    }

    private static func values(of reference: RestrictedUnpickler.TensorReference, storage: [UInt8], name: String, path: String) throws -> [Double] {
        let type = reference.storage.elementType
        let available = storage.count / type.size
        var count = 1
        for dimension in reference.shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard !overflow else { throw InvalidInput("'\(path)': tensor '\(name)' of shape \(reference.shape) is too large") }
            count = product
        }
        guard count > 0 else { return [] }
        let last = reference.offset + zip(reference.shape, reference.strides).reduce(0) { $0 + ($1.0 - 1) * $1.1 }
        guard last < available else {
            throw InvalidInput("'\(path)': tensor '\(name)' of shape \(reference.shape) reaches element \(last) of a storage of \(available) (damaged)")
        }
        var values = [Double](repeating: 0, count: count)
        var index = [Int](repeating: 0, count: reference.shape.count)
        for flat in 0..<count {
            let element = reference.offset + zip(index, reference.strides).reduce(0) { $0 + $1.0 * $1.1 }
            values[flat] = type.value(storage, at: element)
            var axis = index.count - 1
            while axis >= 0 {
                index[axis] += 1
                if index[axis] < reference.shape[axis] { break }
                index[axis] = 0
                axis -= 1
            }
        }
        return values
    }
}
