import Foundation
import Testing
import SpecBenchHarness
import SpecBenchResults
import TestSupport

/// Finished runs that were damaged or are not what they claim: report, merge and compare say so
/// in one line with the documented exit code instead of dropping data silently (issue "the
/// harness under abuse", items 5 and 6). report and merge: 64; compare: 1 (tool failure).
@Suite("Damaged or odd finished runs", .serialized)
struct DamagedRunTests {
    /// One finished small run, copied for each damage.
    static let pristine = SweepFixture.finishedSmallRun(name: "pristine")

    static func copy(_ damage: (URL) throws -> Void) throws -> URL {
        let target = BenchProcess.temporaryDirectory().appendingPathComponent("run")
        try FileManager.default.copyItem(at: pristine, to: target)
        try damage(target)
        return target
    }

    static func results(_ run: URL) -> URL { run.appendingPathComponent("results.jsonl") }

    /// Runs report, merge and compare (against the pristine run) on `run`; returns their outputs.
    static func commands(on run: URL) throws -> [(String, BenchProcess.Output)] {
        let merged = BenchProcess.temporaryDirectory().appendingPathComponent("merged")
        return [
            ("report", try BenchProcess.run(["report", run.path, "--plots", BenchProcess.temporaryDirectory().path])),
            ("merge", try BenchProcess.run(["merge", run.path, "--output", merged.path])),
            ("compare", try BenchProcess.run(["compare", pristine.path, run.path])),
        ]
    }

    static func expectRefused(_ run: URL, mentioning word: String) throws {
        for (command, output) in try commands(on: run) {
            let expected: Int32 = command == "compare" ? 1 : 64
            #expect(output.status == expected, "\(command): exit \(output.status), \(output.stderr.prefix(300))")
            #expect(output.stderr.contains(word), "\(command) should mention '\(word)': \(output.stderr.prefix(300))")
        }
    }

    @Test("the pristine run passes all three")
    func pristineRun() throws {
        let statuses = try Self.commands(on: Self.pristine).map { ($0.0, $0.1.status) }
        #expect(statuses.allSatisfy { $0.1 == 0 }, "\(statuses)")
    }

    @Test("a truncated last line of a finished run is damage, not dropped")
    func truncatedLastLine() throws {
        let run = try Self.copy { run in
            var data = try Data(contentsOf: Self.results(run))
            data.removeLast(40)
            try data.write(to: Self.results(run))
        }
        try Self.expectRefused(run, mentioning: "line \(16 * methodCount)")
    }

    @Test("a missing results file is a tool failure, not a regression")
    func missingResults() throws {
        let run = try Self.copy { try FileManager.default.removeItem(at: Self.results($0)) }
        try Self.expectRefused(run, mentioning: "no results.jsonl")
    }

    @Test("a duplicated record is noticed")
    func duplicatedRecord() throws {
        let run = try Self.copy { run in
            let text = try String(contentsOf: Self.results(run), encoding: .utf8)
            let first = text.split(separator: "\n")[0]
            try (text + first + "\n").write(to: Self.results(run), atomically: true, encoding: .utf8)
        }
        try Self.expectRefused(run, mentioning: "lines 1 and \(16 * methodCount + 1)")
    }

    @Test("records missing for points the manifest says were completed are noticed")
    func missingPoint() throws {
        let run = try Self.copy { run in
            let lines = try String(contentsOf: Self.results(run), encoding: .utf8).split(separator: "\n")
            try (lines.dropLast(methodCount).joined(separator: "\n") + "\n").write(to: Self.results(run), atomically: true, encoding: .utf8)
        }
        try Self.expectRefused(run, mentioning: "15 points but the manifest says 16")
    }

    /// Rewrites the results file, line by line, through `edit` (which gets the line number).
    static func editLines(_ edit: @escaping (Int, String) -> String?) throws -> URL {
        try copy { run in
            let lines = try String(contentsOf: Self.results(run), encoding: .utf8).split(separator: "\n").map(String.init)
            let edited = lines.enumerated().compactMap { edit($0.offset + 1, $0.element) }
            try (edited.joined(separator: "\n") + "\n").write(to: Self.results(run), atomically: true, encoding: .utf8)
        }
    }

    @Test("case 12: one (point, method) record missing from a finished run is named")
    func missingPair() throws {
        let line3 = try String(contentsOf: Self.results(Self.pristine), encoding: .utf8).split(separator: "\n")[2]
        let record = try #require(try JSONSerialization.jsonObject(with: Data(line3.utf8)) as? [String: Any])
        let (point, method) = (record["point"] as? String ?? "?", record["method"] as? String ?? "?")
        let run = try Self.editLines { number, line in number == 3 ? nil : line }
        try Self.expectRefused(run, mentioning: "point \(point) has no record of \(method)")
    }

    @Test("case 13: records relabelled as a method the run's config does not run are named")
    func unknownMethod() throws {
        let run = try Self.editLines { number, line in
            guard number == 2, let method = (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["method"] as? String
            else { return line }
            return line.replacingOccurrences(of: "\"method\":\"\(method)\"", with: "\"method\":\"nosuch\"")
        }
        try Self.expectRefused(run, mentioning: "line 2 is a record of 'nosuch', which the run's config does not run")
    }

    @Test("case 14: a record of a point the config cannot produce is named")
    func unknownPoint() throws {
        let run = try Self.editLines { number, line in
            guard let record = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let point = record["point"] as? String else { return line }
            // Every record of the first point moved to a point id no grid produces.
            let first = "\(point)" == Self.firstPoint ? "999x999x3x3-n7-zero-s1-p1-normal" : point
            return line.replacingOccurrences(of: "\"point\":\"\(point)\"", with: "\"point\":\"\(first)\"")
        }
        try Self.expectRefused(run, mentioning: "point 999x999x3x3-n7-zero-s1-p1-normal, which the run's config does not produce")
    }

    @Test("a middle line that lost keys but is still valid JSON is damage, named by line and keys")
    func lostKeys() throws {
        let run = try Self.editLines { number, line in
            number == 5 ? line.replacingOccurrences(of: #","residual":"#, with: #","residualLost":"#) : line
        }
        try Self.expectRefused(run, mentioning: "line 5 lacks the keys residual")
    }

    /// The point of the pristine run's first record.
    static let firstPoint: String = {
        let line = try! String(contentsOf: results(pristine), encoding: .utf8).split(separator: "\n")[0]
        return (try! JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any])["point"] as! String
    }()

    @Test("an unknown schemaVersion is refused", arguments: [0, 2, 99])
    func schemaVersion(_ version: Int) throws {
        let run = try Self.copy { run in
            let url = run.appendingPathComponent("manifest.json")
            let text = try String(contentsOf: url, encoding: .utf8)
                .replacingOccurrences(of: "\"schemaVersion\" : 1", with: "\"schemaVersion\" : \(version)")
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        try Self.expectRefused(run, mentioning: "schemaVersion \(version)")
    }

    @Test("report on an empty shard says there is nothing to report")
    func emptyShard() throws {
        let (config, folder) = SweepFixture.config(SweepFixture.smallGrid)
        let output = folder.appendingPathComponent("empty")
        let sweep = try SweepFixture.sweep(config, output: output, extra: ["--shard", "20/20"])
        #expect(sweep.status == 0, "\(sweep.stderr)")
        let report = try BenchProcess.run(["report", output.path, "--plots", folder.path])
        #expect(report.status == 64 && report.stderr.contains("nothing to report"), "exit \(report.status): \(report.stderr.prefix(300))")
    }
}
