import SpecBenchCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import SpecBenchResults

/// Appends result lines to a file and forces them to disk after each point. The file is opened
/// with `O_APPEND`, and each point's lines go out in one write, so every write lands at the end
/// of the file whatever else has the file open (the run lock keeps other sweeps out anyway).
final class ResultAppender {
    private let handle: FileHandle
    private let path: String

    /// Opens `url` for appending (creating it).
    init(url: URL) throws {
        let descriptor = open(url.path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw InvalidInput("cannot open \(url.path) for appending: \(String(cString: strerror(errno)))")
        }
        handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        path = url.path
    }

    /// Appends the records of one point in one write, then flushes to disk.
    func append(_ records: [SweepRecord]) throws {
        var data = Data()
        let encoder = JSONCoding.lineEncoder
        for record in records {
            data.append(try encoder.encode(record))
            data.append(UInt8(ascii: "\n"))
        }
        do {
            try handle.write(contentsOf: data)
            try handle.synchronize()
        } catch {
            throw WriteFailure(path: path, error: error)
        }
    }
}
