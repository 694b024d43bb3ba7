import SpecBenchResults
import NumericCore
import SpecBenchCore
import SpecBenchMethods

/// A sweep config resolved once (`SweepConfigurationParser.parse`): the configuration as the
/// manifest records it, and every method run of every point, typed, with its measurement
/// protocol. The runner, the supervisor and the point processes read the runs; nothing parses
/// a parameter again. O(methods × precisions) to build.
public struct SweepPlan: Sendable {
    /// The configuration as written (recorded in the manifest).
    public var configuration: SweepConfiguration
    /// Every method in every precision it runs in, in report order: the reference first, once
    /// (float64), then each method of the config once per precision of the run it supports.
    public var runs: [PlannedRun]

    /// The settings of the run's exact reference (its `reference:` key; the defaults without one).
    public var referenceSettings: ExactReference.Settings {
        runs.lazy.compactMap { ($0.run.method as? ReferenceMethod)?.settings }.first ?? .init()
    }

    /// `9 methods`, or `9 methods in 2 precisions (17 runs per point)`: what each point runs.
    public var methodsDescription: String {
        let methods = configuration.methods.count
        let externals = configuration.external?.count ?? 0
        let clips = runs.filter { $0.clip != nil }.count
        let count = "\(methods) method\(methods == 1 ? "" : "s")" + (externals > 0 ? " and \(externals) external" : "")
            + (clips > 0 ? " and \(clips) clip\(clips == 1 ? "" : "s")" : "")
        let precisions = configuration.precisions.count
        guard precisions > 1 else { return count }
        return count + " in \(precisions) precisions (\(runs.count) runs per point)"
    }
}

/// One method run of a sweep: the typed method in its precision (`MethodRun`) with the warm-up
/// runs and timed repetitions each point gives it; or one clip (`clip`, docs/clipping.md), whose
/// `run` is then the exact reference that judges it (its memory need and applicability are the
/// point's reference's).
public struct PlannedRun: Sendable, Codable, Equatable {
    /// The method, its effective parameters and precision (a clip: the reference).
    public var run: MethodRun
    /// Untimed warm-up runs.
    public var warmup: Int
    /// Timed repetitions.
    public var repetitions: Int
    /// The clip this run is, nil for an estimate.
    public var clip: ClipJob?

    /// A planned run; see the properties.
    public init(run: MethodRun, warmup: Int, repetitions: Int, clip: ClipJob? = nil) {
        self.run = run
        self.warmup = warmup
        self.repetitions = repetitions
        self.clip = clip
    }

    /// Its results' `runKey` (`powerqr`, `powerqr@float32`, `clip:fastclip@1`).
    public var key: String { clip?.key ?? MethodResult.runKey(method: run.id, precision: run.precision) }

    /// Whether this is an estimate by a method of the catalog (not external, not a clip).
    public var isInternalEstimate: Bool { clip == nil && !run.isExternal }

    /// The run at a point whose top-k is `topK` (`MethodRun.fitted(toTopK:)`).
    public func fitted(toTopK topK: Int) -> PlannedRun {
        PlannedRun(run: run.fitted(toTopK: topK), warmup: warmup, repetitions: repetitions, clip: clip)
    }

    /// The result skeleton every outcome of this run starts from, success or failure alike:
    /// the method's id, its effective parameters, its precision (a clip's: `ClipJob.result`).
    public func result(status: MethodStatus, message: String? = nil) -> MethodResult {
        clip?.result(status: status, message: message) ?? run.result(status: status, message: message)
    }
}

extension SweepConfiguration {
    /// The run keys a run of this configuration records at every point, in report order: each
    /// method id in each precision of the run its type supports (the reference: float64). Reads
    /// the catalog's precisions only, no parameter. O(methods × precisions).
    public var runKeys: [String] {
        methods.flatMap { specification in
            let supported = (try? MethodCatalog.type(for: specification.id))?.precisions ?? Precision.allCases
            let run = precisions.filter { supported.contains($0) }
            return (run.isEmpty ? [.float64] : run).map { MethodResult.runKey(method: specification.id, precision: $0) }
        } + (external ?? []).map { MethodResult.runKey(method: $0.id, precision: $0.precision) } + (clip?.runKeys ?? [])
    }
}
