import SpecBenchCore

/// The distinct machines a run's points were measured on, by `MachineIdentity` (CPU model,
/// OpenBLAS core, nominal peak): one for a run made in one place; one or more for a merged run,
/// whose shards may have run on different nodes (`RunManifest.machines`). Reports and the gate
/// use it to compare times only within one machine, to take each point's fraction of peak from
/// its own machine's rates, and to say when a run is mixed. O(groups² + points) to build.
public struct RunMachines: Sendable {
    /// One distinct machine.
    public struct Machine: Sendable {
        /// `M1`, `M2`, … in order of first appearance.
        public var label: String
        /// What makes its times comparable.
        public var identity: MachineIdentity
        /// The first group's context (the host may differ among its groups).
        public var context: MachineContext
        /// The first group's calibration (peak rates).
        public var calibration: CalibrationRecord?
        /// Where its points came from.
        public var origins: [String]
        /// Its points' ids (empty: every point of the run).
        public var points: Set<String>

        /// `AMD EPYC 9B14 (OpenBLAS Cooperlake)`.
        public var description: String {
            context.cpuModel + (identity.blasCore.map { " (OpenBLAS \($0))" } ?? "")
        }
    }

    /// The machines, in order of first appearance.
    public let machines: [Machine]
    private let machineOfPoint: [String: Int]

    /// The machines of `manifest`: its `machines` grouped by identity, or its one context.
    public init(_ manifest: RunManifest) {
        let groups = manifest.machines ?? []
        var machines: [Machine] = []
        var ofPoint: [String: Int] = [:]
        for group in groups {
            let identity = group.identity
            let index: Int
            if let existing = machines.firstIndex(where: { $0.identity.difference(from: identity) == nil }) {
                index = existing
                machines[index].origins.append(group.origin)
                machines[index].points.formUnion(group.points)
            } else {
                index = machines.count
                machines.append(Machine(label: "M\(index + 1)", identity: identity, context: group.context, calibration: group.calibration,
                                        origins: [group.origin], points: Set(group.points)))
            }
            for point in group.points { ofPoint[point] = index }
        }
        if machines.isEmpty {
            machines = [Machine(label: "M1", identity: MachineIdentity(manifest), context: manifest.context, calibration: manifest.calibration,
                                origins: ["the run"], points: [])]
        }
        self.machines = machines
        machineOfPoint = ofPoint
    }

    /// Whether the run's points were measured on more than one machine.
    public var isMixed: Bool { machines.count > 1 }

    /// The machine point `id` was measured on (the first when the run does not say).
    public func machine(ofPoint id: String) -> Machine { machines[machineOfPoint[id] ?? 0] }

    /// The peak rates of the machine point `id` was measured on.
    public func peaks(ofPoint id: String) -> MachinePeaks? { machine(ofPoint: id).calibration?.peaks }

    /// For a mixed run, one sentence naming its machines and their points and saying that times
    /// compare only within one; nil when every point was measured on one machine.
    public var note: String? {
        guard isMixed else { return nil }
        let list = machines.map { "\($0.label) = \($0.description), \($0.points.count) point\($0.points.count == 1 ? "" : "s") (\($0.origins.joined(separator: ", ")))" }
        return "Measured on \(machines.count) machines (CPU model or OpenBLAS core differ), so times compare only within one: " + list.joined(separator: "; ") + "."
    }
}
