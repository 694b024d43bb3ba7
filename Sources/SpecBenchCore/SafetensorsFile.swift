import Foundation

/// A reader for the safetensors format (Hugging Face): an 8-byte little-endian header length
/// `N`, `N` bytes of JSON mapping each tensor name to `{dtype, shape, data_offsets: [begin,
/// end]}` (offsets relative to the byte after the header; an optional `__metadata__` entry of
/// strings), then the tensors' bytes, little-endian, C order. Loading never runs code: the
/// header is plain JSON.
///
/// Every check is made before a tensor's bytes are read, and a bad file is an `InvalidInput`
/// naming what is wrong: a header longer than 100 MB (the format's own limit) or than the file,
/// a header that is not a JSON object, an unknown dtype, a shape that overflows, offsets out of
/// the data section, and byte lengths that do not match the shape. Floating-point tensors
/// (`F64`, `F32`, `F16`, `BF16`) are converted to float64. A first step toward reading trained
/// networks (issue 13). Reading is O(file size).
public struct SafetensorsFile: Sendable {
    /// One tensor's entry in the header.
    public struct Entry: Sendable, Equatable {
        /// The tensor's name, e.g. `layer1.0.conv1.weight`.
        public let name: String
        /// The stored element type (`F32`, `BF16`, …).
        public let dtype: String
        /// The shape, outermost first.
        public let shape: [Int]
        /// Byte range in the data section.
        public let range: Range<Int>
    }

    /// The largest header the format allows.
    public static let maximumHeaderBytes = 100_000_000

    /// Element sizes of the dtypes the reader knows, in bytes.
    static let elementSizes: [String: Int] = [
        "F64": 8, "F32": 4, "F16": 2, "BF16": 2,
        "I64": 8, "I32": 4, "I16": 2, "I8": 1, "U8": 1, "BOOL": 1,
    ]

    /// The file's entries, sorted by name.
    public let entries: [Entry]
    /// The `__metadata__` strings, if any.
    public let metadata: [String: String]
    private let data: Data
    private let path: String

    /// Reads and checks the header of the file at `path` (the tensors' bytes stay in memory,
    /// unread until asked for).
    public init(path: String) throws {
        guard let contents = FileManager.default.contents(atPath: path) else {
            throw InvalidInput("cannot read '\(path)'; accepted: a readable safetensors file")
        }
        try self.init(data: contents, path: path)
    }

    /// Reads and checks the header of safetensors bytes; `path` names them in messages.
    public init(data contents: Data, path: String = "the file") throws {
        self.path = path
        guard contents.count >= 8 else {
            throw InvalidInput("'\(path)' is \(contents.count) bytes, too short for a safetensors header (8-byte length first)")
        }
        let headerLength = contents.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard headerLength <= UInt64(Self.maximumHeaderBytes) else {
            throw InvalidInput("'\(path)' declares a \(headerLength)-byte header, above the format's limit of \(Self.maximumHeaderBytes) bytes; it is not a safetensors file or it is damaged")
        }
        guard Int(headerLength) <= contents.count - 8 else {
            throw InvalidInput("'\(path)' declares a \(headerLength)-byte header but holds only \(contents.count - 8) bytes after the length: the file is truncated or not safetensors")
        }
        let header = contents.subdata(in: (contents.startIndex + 8)..<(contents.startIndex + 8 + Int(headerLength)))
        guard let object = try? JSONSerialization.jsonObject(with: header), let table = object as? [String: Any] else {
            throw InvalidInput("'\(path)': the safetensors header is not a JSON object")
        }
        let dataSection = contents.subdata(in: (contents.startIndex + 8 + Int(headerLength))..<contents.endIndex)
        var entries: [Entry] = []
        var metadata: [String: String] = [:]
        for (name, value) in table {
            if name == "__metadata__" {
                guard let strings = value as? [String: String] else {
                    throw InvalidInput("'\(path)': __metadata__ must map strings to strings")
                }
                metadata = strings
                continue
            }
            entries.append(try Self.entry(name, value, dataBytes: dataSection.count, path: path))
        }
        // The format forbids overlapping tensors (each byte of the data section belongs to at
        // most one): a file whose tensors share bytes is damaged or crafted.
        let byOffset = entries.filter { !$0.range.isEmpty }.sorted { $0.range.lowerBound < $1.range.lowerBound }
        for (first, second) in zip(byOffset, byOffset.dropFirst()) where second.range.lowerBound < first.range.upperBound {
            throw InvalidInput("'\(path)': tensors '\(first.name)' (bytes \(first.range.lowerBound)..<\(first.range.upperBound)) and '\(second.name)' (bytes \(second.range.lowerBound)..<\(second.range.upperBound)) overlap; the format gives each tensor its own bytes")
        }
        self.entries = entries.sorted { $0.name < $1.name }
        self.metadata = metadata
        self.data = dataSection
    }

    private static func entry(_ name: String, _ value: Any, dataBytes: Int, path: String) throws -> Entry {
        guard let fields = value as? [String: Any], let dtype = fields["dtype"] as? String,
              let shapeNumbers = fields["shape"] as? [NSNumber], let offsets = fields["data_offsets"] as? [NSNumber],
              offsets.count == 2 else {
            throw InvalidInput("'\(path)': tensor '\(name)' needs dtype, shape and data_offsets [begin, end]")
        }
        guard let size = elementSizes[dtype] else {
            throw InvalidInput("'\(path)': tensor '\(name)' has unknown dtype '\(dtype)'; accepted: \(elementSizes.keys.sorted().joined(separator: ", "))")
        }
        let shape = shapeNumbers.map(\.intValue)
        guard shape.allSatisfy({ $0 >= 0 }) else {
            throw InvalidInput("'\(path)': tensor '\(name)' has a negative dimension in shape \(shape)")
        }
        var bytes = size
        for dimension in shape {
            let (product, overflow) = bytes.multipliedReportingOverflow(by: dimension)
            guard !overflow else { throw InvalidInput("'\(path)': tensor '\(name)' of shape \(shape) overflows") }
            bytes = product
        }
        let begin = offsets[0].intValue, end = offsets[1].intValue
        guard 0 <= begin, begin <= end, end <= dataBytes else {
            throw InvalidInput("'\(path)': tensor '\(name)' has data_offsets [\(begin), \(end)] outside the \(dataBytes)-byte data section")
        }
        guard end - begin == bytes else {
            throw InvalidInput("'\(path)': tensor '\(name)' of shape \(shape) and dtype \(dtype) needs \(bytes) bytes but its offsets give \(end - begin)")
        }
        return Entry(name: name, dtype: dtype, shape: shape, range: begin..<end)
    }

    /// The entry named `name`, or an `InvalidInput` listing the names there are.
    public func entry(named name: String) throws -> Entry {
        guard let entry = entries.first(where: { $0.name == name }) else {
            throw InvalidInput("'\(path)' has no tensor '\(name)'; it has: \(entries.prefix(20).map(\.name).joined(separator: ", "))\(entries.count > 20 ? ", …" : "")")
        }
        return entry
    }

    /// The values of a floating-point tensor as float64, in C order. O(count).
    public func values(of entry: Entry) throws -> [Double] {
        let bytes = data.subdata(in: (data.startIndex + entry.range.lowerBound)..<(data.startIndex + entry.range.upperBound))
        func words<Word: FixedWidthInteger>(_: Word.Type) -> [Word] {
            let size = MemoryLayout<Word>.size
            return (0..<(bytes.count / size)).map { index in
                var word: Word = 0
                for byte in 0..<size { word |= Word(bytes[bytes.startIndex + index * size + byte]) << (8 * byte) }
                return word
            }
        }
        switch entry.dtype {
        case "F64": return words(UInt64.self).map { Double(bitPattern: $0) }
        case "F32": return words(UInt32.self).map { Double(Float(bitPattern: $0)) }
        case "F16": return words(UInt16.self).map { Double(Float16Bits.float(from: $0)) }
        case "BF16": return words(UInt16.self).map { Double(Float(bitPattern: UInt32($0) << 16)) }
        default:
            throw InvalidInput("'\(path)': tensor '\(entry.name)' is \(entry.dtype), not a floating-point tensor; accepted: F64, F32, F16, BF16")
        }
    }
}

/// IEEE half-precision bits to `Float`, without relying on the platform's `Float16`.
enum Float16Bits {
    /// The value of the binary16 pattern `bits` (subnormals, infinities and NaN included).
    static func float(from bits: UInt16) -> Float {
        let sign: Float = bits & 0x8000 == 0 ? 1 : -1
        let exponent = Int((bits >> 10) & 0x1F)
        let fraction = Float(bits & 0x3FF)
        switch exponent {
        case 0: return sign * fraction * 0x1p-24
        case 31: return fraction == 0 ? sign * .infinity : .nan
        default: return sign * (1 + fraction / 1024) * Float(sign: .plus, exponent: exponent - 15, significand: 1)
        }
    }
}
