import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The files of one sweep run: `results/<name>/` holds the finished run (`manifest.json`,
/// `results.jsonl`, `results.csv`); `results/<name>/in-progress/` holds a run while it goes, so
/// that an interrupted run never replaces a finished one and `--resume` can continue it.
///
/// Result lines are appended and flushed to disk as each point ends: a kill loses at most the
/// point in flight. On resume, a truncated last line and points with missing methods are dropped
/// (they run again).
public struct RunDirectory: Sendable {
    /// The run's folder.
    public let url: URL

    /// A run folder at `path`.
    public init(path: String) { url = URL(fileURLWithPath: path) }

    /// Folder of the run in progress.
    public var inProgress: URL { url.appendingPathComponent("in-progress") }
    /// Manifest of the finished run.
    public var manifestURL: URL { url.appendingPathComponent("manifest.json") }
    /// Results of the finished run.
    public var resultsURL: URL { url.appendingPathComponent("results.jsonl") }
    /// CSV export of the finished run.
    public var csvURL: URL { url.appendingPathComponent("results.csv") }

    /// Whether an interrupted run is waiting.
    public var hasRunInProgress: Bool {
        FileManager.default.fileExists(atPath: inProgress.appendingPathComponent("manifest.json").path)
    }

    /// Reads a manifest.
    public static func readManifest(_ url: URL) throws -> RunManifest {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw InvalidInputError("no manifest at \(url.path): not a finished sweep run")
        }
        do {
            return try JSONDecoder().decode(RunManifest.self, from: data)
        } catch {
            throw InvalidInputError("manifest \(url.path) cannot be read: \(error)")
        }
    }

    /// Writes a manifest atomically.
    public static func writeManifest(_ manifest: RunManifest, to url: URL) throws {
        try JSONCoding.prettyEncoder.encode(manifest).write(to: url, options: .atomic)
    }

    /// Reads result lines; a malformed last line (a write cut by a kill) is ignored, a malformed
    /// line elsewhere is an error.
    public static func readRecords(_ url: URL) throws -> [SweepRecord] {
        guard let data = FileManager.default.contents(atPath: url.path) else { return [] }
        let lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true)
        var records: [SweepRecord] = []
        let decoder = JSONDecoder()
        for (index, line) in lines.enumerated() {
            do {
                records.append(try decoder.decode(SweepRecord.self, from: Data(line)))
            } catch {
                if index == lines.count - 1 && data.last != UInt8(ascii: "\n") { break }
                throw InvalidInputError("\(url.path): line \(index + 1) is not a result record: \(error)")
            }
        }
        return records
    }

    /// Writes all records, one per line, atomically.
    public static func writeRecords(_ records: [SweepRecord], to url: URL) throws {
        var data = Data()
        let encoder = JSONCoding.lineEncoder
        for record in records {
            data.append(try encoder.encode(record))
            data.append(UInt8(ascii: "\n"))
        }
        try data.write(to: url, options: .atomic)
    }
}

/// Appends result lines to a file and forces them to disk after each point. The file is opened
/// with `O_APPEND`, and each point's lines go out in one write, so every write lands at the end
/// of the file whatever else has the file open (the run lock keeps other sweeps out anyway).
final class ResultAppender {
    private let handle: FileHandle

    /// Opens `url` for appending (creating it).
    init(url: URL) throws {
        let descriptor = open(url.path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw InvalidInputError("cannot open \(url.path) for appending: \(String(cString: strerror(errno)))")
        }
        handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    }

    /// Appends the records of one point in one write, then flushes to disk.
    func append(_ records: [SweepRecord]) throws {
        var data = Data()
        let encoder = JSONCoding.lineEncoder
        for record in records {
            data.append(try encoder.encode(record))
            data.append(UInt8(ascii: "\n"))
        }
        try handle.write(contentsOf: data)
        try handle.synchronize()
    }
}
