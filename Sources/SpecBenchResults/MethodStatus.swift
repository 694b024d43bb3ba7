import SpecBenchCore

/// How a method's run on one operator ended.
public enum MethodStatus: String, Codable, Sendable, CaseIterable {
    /// It produced a value.
    case ok
    /// It refuses this operator (docs/methods.md §3); the message says why.
    case notApplicable = "not-applicable"
    /// It failed; the message says how.
    case error
    /// It exceeded the point's time limit (sweeps only).
    case timeout
    /// It exceeded the point's memory limit (sweeps only).
    case outOfMemory = "out-of-memory"
}
