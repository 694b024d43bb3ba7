import SpecBenchCore
import SpecBenchResults

/// The readable report of a comparison, as text (terminal) or Markdown (CI summaries, PRs).
public enum ComparisonFormatter {
    /// Output formats.
    public enum Format: String, Sendable, CaseIterable { case text, markdown }

    /// The report in `format`.
    public static func render(_ report: RunComparison.Report, format: Format, baseline: String, new: String) -> String {
        let regressions = report.findings.filter { $0.kind == .regression }
        let improvements = report.findings.filter { $0.kind == .improvement }
        let verdict = report.hasRegression ? "REGRESSION" : (report.hasImprovement ? "improvements only" : "no regression")
        let spread: String = {
            let sorted = report.timeRatios.sorted()
            guard !sorted.isEmpty else { return "no times judged" }
            return String(format: "time ratios (new/baseline, normalised): min %.2f, median %.2f, max %.2f over %d measurements",
                          sorted.first!, TimingStatistics.quantile(sorted, 0.5), sorted.last!, sorted.count)
        }()
        switch format {
        case .text:
            var lines = ["bench compare: \(verdict)", "baseline: \(baseline)", "new:      \(new)",
                         "compared \(report.compared) (point, method) pairs; \(spread)"]
            lines += report.notes.map { "note: \($0)" }
            for (title, findings) in [("Regressions", regressions), ("Improvements", improvements)] where !findings.isEmpty {
                lines.append("")
                lines.append("\(title) (\(findings.count)):")
                var table = TextTable(headers: ["metric", "method", "point", "detail"])
                for finding in findings { table.append([finding.metric, finding.method, finding.point, finding.detail]) }
                lines.append(table.render())
            }
            return lines.joined(separator: "\n") + "\n"
        case .markdown:
            var out = "## bench compare: \(verdict)\n\n- baseline: `\(baseline)`\n- new: `\(new)`\n"
            out += "- compared \(report.compared) (point, method) pairs; \(spread)\n"
            for note in report.notes { out += "- note: \(note)\n" }
            for (title, findings) in [("Regressions", regressions), ("Improvements", improvements)] where !findings.isEmpty {
                out += "\n### \(title) (\(findings.count))\n\n| metric | method | point | detail |\n|---|---|---|---|\n"
                for finding in findings {
                    out += "| \(finding.metric) | \(finding.method) | `\(finding.point)` | \(finding.detail) |\n"
                }
            }
            return out
        }
    }
}
