import SpecBenchCore

/// Some of a run's points and the machine they were measured on: one per shard of a merged run
/// (`bench merge` keeps every shard's context), and one per session of a run resumed on another
/// machine than the one it started on (`bench sweep --resume`, a requeued Slurm task).
public struct MachineGroup: Codable, Sendable, Equatable {
    /// Where the points came from: `shard 2/4 (RUN/shard-2-of-4)`, `session 2`.
    public var origin: String
    /// The machine, build and library context.
    public var context: MachineContext
    /// The machine-speed calibration and peak rates measured there, when measured.
    public var calibration: CalibrationRecord?
    /// The ids of the points measured there.
    public var points: [String]

    /// A group; see the properties.
    public init(origin: String, context: MachineContext, calibration: CalibrationRecord?, points: [String]) {
        self.origin = origin
        self.context = context
        self.calibration = calibration
        self.points = points
    }

    /// The identity that decides whether two groups' times are comparable.
    public var identity: MachineIdentity { MachineIdentity(context: context, calibration: calibration) }
}
