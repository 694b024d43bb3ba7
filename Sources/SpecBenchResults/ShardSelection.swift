import SpecBenchCore

/// Which deterministic part of a sweep this process runs: shard `index` of `count` takes the
/// points whose position modulo `count` is `index − 1` (`modulo`), or the points a cost-balanced
/// plan gives it (`cost`: `ShardPlanner`, the same plan in every shard's process).
public struct ShardSelection: Codable, Sendable, Hashable, CustomStringConvertible {
    /// 1-based shard number.
    public var index: Int
    /// Number of shards.
    public var count: Int
    /// How points are assigned to shards (manifests recorded before the key: `modulo`).
    public var balance: ShardBalance = .modulo

    /// How a sweep's points are split among shards.
    public enum ShardBalance: String, Codable, Sendable, Hashable, CaseIterable {
        /// Position modulo the shard count.
        case modulo
        /// By estimated cost, so that shards finish close together (`ShardPlanner`).
        case cost
    }

    /// A selection; see the properties.
    public init(index: Int, count: Int, balance: ShardBalance = .modulo) {
        self.index = index
        self.count = count
        self.balance = balance
    }

    private enum CodingKeys: String, CodingKey { case index, count, balance }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        index = try container.decode(Int.self, forKey: .index)
        count = try container.decode(Int.self, forKey: .count)
        balance = try container.decodeIfPresent(ShardBalance.self, forKey: .balance) ?? .modulo
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(index, forKey: .index)
        try container.encode(count, forKey: .count)
        // A modulo shard is written as before the key existed.
        if balance != .modulo { try container.encode(balance, forKey: .balance) }
    }

    /// Parses `I/N` with `1 ≤ I ≤ N`.
    public static func parse(_ text: String) throws -> ShardSelection {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]), count >= 1, (1...count).contains(index) else {
            throw InvalidInput("invalid --shard '\(text)'; expected I/N with 1 ≤ I ≤ N, for example 2/8")
        }
        return ShardSelection(index: index, count: count)
    }

    /// Whether the point at `position` belongs to this shard under the modulo assignment.
    public func contains(_ position: Int) -> Bool { position % count == index - 1 }

    public var description: String { "\(index)/\(count)" }
}
