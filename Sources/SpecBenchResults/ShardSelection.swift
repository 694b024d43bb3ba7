import SpecBenchCore

/// Which deterministic part of a sweep this process runs: shard `index` of `count` takes the
/// points whose position modulo `count` is `index − 1`.
public struct ShardSelection: Codable, Sendable, Hashable, CustomStringConvertible {
    /// 1-based shard number.
    public var index: Int
    /// Number of shards.
    public var count: Int

    /// Parses `I/N` with `1 ≤ I ≤ N`.
    public static func parse(_ text: String) throws -> ShardSelection {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]), count >= 1, (1...count).contains(index) else {
            throw InvalidInput("invalid --shard '\(text)'; expected I/N with 1 ≤ I ≤ N, for example 2/8")
        }
        return ShardSelection(index: index, count: count)
    }

    /// Whether the point at `position` belongs to this shard.
    public func contains(_ position: Int) -> Bool { position % count == index - 1 }

    public var description: String { "\(index)/\(count)" }
}
