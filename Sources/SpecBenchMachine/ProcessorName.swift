import Foundation

/// The CPU's model name as `/proc/cpuinfo` gives it (`AMD EPYC`, `Intel(R) Xeon(R) Processor`):
/// what manifests record and the gate compares. "unknown" where there is no such file.
public enum ProcessorName {
    /// This machine's.
    public static var current: String {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return "unknown" }
        for line in text.split(separator: "\n") where line.hasPrefix("model name") {
            return line.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown"
        }
        return "unknown"
    }
}
