import Foundation

/// A number of bytes as people write it: an integer, or a number with a unit `KiB`, `MiB`,
/// `GiB`, `TiB` (or `KB`, `MB`, `GB`, `TB`, `B`): `--memory-limit 8GiB`, a config's
/// `limits: {memoryPerPoint: 8GiB}`. Parsed once where it enters. O(length).
public struct ByteCount: Sendable, Hashable, Codable {
    /// The count, positive and below 8 EiB.
    public let bytes: Int

    /// `bytes` as a count.
    public init(bytes: Int) { self.bytes = bytes }

    /// What is accepted, for messages.
    public static let accepted = "a positive number of bytes, optionally with a unit KiB, MiB, GiB, TiB (e.g. 8GiB)"

    /// The count `text` writes, or an `InvalidInput` naming it and what is accepted.
    public init(parsing text: String) throws {
        let raw = text.trimmingCharacters(in: .whitespaces)
        let units: [(String, Double)] = [("KiB", 1024), ("MiB", 1_048_576), ("GiB", 1_073_741_824), ("TiB", 1_099_511_627_776),
                                         ("KB", 1e3), ("MB", 1e6), ("GB", 1e9), ("TB", 1e12), ("B", 1)]
        var number = raw
        var factor = 1.0
        for (suffix, value) in units where raw.hasSuffix(suffix) {
            number = String(raw.dropLast(suffix.count)).trimmingCharacters(in: .whitespaces)
            factor = value
            break
        }
        guard let amount = Double(number), amount.isFinite, amount > 0, amount * factor >= 1,
              amount * factor < 9.2e18 else {
            throw InvalidInput("invalid byte count '\(text)'; accepted: \(Self.accepted)")
        }
        bytes = Int(amount * factor)
    }
}
