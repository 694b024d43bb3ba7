import NumericCore
import SpecBenchCore

/// Run-wide inputs every method receives besides its own parameters.
public struct MethodContext: Sendable, Hashable, Codable {
    /// The run's seed; every random start is derived from it (docs/methods.md §2).
    public var seed: UInt64
    /// How many top singular values the run asks for (methods that have them return that many).
    public var topK: Int
    /// The precision the method computes in (default float64; the reference is always float64).
    public var precision: Precision

    /// A context with the run's seed, the requested number of top values and the precision.
    public init(seed: UInt64, topK: Int = 1, precision: Precision = .float64) {
        self.seed = seed
        self.topK = topK
        self.precision = precision
    }

    private enum CodingKeys: String, CodingKey { case seed, topK, precision }

    /// Decodes a context; one written before the precision axis existed is float64.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        seed = try container.decode(UInt64.self, forKey: .seed)
        topK = try container.decode(Int.self, forKey: .topK)
        precision = try container.decodeIfPresent(Precision.self, forKey: .precision) ?? .float64
    }

    /// The generator for the random start named `stream` (a method id, plus a restart index or a
    /// reshape name where a method needs several). Same seed and stream, same numbers.
    public func generator(_ stream: String) -> SeededGenerator {
        SeededGenerator(seed: seed, stream: stream)
    }
}
