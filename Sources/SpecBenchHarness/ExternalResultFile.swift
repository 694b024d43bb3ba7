import Foundation
import SpecBenchCore

/// A command's `result.json` (docs/external-methods.md), read and checked: every required field
/// present, every number finite and non-negative, or an `InvalidInput` naming the field, the bad
/// value and what is accepted. Python's bare `NaN`, `Infinity` and `-Infinity` are read as the
/// numbers they mean (and then refused as values), not as malformed JSON. Fields the harness does
/// not read are kept (`extraFields`).
struct ExternalResultFile {
    /// The protocol version of the file (1 when absent).
    var schemaVersion: Int
    /// The values, largest first: `values` when given, else `[value]`.
    var values: [Double]
    /// Seconds of each timed repetition, as the command measured them in-process.
    var seconds: [Double]
    /// The command's own set-up seconds (imports, building its operator), when given.
    var setupSeconds: Double?
    /// Iterations, when given.
    var iterations: Int?
    /// Whether the command's own stopping test was met, when given.
    var converged: Bool?
    /// Peak bytes by the command's own measure, when given.
    var peakBytes: Int?
    /// Free text from the command.
    var diagnostics: String?
    /// The command declined the operator, for this reason.
    var notApplicable: String?
    /// The fields not read above.
    var extraFields: [String: JSONValue]

    static let knownKeys: Set<String> = ["schemaVersion", "value", "values", "seconds", "setupSeconds", "iterations",
                                         "converged", "peakBytes", "diagnostics", "notApplicable"]
    private static let sentinel = "specbench-non-finite-number:"

    /// Reads `data`; `repetitions` is how many timed repetitions were asked for (the `seconds`
    /// list may not be longer).
    init(data: Data, repetitions: Int) throws {
        guard let text = String(data: data, encoding: .utf8) else { throw InvalidInput("it is not UTF-8 text") }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: Self.sentinel + "Infinity", negativeInfinity: Self.sentinel + "-Infinity", nan: Self.sentinel + "NaN")
        let fields: [String: JSONValue]
        do {
            fields = try decoder.decode([String: JSONValue].self, from: Data(Self.quotingNonFiniteTokens(text).utf8))
        } catch {
            let preview = text.prefix(80).replacingOccurrences(of: "\n", with: " ")
            throw InvalidInput("not a JSON object (it begins '\(preview)'); accepted: an object with value and seconds")
        }
        let version = try Self.integer(fields["schemaVersion"], "schemaVersion") ?? 1
        guard version == ExternalMethodRunner.schemaVersion else {
            throw InvalidInput("schemaVersion \(version) is not supported; accepted: \(ExternalMethodRunner.schemaVersion)")
        }
        schemaVersion = version
        extraFields = fields.filter { !Self.knownKeys.contains($0.key) }
        diagnostics = try Self.string(fields["diagnostics"], "diagnostics")
        notApplicable = try Self.string(fields["notApplicable"], "notApplicable")
        values = []
        seconds = []
        if notApplicable != nil { return }
        guard let value = fields["value"], value != .null else {
            throw InvalidInput("'value' is missing (the spectral-norm estimate); accepted: an object with value and seconds, or notApplicable")
        }
        let first = try Self.measure(value, "value")!
        if let list = fields["values"], list != .null {
            guard case .list(let items) = list, !items.isEmpty else {
                throw InvalidInput("'values' is \(list.text); accepted: a non-empty list of numbers, largest first")
            }
            values = try items.enumerated().map { try Self.measure($0.element, "values[\($0.offset)]")! }
            guard values[0] == first else {
                throw InvalidInput("'values' starts with \(values[0]) but 'value' is \(first); accepted: values[0] equal to value")
            }
        } else {
            values = [first]
        }
        guard let timed = fields["seconds"], timed != .null else {
            throw InvalidInput("'seconds' is missing (the in-process seconds of each timed repetition); accepted: a number or a list of numbers")
        }
        if case .list(let items) = timed {
            seconds = try items.enumerated().map { try Self.measure($0.element, "seconds[\($0.offset)]")! }
        } else {
            seconds = [try Self.measure(timed, "seconds")!]
        }
        guard !seconds.isEmpty, seconds.count <= max(repetitions, 1) else {
            throw InvalidInput("'seconds' holds \(seconds.count) entries for \(repetitions) repetitions asked; accepted: 1 to \(repetitions) entries")
        }
        setupSeconds = try Self.measure(fields["setupSeconds"], "setupSeconds")
        iterations = try Self.integer(fields["iterations"], "iterations")
        peakBytes = try Self.integer(fields["peakBytes"], "peakBytes")
        if let flag = fields["converged"], flag != .null {
            guard case .bool(let converged) = flag else { throw InvalidInput("'converged' is \(flag.text); accepted: true or false") }
            self.converged = converged
        }
    }

    /// A finite non-negative number, nil when absent.
    private static func measure(_ value: JSONValue?, _ key: String) throws -> Double? {
        guard let value, value != .null else { return nil }
        guard case .number(let number) = value else {
            throw InvalidInput("'\(key)' is \(describe(value)), not a number; accepted: a finite number ≥ 0")
        }
        guard number.isFinite, number >= 0 else {
            throw InvalidInput("'\(key)' is \(number); accepted: a finite number ≥ 0")
        }
        return number
    }

    /// A non-negative integer, nil when absent.
    private static func integer(_ value: JSONValue?, _ key: String) throws -> Int? {
        guard let number = try measure(value, key) else { return nil }
        guard number == number.rounded(), number < 9e15 else {
            throw InvalidInput("'\(key)' is \(number); accepted: a non-negative integer")
        }
        return Int(number)
    }

    private static func string(_ value: JSONValue?, _ key: String) throws -> String? {
        guard let value, value != .null else { return nil }
        guard case .string(let text) = value else { throw InvalidInput("'\(key)' is \(value.text); accepted: a string") }
        return text
    }

    private static func describe(_ value: JSONValue) -> String {
        if case .string(let text) = value { return "the string '\(text.prefix(40))'" }
        return value.text
    }

    /// `text` with the bare tokens `NaN`, `Infinity` and `-Infinity` outside strings replaced by
    /// strings the decoder converts back to those numbers.
    static func quotingNonFiniteTokens(_ text: String) -> String {
        var output = "", inString = false, escaped = false
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if inString {
                output.append(character)
                if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == "\"" { inString = false }
                index = text.index(after: index)
                continue
            }
            if character == "\"" { inString = true }
            var matched = false
            for token in ["-Infinity", "Infinity", "NaN"] where text[index...].hasPrefix(token) {
                output += "\"\(sentinel)\(token)\""
                index = text.index(index, offsetBy: token.count)
                matched = true
                break
            }
            if matched { continue }
            output.append(character)
            index = text.index(after: index)
        }
        return output
    }
}
