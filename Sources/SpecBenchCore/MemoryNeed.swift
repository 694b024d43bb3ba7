import NumericCore

/// A number of bytes computed from shapes before anything is allocated: what a method, a kernel or
/// an operator's tables will occupy. Arithmetic saturates at `Int.max` ("more than any machine
/// has") instead of trapping, so a need can be computed for any shape that passed validation and
/// compared with a memory limit. Every operation is O(number of factors).
public struct MemoryNeed: Sendable, Hashable, Comparable {
    /// Bytes, at most `Int.max` (saturated).
    public private(set) var bytes: Int

    /// A need of `bytes` (negative counts as zero).
    public init(bytes: Int) { self.bytes = max(0, bytes) }

    /// Nothing.
    public static let zero = MemoryNeed(bytes: 0)

    /// The bytes of `∏ factors` elements of `elementSize` bytes each, saturating.
    public static func elements(_ factors: Int..., size elementSize: Int) -> MemoryNeed {
        MemoryNeed(bytes: product([elementSize] + factors))
    }

    /// The bytes of `∏ factors` `Double`s.
    public static func doubles(_ factors: Int...) -> MemoryNeed {
        MemoryNeed(bytes: product([MemoryLayout<Double>.size] + factors))
    }

    /// The bytes of `∏ factors` complex doubles (16 bytes each).
    public static func complexDoubles(_ factors: Int...) -> MemoryNeed {
        MemoryNeed(bytes: product([2 * MemoryLayout<Double>.size] + factors))
    }

    /// The bytes of `∏ factors` real numbers in `precision` (8 or 4 bytes each).
    public static func reals(_ precision: Precision, _ factors: Int...) -> MemoryNeed {
        MemoryNeed(bytes: product([precision.bytesPerReal] + factors))
    }

    /// The bytes of `∏ factors` complex numbers in `precision` (16 or 8 bytes each).
    public static func complexes(_ precision: Precision, _ factors: Int...) -> MemoryNeed {
        MemoryNeed(bytes: product([2 * precision.bytesPerReal] + factors))
    }

    /// The sum, saturating.
    public static func + (left: MemoryNeed, right: MemoryNeed) -> MemoryNeed {
        let (sum, overflow) = left.bytes.addingReportingOverflow(right.bytes)
        return MemoryNeed(bytes: overflow ? .max : sum)
    }

    /// `count` times the need, saturating.
    public static func * (count: Int, need: MemoryNeed) -> MemoryNeed {
        MemoryNeed(bytes: product([max(0, count), need.bytes]))
    }

    public static func < (left: MemoryNeed, right: MemoryNeed) -> Bool { left.bytes < right.bytes }

    /// `∏ factors`, saturating at `Int.max`; a non-positive factor gives 0.
    public static func product(_ factors: [Int]) -> Int {
        var result = 1
        for factor in factors {
            guard factor > 0 else { return 0 }
            let (next, overflow) = result.multipliedReportingOverflow(by: factor)
            if overflow { return factors.contains { $0 <= 0 } ? 0 : .max }
            result = next
        }
        return result
    }
}
