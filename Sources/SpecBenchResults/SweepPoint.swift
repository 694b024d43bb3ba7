import Foundation
import SpecBenchCore

/// One point of a sweep: one kernel on one operator. Its `id` is stable across runs of the same
/// config (resume and merge match points by it).
public struct SweepPoint: Codable, Sendable, Hashable {
    /// Stable identity, e.g. `16x16x3x3-n32-zero-s1-p1-normal`.
    public var id: String
    /// Position in the config's expansion order (shards and merges keep this order).
    public var index: Int
    /// A layer name, for points given as `layers`.
    public var label: String?
    /// The operator.
    public var `operator`: OperatorDescription
    /// The kernel.
    public var kernel: KernelSource

    /// A point; see the properties.
    public init(id: String, index: Int, label: String?, `operator`: OperatorDescription, kernel: KernelSource) {
        self.id = id
        self.index = index
        self.label = label
        self.`operator` = `operator`
        self.kernel = kernel
    }
}
