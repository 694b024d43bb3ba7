import SpecBenchCore

/// Run-wide inputs every method receives besides its own parameters.
public struct MethodContext: Sendable, Hashable, Codable {
    /// The run's seed; every random start is derived from it (methods.md §2).
    public var seed: UInt64
    /// How many top singular values the run asks for (methods that have them return that many).
    public var topK: Int

    /// A context with the run's seed and the requested number of top values.
    public init(seed: UInt64, topK: Int = 1) {
        self.seed = seed
        self.topK = topK
    }

    /// The generator for the random start named `stream` (a method id, plus a restart index or a
    /// reshape name where a method needs several). Same seed and stream, same numbers.
    public func generator(_ stream: String) -> SeededGenerator {
        SeededGenerator(seed: seed, stream: stream)
    }
}
