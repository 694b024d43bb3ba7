import Foundation
import Testing
import SpecBenchHarness
import SpecBenchReport
import SpecBenchResults

/// Every run committed under results/ is read by this code as it was written: every line a
/// record with every value it holds, the tables and the CSV rendered from the records equal to
/// the committed files. A change of the record schema, the reader or the renderers that would
/// alter a published number fails here.
@Suite("Committed runs")
struct CommittedRunsTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The committed run folders (each with a manifest).
    static var runs: [URL] {
        let results = root.appendingPathComponent("results")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: results.path)) ?? []
        return names.sorted().map { results.appendingPathComponent($0) }
            .filter { FileManager.default.fileExists(atPath: $0.appendingPathComponent("manifest.json").path) }
    }

    @Test("there are committed runs to check")
    func runsExist() {
        #expect(Self.runs.count >= 5, "\(Self.runs.map(\.lastPathComponent))")
    }

    @Test("each committed run reads, and every value of every line survives the reading", arguments: runs)
    func recordsRead(_ run: URL) throws {
        let (_, records) = try RunDirectory(path: run.path).loadFinished(expecting: SweepExpectation.standard)
        let text = try String(contentsOf: run.appendingPathComponent("results.jsonl"), encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(records.count == lines.count)
        let encoder = JSONCoding.lineEncoder
        for (index, (line, record)) in zip(lines, records).enumerated() {
            let original = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let rewritten = try #require(try JSONSerialization.jsonObject(with: try encoder.encode(record)) as? [String: Any])
            // Compared as canonical JSON text: Foundation's bridging compares a nested `true`
            // (the operator's `transposed`) unequal to itself.
            func canonical(_ value: Any?) -> String? {
                guard let value else { return nil }
                return (try? JSONSerialization.data(withJSONObject: ["v": value], options: .sortedKeys)).map { String(decoding: $0, as: UTF8.self) }
            }
            for (key, value) in original {
                let again = rewritten[key]
                #expect(canonical(again) == canonical(value),
                        "\(run.lastPathComponent) line \(index + 1): \(key) was \(value), reads as \(again ?? "nothing")")
            }
        }
    }

    @Test("each committed run's tables and CSV are what its records render to", arguments: runs)
    func renderedFiles(_ run: URL) throws {
        let (manifest, records) = try RunDirectory(path: run.path).loadFinished(expecting: SweepExpectation.standard)
        let texts = ReportGenerator.tableTexts(manifest: manifest, records: records)
        for (name, rendered) in [("tables.md", texts.markdown), ("tables.tex", texts.latex),
                                 ("results.csv", CSVExport.text(records, peaks: manifest.calibration?.peaks))] {
            let url = run.appendingPathComponent(name)
            guard let committed = try? String(contentsOf: url, encoding: .utf8) else { continue }
            #expect(committed == rendered, "\(run.lastPathComponent)/\(name) is not what its records render to (bench report regenerates it)")
        }
    }
}
