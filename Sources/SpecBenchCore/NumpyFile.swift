import Foundation

/// Reading and writing kernels as NumPy `.npy` files (format versions 1, 2 and 3).
///
/// Accepted on read: little-endian float64 (`<f8`) or float32 (`<f4`, widened to float64),
/// C order, rank 4 `(cout, cin, kh, kw)` or rank 3 `(cout, cin, k)` (a 1-D kernel, read as
/// `kh = 1`), finite entries. Anything else is an `InvalidInput` that
/// names the file, the bad value and what is accepted. Written: version 1, `<f8`, C order.
/// Both directions are O(entries).
public enum NumpyFile {
    private static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)

    /// Reads a kernel from `path`.
    public static func readKernel(path: String) throws -> ConvolutionKernel {
        guard FileManager.default.fileExists(atPath: path) else {
            throw InvalidInput("kernel file '\(path)' does not exist; expected a .npy file of shape (cout, cin, kh, kw)")
        }
        try RegularFile.check(path, what: "kernel file", accepted: "a .npy file of shape (cout, cin, kh, kw)")
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InvalidInput("kernel file '\(path)' cannot be read (permissions?)")
        }
        return try decodeKernel(Array(data), name: path)
    }

    /// The shape of the kernel in the `.npy` file at `path`, reading only its header (and the
    /// file's size, to refuse truncated data): a sweep or `bench estimate` checks the memory a
    /// kernel will need before reading it. Same checks and messages as `readKernel`. O(header).
    public static func readShape(path: String) throws -> KernelShape {
        try readDeclaredShape(path: path).shape
    }

    /// The kernel shape and its dimensions (1 for a rank-3 file, else 2) from the header of the
    /// `.npy` file at `path`. O(header).
    public static func readDeclaredShape(path: String) throws -> (shape: KernelShape, dimensions: Int) {
        guard FileManager.default.fileExists(atPath: path) else {
            throw InvalidInput("kernel file '\(path)' does not exist; expected a .npy file of shape (cout, cin, kh, kw)")
        }
        try RegularFile.check(path, what: "kernel file", accepted: "a .npy file of shape (cout, cin, kh, kw)")
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw InvalidInput("kernel file '\(path)' cannot be read (permissions?)")
        }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()).map { Int($0) } ?? 0
        try? handle.seek(toOffset: 0)
        var prefix = Array((try? handle.read(upToCount: 12)) ?? Data())
        if prefix.count >= 10, Array(prefix[0..<6]) == magic {
            let length = prefix[6] == 1
                ? Int(prefix[8]) | Int(prefix[9]) << 8
                : prefix.count >= 12 ? Int(prefix[8]) | Int(prefix[9]) << 8 | Int(prefix[10]) << 16 | Int(prefix[11]) << 24 : 0
            prefix += Array((try? handle.read(upToCount: min(length, max(0, size - prefix.count)))) ?? Data())
        }
        let parsed = try header(prefix, fileSize: size, name: path)
        return (parsed.shape, parsed.dimensions)
    }

    /// Decodes a kernel from the bytes of a `.npy` file; `name` is used in error messages.
    public static func decodeKernel(_ bytes: [UInt8], name: String) throws -> ConvolutionKernel {
        func fail(_ what: String) -> InvalidInput {
            InvalidInput("'\(name)' is not a usable .npy kernel: \(what)")
        }
        let (shape, elementSize, dataStart, _) = try header(bytes, fileSize: bytes.count, name: name)
        var values = [Double](repeating: 0, count: shape.count)
        for index in 0..<shape.count {
            let base = dataStart + index * elementSize
            if elementSize == 8 {
                var bits: UInt64 = 0
                for byte in 0..<8 { bits |= UInt64(bytes[base + byte]) << (8 * UInt64(byte)) }
                values[index] = Double(bitPattern: bits)
            } else {
                var bits: UInt32 = 0
                for byte in 0..<4 { bits |= UInt32(bytes[base + byte]) << (8 * UInt32(byte)) }
                values[index] = Double(Float(bitPattern: bits))
            }
        }
        do {
            return try ConvolutionKernel(shape: shape, values: values)
        } catch let error as InvalidInput {
            throw fail(error.message)
        }
    }

    /// Parses and checks a `.npy` header from the file's first bytes (`bytes`, at least the whole
    /// header), given the whole file's size: the kernel's shape, bytes per entry and data offset.
    private static func header(_ bytes: [UInt8], fileSize: Int, name: String) throws -> (shape: KernelShape, elementSize: Int, dataStart: Int, dimensions: Int) {
        func fail(_ what: String) -> InvalidInput {
            InvalidInput("'\(name)' is not a usable .npy kernel: \(what)")
        }
        guard bytes.count >= 10, Array(bytes[0..<6]) == magic else {
            throw fail("it does not start with the NumPy magic string \\x93NUMPY")
        }
        let major = bytes[6]
        let headerLength: Int
        let headerStart: Int
        switch major {
        case 1:
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            headerStart = 10
        case 2, 3:
            guard bytes.count >= 12 else { throw fail("the file is truncated inside its header") }
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
            headerStart = 12
        default:
            throw fail("format version \(major).\(bytes[7]) is not supported; accepted: 1.0, 2.0, 3.0")
        }
        guard headerStart + headerLength <= bytes.count else {
            throw fail("the file is truncated inside its header")
        }
        guard let header = String(bytes: bytes[headerStart..<(headerStart + headerLength)], encoding: .utf8) else {
            throw fail("the header is not text")
        }
        let descr = try headerValue(header, key: "descr", name: name)
        let fortran = try headerValue(header, key: "fortran_order", name: name)
        let shapeText = try headerValue(header, key: "shape", name: name)

        let dtype = descr.trimmingCharacters(in: CharacterSet(charactersIn: "'\""))
        let elementSize: Int
        switch dtype {
        case "<f8": elementSize = 8
        case "<f4": elementSize = 4
        default:
            throw fail("dtype '\(dtype)' is not supported; accepted: '<f8' (little-endian float64) or '<f4' (little-endian float32)")
        }
        switch fortran {
        case "False": break
        case "True": throw fail("it is stored in Fortran (column-major) order; save it in C order, e.g. numpy.ascontiguousarray(k)")
        default: throw fail("fortran_order is '\(fortran)', expected True or False")
        }
        let inner = shapeText.trimmingCharacters(in: CharacterSet(charactersIn: "() "))
        let dimensions = inner.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let sides = dimensions.compactMap { Int($0) }
        guard sides.count == dimensions.count else {
            throw fail("shape '\(shapeText)' is not a tuple of integers")
        }
        guard sides.count == 4 || sides.count == 3 else {
            throw fail("it has rank \(sides.count) (shape \(shapeText)); a kernel must have rank 4, (cout, cin, kh, kw), or rank 3 for a 1-D convolution, (cout, cin, k)")
        }
        // A rank-3 kernel is 1-D: the 2-D case kh = 1 (docs/methods.md §5).
        let shape = sides.count == 3
            ? KernelShape(outputChannels: sides[0], inputChannels: sides[1], height: 1, width: sides[2])
            : KernelShape(outputChannels: sides[0], inputChannels: sides[1], height: sides[2], width: sides[3])
        do { _ = try shape.validated() } catch let error as InvalidInput { throw fail(error.message) }
        let dataStart = headerStart + headerLength
        let needed = shape.count * elementSize
        guard fileSize - dataStart >= needed else {
            throw fail("the data is truncated: shape \(shapeText) needs \(needed) bytes, the file holds \(fileSize - dataStart)")
        }
        return (shape, elementSize, dataStart, sides.count == 3 ? 1 : 2)
    }

    /// The bytes of a version-1 `.npy` file holding `kernel` as `<f8`, C order.
    public static func encode(_ kernel: ConvolutionKernel) -> [UInt8] {
        let s = kernel.shape
        var header = "{'descr': '<f8', 'fortran_order': False, 'shape': (\(s.outputChannels), \(s.inputChannels), \(s.height), \(s.width)), }"
        // Pad with spaces so that magic + version + length + header is a multiple of 64, ending in '\n'.
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var bytes = magic + [1, 0]
        let length = header.utf8.count
        bytes += [UInt8(length & 0xFF), UInt8(length >> 8)]
        bytes += Array(header.utf8)
        bytes.reserveCapacity(bytes.count + 8 * kernel.values.count)
        for value in kernel.values {
            let bits = value.bitPattern
            for byte in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: bits >> (8 * UInt64(byte)))) }
        }
        return bytes
    }

    /// Writes `kernel` to `path` as a `.npy` file (atomically).
    public static func write(_ kernel: ConvolutionKernel, to path: String) throws {
        try Data(encode(kernel)).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// The raw text of `key`'s value in the header dictionary.
    private static func headerValue(_ header: String, key: String, name: String) throws -> String {
        guard let keyRange = header.range(of: "'\(key)'") ?? header.range(of: "\"\(key)\"") else {
            throw InvalidInput("'\(name)' is not a usable .npy kernel: the header has no '\(key)' entry")
        }
        var rest = header[keyRange.upperBound...].drop(while: { $0 == " " })
        guard rest.first == ":" else {
            throw InvalidInput("'\(name)' is not a usable .npy kernel: malformed header near '\(key)'")
        }
        rest = rest.dropFirst().drop(while: { $0 == " " })
        if rest.first == "(" {
            guard let close = rest.firstIndex(of: ")") else {
                throw InvalidInput("'\(name)' is not a usable .npy kernel: unterminated shape tuple")
            }
            return String(rest[...close])
        }
        let end = rest.firstIndex(where: { $0 == "," || $0 == "}" }) ?? rest.endIndex
        return String(rest[..<end]).trimmingCharacters(in: .whitespaces)
    }
}
