import ProcessControl
import SpecBenchResults
import Foundation
import NumericCore
import SpecBenchCore
import SpecBenchMethods

/// Refuses, before anything is allocated, work whose memory need exceeds a limit: the point's
/// memory cap in a sweep (`limits.memoryPerPoint`), this machine's memory (or `--memory-limit`)
/// for `bench estimate`.
///
/// A point needs its kernel and the operator's tap table once (`ConvolutionGeometry.operatorMemoryNeed`),
/// plus the exact reference's need when the kernel is normalised first (its peak stays in the
/// process's high-water mark), plus the need of the method that runs
/// (`SpectralNormMethod.memoryNeed`). Needs are computed from shapes alone with saturating
/// arithmetic, so any shape that passed validation can be checked. O(methods).
public struct MemoryCheck: Sendable {
    /// The limit in bytes.
    public let limit: Int
    /// How the limit is named in messages, e.g. "the point's memory limit".
    public let limitName: String

    /// A check against `limit` bytes, called `limitName` in messages.
    public init(limit: Int, limitName: String) {
        self.limit = limit
        self.limitName = limitName
    }

    /// The check `bench estimate` makes: against `limit`, or the memory this machine has
    /// available now (`MemAvailable`; its physical memory where that cannot be read): on a shared
    /// machine, what others use is not ours to take.
    public static func machine(limit: Int? = nil) -> MemoryCheck {
        if let limit { return MemoryCheck(limit: limit, limitName: "the memory limit") }
        let physical = Int(clamping: ProcessInfo.processInfo.physicalMemory)
        guard let available = MemoryProbe.availableBytes() else {
            return MemoryCheck(limit: physical, limitName: "this machine's memory")
        }
        return MemoryCheck(limit: min(physical, available), limitName: "this machine's available memory")
    }

    /// What every method of a point shares: the kernel, the operator's tap table and, when the
    /// kernel is normalised first, the reference's need on this operator.
    public static func sharedNeed(
        on geometry: ConvolutionGeometry, normalizing: Bool, reference: ExactReference.Settings = .init()
    ) -> MemoryNeed {
        let normalization = normalizing ? ExactReference(settings: reference).memoryNeed(on: geometry, count: 1) : .zero
        return geometry.operatorMemoryNeed + normalization
    }

    /// Throws `InvalidInput` naming the need when the shared part alone exceeds the limit.
    public func checkShared(_ shared: MemoryNeed, on geometry: ConvolutionGeometry) throws {
        guard shared.bytes > limit else { return }
        throw InvalidInput(sharedMessage(shared, on: geometry) + "; accepted: operators whose kernel and tables fit in \(ResultFormatting.bytes(limit))")
    }

    /// What `method` needs on `geometry` with `shared`, in words ("needs at least … above …"),
    /// when that exceeds the limit; nil when it fits or does not apply (a method that does not
    /// apply is reported as such, never as too large).
    public func shortfall(
        of method: any SpectralNormMethod, on geometry: ConvolutionGeometry, context: MethodContext, shared: MemoryNeed
    ) -> String? {
        guard method.layerApplicability(to: geometry).guarantee != nil else { return nil }
        let own = method.effectiveMemoryNeed(on: geometry, context: context)
        let total = shared + own
        guard total.bytes > limit else { return nil }
        if shared.bytes > limit { return sharedMessage(shared, on: geometry) }
        return "needs at least \(Self.text(total)) on \(OperatorDescription(geometry).label) (\(Self.text(own)) of its own, \(Self.text(shared)) for the kernel and the operator's tables), above \(limitName) of \(ResultFormatting.bytes(limit))"
    }

    /// The result recording `run` as not run because of its `shortfall` (status
    /// `out-of-memory`, the need in its message), or nil when it fits or does not apply.
    public func refusal(
        of run: MethodRun, on geometry: ConvolutionGeometry, context: MethodContext, shared: MemoryNeed
    ) -> MethodResult? {
        let method = run.method
        guard let shortfall = shortfall(of: method, on: geometry, context: context, shared: shared) else { return nil }
        var result = run.result(status: .outOfMemory, message: shortfall + "; not run")
        result.memoryNeedBytes = method.effectiveMemoryNeed(on: geometry, context: context).bytes
        return result
    }

    private func sharedMessage(_ shared: MemoryNeed, on geometry: ConvolutionGeometry) -> String {
        "the kernel \(geometry.shape.description) and the operator's tables on \(geometry.inputLabel) alone need \(Self.text(shared)), above \(limitName) of \(ResultFormatting.bytes(limit))"
    }

    /// A need in words: its size, or "more than 8 EiB" when it saturated.
    static func text(_ need: MemoryNeed) -> String {
        need.bytes == .max ? "more than 8 EiB" : ResultFormatting.bytes(need.bytes)
    }
}
