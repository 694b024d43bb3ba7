import SpecBenchCore
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

    /// Reads a manifest; a `schemaVersion` this build does not read is refused.
    public static func readManifest(_ url: URL) throws -> RunManifest {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw InvalidInput("no manifest at \(url.path): not a finished sweep run")
        }
        let manifest: RunManifest
        do {
            manifest = try JSONCoding.decoder.decode(RunManifest.self, from: data)
        } catch {
            throw InvalidInput("manifest \(url.path) cannot be read: \(error)")
        }
        guard manifest.schemaVersion == RunManifest.currentSchemaVersion else {
            throw InvalidInput("manifest \(url.path) has schemaVersion \(manifest.schemaVersion); this bench reads schemaVersion \(RunManifest.currentSchemaVersion)")
        }
        return manifest
    }

    /// The manifest and records of a finished run, checked for silent loss: the results file
    /// must exist, every line must be a record (a truncated last line is damage here, unlike in
    /// `in-progress/`), no (point, method) may appear twice, and the records must cover exactly
    /// the points the manifest says were completed. Anything else is an `InvalidInput`.
    /// `expecting` says which records the run's configuration produces (`RunExpectation`).
    public func loadFinished(expecting expectation: RunExpectation) throws -> (manifest: RunManifest, records: [SweepRecord]) {
        guard FileManager.default.fileExists(atPath: manifestURL.path) else {
            let hint = hasRunInProgress ? " (it holds an unfinished run: finish it with bench sweep --resume)" : ""
            throw InvalidInput("'\(url.path)' is not a finished sweep run: no manifest.json\(hint)")
        }
        let manifest = try Self.readManifest(manifestURL)
        guard FileManager.default.fileExists(atPath: resultsURL.path) else {
            throw InvalidInput("'\(url.path)' has a manifest but no results.jsonl: the run is incomplete")
        }
        let records = try Self.readRecords(resultsURL, finished: true)
        var seen: [String: Int] = [:]
        for (index, record) in records.enumerated() {
            let key = "\(record.point) \(record.result.runKey)"
            if let first = seen[key] {
                throw InvalidInput("\(resultsURL.path): lines \(first + 1) and \(index + 1) are both \(record.result.runKey) at point \(record.point); a finished run has one record per point and method")
            }
            seen[key] = index
        }
        let points = Set(records.map(\.point)).count
        guard points == manifest.pointsCompleted else {
            throw InvalidInput("\(resultsURL.path) holds records of \(points) points but the manifest says \(manifest.pointsCompleted) were completed: the run is damaged")
        }
        try Self.checkCoverage(records, of: manifest, expecting: expectation, in: resultsURL.path)
        return (manifest, records)
    }

    /// Every record is of a (method, precision) the manifest's config runs and of a point it
    /// can produce, and every point has one record of each: a record lost, relabelled or moved
    /// is damage, named by line and key. Points are checked where the config can be expanded
    /// without the model files it may name. O(records + points).
    static func checkCoverage(_ records: [SweepRecord], of manifest: RunManifest, expecting expectation: RunExpectation,
                              in path: String) throws {
        let expected = expectation.runKeys(manifest.configuration)
        let known = Set(expected)
        var byPoint: [String: Set<String>] = [:]
        for (index, record) in records.enumerated() {
            let key = record.result.runKey
            guard known.contains(key) else {
                throw InvalidInput("\(path): line \(index + 1) is a record of '\(key)', which the run's config does not run (it runs \(expected.joined(separator: ", "))): the run is damaged")
            }
            byPoint[record.point, default: []].insert(key)
        }
        for (point, keys) in byPoint.sorted(by: { $0.key < $1.key }) where keys.count < known.count {
            let missing = expected.filter { !keys.contains($0) }
            throw InvalidInput("\(path): point \(point) has no record of \(missing.joined(separator: ", ")): the run is damaged")
        }
        if let ids = expectation.pointIds(manifest.configuration) {
            if let (index, record) = records.enumerated().first(where: { !ids.contains($0.element.point) }) {
                throw InvalidInput("\(path): line \(index + 1) is a record of point \(record.point), which the run's config does not produce: the run is damaged")
            }
        }
    }

    /// Removes the tables a report wrote for an earlier run in this folder (`tables.md`,
    /// `tables.tex`): called when new results replace the old, so that a run finished with
    /// `--no-report`, or merged, never sits beside another run's tables.
    public func removeStaleTables() {
        for name in ["tables.md", "tables.tex"] { try? FileManager.default.removeItem(at: url.appendingPathComponent(name)) }
    }

    /// Writes a manifest atomically.
    public static func writeManifest(_ manifest: RunManifest, to url: URL) throws {
        try JSONCoding.prettyEncoder.encode(manifest).write(to: url, options: .atomic)
    }

    /// Reads result lines. In a run in progress (`finished: false`) a malformed last line (a
    /// write cut by a kill) is dropped and a missing file is no records; in a finished run
    /// every line must be a record and the file must exist.
    public static func readRecords(_ url: URL, finished: Bool = true) throws -> [SweepRecord] {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            if finished { throw InvalidInput("no results file at \(url.path)") }
            return []
        }
        let lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true)
        var records: [SweepRecord] = []
        let decoder = JSONCoding.decoder
        let encoder = JSONCoding.lineEncoder
        func keys(_ json: Data) -> Set<String> {
            Set(((try? JSONSerialization.jsonObject(with: json)) as? [String: Any])?.keys.map { $0 } ?? [])
        }
        for (index, line) in lines.enumerated() {
            do {
                let record = try decoder.decode(SweepRecord.self, from: Data(line))
                // A finished run's line carries every key its record writes (null included): a
                // line that lost keys (hand-edited, or damaged into other valid JSON) is damage.
                if finished, let rewritten = try? encoder.encode(record) {
                    let missing = keys(rewritten).subtracting(keys(Data(line))).subtracting(MethodResult.keysOlderRecordsOmit)
                    if !missing.isEmpty {
                        throw InvalidInput("\(url.path): line \(index + 1) lacks the keys \(missing.sorted().joined(separator: ", ")) of a result record: the run is damaged")
                    }
                }
                records.append(record)
            } catch let damage as InvalidInput {
                throw damage
            } catch {
                if !finished && index == lines.count - 1 && data.last != UInt8(ascii: "\n") { break }
                throw InvalidInput("\(url.path): line \(index + 1) is not a result record: \(error)")
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

