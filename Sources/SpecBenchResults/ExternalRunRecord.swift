import SpecBenchCore

/// What a record of an external method (docs/external-methods.md) adds to the usual fields:
/// whose each time and memory figure is, the whole process's own figures, and the fields of the
/// command's result.json the harness does not read, kept as they were.
///
/// In such a record `seconds`, `timing` and `setupSeconds` are the command's own in-process
/// measurements (per repetition, and its set-up such as imports), so that interpreter start-up
/// is not charged to the algorithm; `processSeconds` is the harness's wall time of the whole
/// process, start-up included; `peakBytes` is the command's own figure when result.json gives
/// one, else the harness's peak resident memory of the command's process tree.
public struct ExternalRunRecord: Codable, Sendable, Equatable {
    /// The argv as the entry gives it (the point's directory is appended when it runs).
    public var command: [String]
    /// Who measured each figure: `seconds`, `setupSeconds` and `peakBytes` → `command` or
    /// `harness`; `processSeconds` and `processPeakBytes` → `harness`.
    public var measuredBy: [String: String]
    /// Wall-clock seconds of the whole process as the harness saw them (start-up, imports,
    /// warm-up and every repetition included).
    public var processSeconds: Double?
    /// Peak resident memory of the command's process tree, in bytes (the harness's reading).
    public var processPeakBytes: Int?
    /// The exit status, when the command exited.
    public var exitStatus: Int?
    /// The `schemaVersion` of its result.json.
    public var resultSchemaVersion: Int?
    /// The fields of result.json the harness does not read, as they were.
    public var extraFields: [String: JSONValue]?

    /// A record; see the properties.
    public init(command: [String], measuredBy: [String: String] = [:], processSeconds: Double? = nil, processPeakBytes: Int? = nil) {
        self.command = command
        self.measuredBy = measuredBy
        self.processSeconds = processSeconds
        self.processPeakBytes = processPeakBytes
    }
}
