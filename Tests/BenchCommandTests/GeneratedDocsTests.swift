import Foundation
import Testing
import SpecBenchHarness
import SpecBenchReport
import SpecBenchResults

/// The docs that show numbers or statuses are generated or checked: the result blocks of
/// README.md and docs/results.md are what `bench summary` renders from the committed runs, and the
/// exit-code table of docs/usage.md names exactly the statuses `ExitStatus` has.
@Suite("Generated docs")
struct GeneratedDocsTests {
    static let root = CommittedRunsTests.root

    static func load(_ name: String) throws -> RunSummary.Run {
        try RunDirectory(path: root.appendingPathComponent("results/\(name)").path).loadFinished(expecting: SweepExpectation.standard)
    }

    @Test("README.md and docs/results.md hold the result blocks rendered from the committed runs", arguments: ["README.md", "docs/results.md"])
    func resultBlocksCurrent(_ file: String) throws {
        let text = try String(contentsOf: Self.root.appendingPathComponent(file), encoding: .utf8)
        let updated = try #require(try RunSummary.updating(text, load: Self.load), "\(file) holds no generated block")
        #expect(updated == text, "\(file) is not what `bench summary --update \(file)` renders from results/")
    }

    @Test("docs/results.md summarises every committed run")
    func everyRunSummarised() throws {
        let text = try String(contentsOf: Self.root.appendingPathComponent("docs/results.md"), encoding: .utf8)
        for run in CommittedRunsTests.runs {
            #expect(text.contains("<!-- bench summary: run \(run.lastPathComponent) -->"), "\(run.lastPathComponent)")
        }
    }

    @Test("docs/usage.md's exit-code table names every ExitStatus and no other status")
    func exitCodeTable() throws {
        let text = try String(contentsOf: Self.root.appendingPathComponent("docs/usage.md"), encoding: .utf8)
        let section = try #require(text.components(separatedBy: "## Exit codes").dropFirst().first?.components(separatedBy: "\n## ").first)
        let rows = section.split(separator: "\n").filter { $0.hasPrefix("| `bench") }
        #expect(rows.count >= 9)
        var codes: Set<Int32> = [0, 64]  // the table's column headers
        for row in rows {
            for match in row.matches(of: #/(\d+)(?: \/ (\d+))?: /#) {
                codes.insert(Int32(match.1)!)
                if let second = match.2 { codes.insert(Int32(second)!) }
            }
        }
        let signals: Set<Int32> = [ExitStatus.interrupted(bySignal: SIGINT), ExitStatus.interrupted(bySignal: SIGTERM)]
        #expect(codes == Set(ExitStatus.allCases.map(\.rawValue)).union(signals), "table: \(codes.sorted())")
    }
}
