import SpecBenchCore
import SpecBenchResults

/// The records a finished run of a configuration holds, from the catalog and the point
/// expansion: what `RunDirectory.loadFinished` checks a run against.
public enum SweepExpectation {
    /// Run keys from `SweepConfiguration.runKeys`; point ids from `SweepPoint.expand` where the
    /// config names no model file. A recorded config that expands to no point at all describes
    /// its points under a key this version no longer reads (runs made before `models:`, whose
    /// `model:` key is ignored): its points cannot be known.
    public static let standard = RunExpectation(
        runKeys: { $0.runKeys },
        pointIds: { configuration in
            guard (configuration.models ?? []).isEmpty, let points = try? SweepPoint.expand(configuration),
                  !points.isEmpty else { return nil }
            return Set(points.map(\.id))
        })
}
