import SpecBenchCore
import Foundation

/// Shared JSON coders: sorted keys, and non-finite numbers written as the strings "Infinity",
/// "-Infinity" and "NaN" (and read back by `decoder`), so that one non-finite diagnostic (the
/// residual of an all-zero kernel) never loses a whole result.
public enum JSONCoding {
    /// How non-finite numbers are spelled: Python's tokens, as strings.
    static let positiveInfinity = "Infinity", negativeInfinity = "-Infinity", notANumber = "NaN"

    /// A decoder that reads what the encoders write, non-finite numbers included.
    public static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: positiveInfinity, negativeInfinity: negativeInfinity, nan: notANumber)
        return decoder
    }

    /// Pretty-printed, sorted keys.
    public static var prettyEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = nonFinite
        return encoder
    }

    /// One line per object (JSON Lines), sorted keys.
    public static var lineEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = nonFinite
        return encoder
    }

    private static var nonFinite: JSONEncoder.NonConformingFloatEncodingStrategy {
        .convertToString(positiveInfinity: positiveInfinity, negativeInfinity: negativeInfinity, nan: notANumber)
    }
}
