import Foundation

/// Shared JSON coders: sorted keys, and non-finite numbers refused.
public enum JSONCoding {
    /// Pretty-printed, sorted keys.
    public static var prettyEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// One line per object (JSON Lines), sorted keys.
    public static var lineEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
