import SpecBenchCore

/// `manifest.json` of a sweep run: what was run, on what, when, and how far it got.
public struct RunManifest: Codable, Sendable {
    /// Version of the manifest and result formats.
    public static let currentSchemaVersion = 1

    /// Format version.
    public var schemaVersion: Int
    /// The run's name (the config's).
    public var name: String
    /// The config file the run came from.
    public var configPath: String
    /// SHA-256 of the config file's text.
    public var configHash: String
    /// The parsed configuration.
    public var configuration: SweepConfiguration
    /// The shard this run covers, if sharded.
    public var shard: ShardSelection?
    /// A sharded run's split: every point's id and the 1-based shard it belongs to, the same in
    /// every shard of the split (`bench merge` checks the shards against it); nil unsharded and
    /// in runs recorded before the key.
    public var shardPlan: [String: Int]? = nil
    /// Run folders merged into this one (`bench merge`).
    public var mergedFrom: [String]?
    /// Points in this run.
    public var pointsTotal: Int
    /// Points finished so far.
    public var pointsCompleted: Int
    /// When the run started (ISO 8601).
    public var startedAt: String
    /// When it finished, once it has.
    public var finishedAt: String?
    /// Wall-clock seconds from start to finish (summed over resumed sessions).
    public var durationSeconds: Double?
    /// Machine, build and library context (of the first shard or session when `machines` says
    /// there were several).
    public var context: MachineContext
    /// Where each point was measured, when not all on `context`: every shard's context in a
    /// merged run, and every session's in a run resumed on another machine (`RunMachines` groups
    /// them by identity); nil: every point on `context`.
    public var machines: [MachineGroup]? = nil
    /// Machine-speed calibration measured at the start and end of the run.
    public var calibration: CalibrationRecord?

    /// A value with every field given (those with a default may be left out).
    public init(schemaVersion: Int, name: String, configPath: String, configHash: String, configuration: SweepConfiguration, shard: ShardSelection? = nil, mergedFrom: [String]? = nil, pointsTotal: Int, pointsCompleted: Int, startedAt: String, finishedAt: String? = nil, durationSeconds: Double? = nil, context: MachineContext, calibration: CalibrationRecord? = nil) {
        self.schemaVersion = schemaVersion
        self.name = name
        self.configPath = configPath
        self.configHash = configHash
        self.configuration = configuration
        self.shard = shard
        self.mergedFrom = mergedFrom
        self.pointsTotal = pointsTotal
        self.pointsCompleted = pointsCompleted
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.durationSeconds = durationSeconds
        self.context = context
        self.calibration = calibration
    }
}
