import SpecBenchResults
import SpecBenchCore
import Yams
import Foundation

/// A YAML node with its key path, for reading configs with errors that name the key path, the bad
/// value and what is accepted (`bench-configs/README.md` documents the keys).
struct ConfigNode {
    let node: Node
    /// The key path, e.g. `grids[0].kernelSizes[2]`.
    let path: String
    /// The config file, for messages.
    let file: String

    func error(_ message: String) -> InvalidInput {
        let location = node.mark.map { " (line \($0.line))" } ?? ""
        return InvalidInput("\(file): \(path)\(location): \(message)")
    }

    private var display: String {
        if let scalar = node.scalar { return "'\(scalar.string)'" }
        if node.sequence != nil { return "a list" }
        return "a mapping"
    }

    /// The mapping's entries; a key outside `allowed` is an error naming it and the accepted keys.
    func mapping(allowed: [String]) throws -> [String: ConfigNode] {
        guard let mapping = node.mapping else {
            throw error("expected a mapping with keys \(allowed.joined(separator: ", ")), got \(display)")
        }
        var result: [String: ConfigNode] = [:]
        for (keyNode, value) in mapping {
            guard let key = keyNode.string else { throw error("keys must be strings") }
            let childPath = path.isEmpty ? key : "\(path).\(key)"
            guard allowed.contains(key) else {
                throw InvalidInput("\(file): \(childPath)\(keyNode.mark.map { " (line \($0.line))" } ?? ""): unknown key '\(key)'; accepted here: \(allowed.joined(separator: ", "))")
            }
            result[key] = ConfigNode(node: value, path: childPath, file: file)
        }
        return result
    }

    /// The mapping's entries with any string keys (for free-form maps like method parameters).
    func anyMapping() throws -> [(String, ConfigNode)] {
        guard let mapping = node.mapping else { throw error("expected a mapping, got \(display)") }
        return try mapping.map { keyNode, value in
            guard let key = keyNode.string else { throw error("keys must be strings") }
            return (key, ConfigNode(node: value, path: "\(path).\(key)", file: file))
        }
    }

    /// The elements of a list (a single scalar counts as a one-element list); an empty list is
    /// an error when `nonEmpty`.
    func list(nonEmpty: Bool = true) throws -> [ConfigNode] {
        let items: [Node]
        if let sequence = node.sequence {
            items = Array(sequence)
        } else if node.scalar != nil {
            items = [node]
        } else {
            throw error("expected a list, got \(display)")
        }
        if nonEmpty && items.isEmpty { throw error("the list is empty; give at least one value") }
        return items.enumerated().map { index, item in
            ConfigNode(node: item, path: node.sequence != nil ? "\(path)[\(index)]" : path, file: file)
        }
    }

    /// A scalar's text.
    func text() throws -> String {
        guard let scalar = node.scalar else { throw error("expected a single value, got \(display)") }
        return scalar.string
    }

    /// An integer in `range`.
    func integer(_ range: ClosedRange<Int>, what: String = "an integer") throws -> Int {
        guard let scalar = node.scalar, let value = Int(scalar.string.trimmingCharacters(in: .whitespaces)) else {
            throw error("invalid value \(display); accepted: \(what) from \(range.lowerBound) to \(range.upperBound)")
        }
        guard range.contains(value) else {
            throw error("invalid value \(value); accepted: \(what) from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    /// A positive integer (sizes, counts).
    func positiveInteger(limit: Int = 1 << 20) throws -> Int {
        try integer(1...limit, what: "a positive integer")
    }

    /// A finite number in `range`.
    func number(_ range: ClosedRange<Double>) throws -> Double {
        guard let scalar = node.scalar, let value = Double(scalar.string.trimmingCharacters(in: .whitespaces)),
              value.isFinite, range.contains(value) else {
            throw error("invalid value \(display); accepted: a number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    /// One of `accepted`.
    func choice(_ accepted: [String]) throws -> String {
        let value = try text()
        guard accepted.contains(value) else {
            throw error("invalid value '\(value)'; accepted: \(accepted.joined(separator: ", "))")
        }
        return value
    }

    /// Whether the node is YAML null (`~`, `null` or empty).
    var isNull: Bool { node.null != nil }

    /// A byte count: an integer, or a number with a unit `KiB`, `MiB`, `GiB` (or `KB`, `MB`, `GB`).
    func bytes() throws -> Int {
        let raw = try text().trimmingCharacters(in: .whitespaces)
        guard let count = try? ByteCount(parsing: raw) else {
            throw error("invalid size '\(raw)'; accepted: \(ByteCount.accepted)")
        }
        return count.bytes
    }

    /// A value per axis: an integer (both axes), `"H,W"` or a list `[H, W]`, each in
    /// `minimum…limit` (as a layer's `stride`; in a grid axis, a pair is a nested list).
    func axisPair(minimum: Int, limit: Int, what: String) throws -> AxisPair {
        let numbers = try integers(counts: [1, 2], minimum: minimum, limit: limit, what: what, accepted: "an integer or two, [height, width]")
        return numbers.count == 1 ? AxisPair(numbers[0]) : AxisPair(numbers[0], numbers[1])
    }

    /// Pads: an integer (every side), `[PH, PW]` or `[T, L, B, R]` (or the same as text), each
    /// from 0 to `limit`.
    func pads(limit: Int) throws -> Pads {
        let p = try integers(counts: [1, 2, 4], minimum: 0, limit: limit, what: "pad", accepted: "P, [PH, PW] or [T, L, B, R]")
        switch p.count {
        case 1: return Pads(height: p[0], width: p[0])
        case 2: return Pads(height: p[0], width: p[1])
        default: return Pads(top: p[0], left: p[1], bottom: p[2], right: p[3])
        }
    }

    private func integers(counts: [Int], minimum: Int, limit: Int, what: String, accepted: String) throws -> [Int] {
        let texts: [String]
        if let sequence = node.sequence {
            texts = try sequence.map { item in
                guard let scalar = item.scalar else { throw error("invalid \(what) \(display); accepted: \(accepted)") }
                return scalar.string
            }
        } else if let scalar = node.scalar {
            texts = scalar.string.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        } else {
            throw error("invalid \(what) \(display); accepted: \(accepted)")
        }
        let numbers = texts.compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard numbers.count == texts.count, counts.contains(numbers.count), numbers.allSatisfy({ (minimum...limit).contains($0) }) else {
            let kind = minimum == 1 ? "positive integers" : minimum == 0 ? "non-negative integers" : "integers from \(minimum)"
            throw error("invalid \(what) \(display); accepted: \(accepted), \(kind) at most \(limit)")
        }
        return numbers
    }
}
