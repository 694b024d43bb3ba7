/// How a convolution treats the border (docs/methods.md §1).
public enum Padding: String, Codable, Sendable, CaseIterable {
    /// `p` zeros on each side; output side `⌊(n + 2p − k)/s⌋ + 1`.
    case zero
    /// Indices taken modulo `n`; output side `n/s`, requires `n % s == 0`.
    case circular

    /// Parses a padding name, naming the accepted ones on failure.
    public static func parse(_ text: String) throws -> Padding {
        guard let value = Padding(rawValue: text) else {
            throw InvalidInput("unknown padding '\(text)'; accepted: zero, circular")
        }
        return value
    }
}
