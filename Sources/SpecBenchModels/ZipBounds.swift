import Foundation
import SpecBenchCore

/// Checks, before ZIPFoundation reads an archive held in memory, that every structure the
/// archive points to lies inside it: the end-of-central-directory record (and its ZIP64
/// counterpart), the central directory, and each entry's local header and data. ZIPFoundation's
/// in-memory reader traps on a seek past the end ("Range requires lowerBound <= upperBound",
/// found by `scripts/fuzz checkpoint`), so a damaged or crafted `.pt` must be refused first.
/// O(central directory).
enum ZipBounds {
    /// Throws `InvalidInput` naming `path` and the first structure that points outside `data`.
    static func check(_ data: Data, path: String) throws {
        let bytes = [UInt8](data)
        func fail(_ what: String) -> InvalidInput {
            InvalidInput("'\(path)' is a damaged zip archive: \(what) lies outside the file's \(bytes.count) bytes")
        }
        func integer(_ at: Int, _ width: Int) -> Int? {
            guard at >= 0, width <= 8, at <= bytes.count - width else { return nil }
            var value: UInt64 = 0
            for index in 0..<width { value |= UInt64(bytes[at + index]) << (8 * UInt64(index)) }
            return value > UInt64(Int.max) ? nil : Int(value)
        }
        // The end-of-central-directory record: 22 bytes plus a comment of up to 65,535.
        let lowest = max(0, bytes.count - 22 - 65_535)
        guard bytes.count >= 22,
              let end = stride(from: bytes.count - 22, through: lowest, by: -1).first(where: { integer($0, 4) == 0x0605_4B50 })
        else { throw InvalidInput("'\(path)' is a damaged zip archive: no end-of-central-directory record") }
        // Its comment must end with the file: ZIPFoundation refuses it otherwise, leaking the
        // archive it had opened (found by the fuzzer's leak check).
        guard var entries = integer(end + 10, 2), var directorySize = integer(end + 12, 4), var directory = integer(end + 16, 4),
              let comment = integer(end + 20, 2), comment <= bytes.count - end - 22
        else { throw fail("the end-of-central-directory record") }
        // ZIPFoundation takes a ZIP64 end record found right before the locator whatever the
        // 32-bit fields say (a value past Int64.max then trapped in its seek): check that one too.
        if integer(end - 20, 4) == 0x0706_4B50, integer(end - 20 - 56, 4) == 0x0606_4B50 {
            let record = end - 20 - 56
            guard let count = integer(record + 32, 8), let size = integer(record + 40, 8), let offset = integer(record + 48, 8)
            else { throw fail("the ZIP64 end-of-central-directory record") }
            (entries, directorySize, directory) = (count, size, offset)
        } else if entries == 0xFFFF || directorySize == 0xFFFF_FFFF || directory == 0xFFFF_FFFF {
            // ZIP64: the locator 20 bytes before, pointing at the ZIP64 end record.
            guard integer(end - 20, 4) == 0x0706_4B50, let record = integer(end - 20 + 8, 8),
                  integer(record, 4) == 0x0606_4B50,
                  let count = integer(record + 32, 8), let size = integer(record + 40, 8), let offset = integer(record + 48, 8)
            else { throw fail("the ZIP64 end-of-central-directory record") }
            (entries, directorySize, directory) = (count, size, offset)
        }
        guard directory <= bytes.count, directorySize <= bytes.count - directory else { throw fail("the central directory") }
        var position = directory
        for index in 0..<entries {
            guard integer(position, 4) == 0x0201_4B50, let nameLength = integer(position + 28, 2),
                  let extraLength = integer(position + 30, 2), let commentLength = integer(position + 32, 2),
                  var compressed = integer(position + 20, 4), var uncompressed = integer(position + 24, 4),
                  var local = integer(position + 42, 4), position + 46 + nameLength + extraLength + commentLength <= bytes.count
            else { throw fail("central directory entry \(index + 1)") }
            // ZIP64 extra field (id 1): the 8-byte values of the fields saturated above, in order.
            var extra = position + 46 + nameLength
            let extraEnd = extra + extraLength
            while extra + 4 <= extraEnd, let id = integer(extra, 2), let length = integer(extra + 2, 2) {
                if id == 1 {
                    var field = extra + 4
                    for value in [0, 1, 2] {
                        let saturated = [uncompressed, compressed, local][value] == 0xFFFF_FFFF
                        guard saturated else { continue }
                        guard field + 8 <= extra + 4 + length, let wide = integer(field, 8) else { throw fail("central directory entry \(index + 1)") }
                        if value == 0 { uncompressed = wide } else if value == 1 { compressed = wide } else { local = wide }
                        field += 8
                    }
                }
                extra += 4 + length
            }
            guard let localName = integer(local + 26, 2), let localExtra = integer(local + 28, 2), integer(local, 4) == 0x0403_4B50,
                  let method = integer(position + 10, 2), let flags = integer(position + 8, 2)
            else { throw fail("the local header of entry \(index + 1)") }
            // ZIPFoundation reads a stored entry's uncompressed size, a compressed one's
            // compressed size, then the data descriptor when flag bit 3 says there is one.
            let start = local + 30 + localName + localExtra
            let dataSize = method == 0 ? max(compressed, uncompressed) : compressed
            let isZIP64 = [compressed, uncompressed, local].contains { $0 >= 0xFFFF_FFFF }
            let descriptor = flags & 8 == 0 ? 0 : (isZIP64 ? 24 : 16)
            guard start <= bytes.count, dataSize <= bytes.count - start, descriptor <= bytes.count - start - dataSize
            else { throw fail("the data of entry \(index + 1)") }
            position += 46 + nameLength + extraLength + commentLength
        }
    }
}
