import Foundation
import SpecBenchCore
import NumericCore
import SpecBenchMethods
import SpecBenchResults
import Yams

/// Reads `external:` lists (docs/external-methods.md) into typed `ExternalMethod`s, once, where
/// they enter: the file given to `bench estimate --external`, and a sweep config's `external:`
/// key, whose items are entries or paths of files holding an `external:` key (relative to the
/// including file's folder). Every bad entry is an `InvalidInput` naming the file, the key path,
/// the bad value and what is accepted.
public enum ExternalMethodEntries {
    /// The keys of one entry.
    static let entryKeys = ["id", "command", "guarantee", "precision", "citation", "parameters"]

    /// The entries of the file at `path`, whose top level is a mapping with the key `external`.
    public static func read(path: String) throws -> [ExternalMethod] {
        try read(path: path, including: [])
    }

    /// The entries of every file of `paths` (`bench estimate --external`, repeatable), in
    /// order; an id given by two of them is an `InvalidInput`.
    public static func read(paths: [String]) throws -> [ExternalMethod] {
        let methods = try paths.flatMap { try read(path: $0) }
        var seen: Set<String> = []
        for method in methods where !seen.insert(method.name).inserted {
            throw InvalidInput("external method id '\(method.name)' is given twice across the --external files; accepted: distinct ids")
        }
        return methods
    }

    private static func read(path: String, including: [String]) throws -> [ExternalMethod] {
        let resolved = URL(fileURLWithPath: path).standardizedFileURL.path
        guard !including.contains(resolved) else {
            throw InvalidInput("\(path): includes itself (through \(including.joined(separator: " → ")))")
        }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw InvalidInput("external methods file '\(path)' does not exist or is not UTF-8 text; accepted: a YAML file with an 'external:' list (docs/external-methods.md)")
        }
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw InvalidInput("\(path): the file is empty; accepted: a YAML file with an 'external:' list (docs/external-methods.md)")
            }
            root = node
        } catch let error as InvalidInput {
            throw error
        } catch {
            throw InvalidInput("\(path): malformed YAML: \(error)")
        }
        let top = try ConfigNode(node: root, path: "", file: path).mapping(allowed: ["external"])
        guard let list = top["external"] else { throw InvalidInput("\(path): missing key 'external' (the list of entries)") }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        return try entries(list, folder: folder, including: including + [resolved])
    }

    /// The entries of an `external:` node, in order; checks that the ids are distinct.
    static func entries(_ node: ConfigNode, folder: String) throws -> [ExternalMethod] {
        try entries(node, folder: folder, including: [])
    }

    private static func entries(_ node: ConfigNode, folder: String, including: [String]) throws -> [ExternalMethod] {
        var methods: [ExternalMethod] = []
        for item in try node.list() {
            if item.node.scalar != nil {
                let given = try item.text()
                let path = given.hasPrefix("/") ? given : URL(fileURLWithPath: folder).appendingPathComponent(given).path
                guard FileManager.default.fileExists(atPath: path) else {
                    throw item.error("external methods file '\(given)' does not exist (looked for \(path)); accepted: an entry, or the path of a file with an 'external:' list")
                }
                methods += try read(path: path, including: including)
            } else {
                methods.append(try entry(item, folder: folder))
            }
        }
        var seen: Set<String> = []
        for method in methods where !seen.insert(method.name).inserted {
            throw node.error("external method id '\(method.name)' is given twice; accepted: one entry per id")
        }
        return methods
    }

    private static func entry(_ node: ConfigNode, folder: String) throws -> ExternalMethod {
        let keys = try node.mapping(allowed: entryKeys)
        func required(_ key: String, _ what: String) throws -> ConfigNode {
            guard let value = keys[key] else { throw node.error("missing key '\(key)' (\(what))") }
            return value
        }
        let idNode = try required("id", "the method's id in records")
        let id = try idNode.text()
        let reserved = MethodCatalog.ids + ["all", ExternalMethod.id]
        guard !id.isEmpty, id.count <= 64, id.first!.isASCII, id.first!.isLetter || id.first!.isNumber,
              id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) else {
            throw idNode.error("invalid id '\(id)'; accepted: up to 64 letters, digits, '-', '_' and '.', starting with a letter or digit")
        }
        guard !reserved.contains(id) else {
            throw idNode.error("id '\(id)' is taken by a built-in method; accepted: any other id (e.g. '\(id)-external')")
        }
        let commandNode = try required("command", "the argv, a list such as [python3, adapter.py]")
        let command = try commandNode.list().map { try $0.text() }
        guard let executable = command.first, !executable.isEmpty else {
            throw commandNode.error("the command is empty; accepted: a list whose first item is the executable")
        }
        let guaranteeNode = try required("guarantee", "exact, upper, lower or estimate, or a map from padding to one of them")
        var guarantees: [Padding: Guarantee] = [:]
        let accepted = Guarantee.allCases.map(\.rawValue)
        if guaranteeNode.node.scalar != nil {
            let guarantee = Guarantee(rawValue: try guaranteeNode.choice(accepted))!
            for padding in Padding.allCases { guarantees[padding] = guarantee }
        } else {
            for (key, value) in try guaranteeNode.anyMapping() {
                guard let padding = Padding(rawValue: key) else {
                    throw value.error("unknown padding '\(key)'; accepted: \(Padding.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                guarantees[padding] = Guarantee(rawValue: try value.choice(accepted))!
            }
            guard !guarantees.isEmpty else { throw guaranteeNode.error("the map is empty; give a guarantee for at least one padding") }
        }
        let precision = try keys["precision"].map { Precision(rawValue: try $0.choice(Precision.allCases.map(\.rawValue)))! } ?? .float64
        let citation = try keys["citation"]?.text() ?? "external: " + command.joined(separator: " ")
        var parameters: [String: JSONValue] = [:]
        if let node = keys["parameters"] {
            for (key, value) in try node.anyMapping() { parameters[key] = try jsonValue(value) }
        }
        return ExternalMethod(name: id, command: command, guarantees: guarantees, precision: precision,
                              citation: citation, parameters: parameters, directory: folder)
    }

    /// A YAML value as JSON: plain scalars by their YAML type (null, bool, number), quoted ones
    /// as strings; lists and maps recursively.
    static func jsonValue(_ node: ConfigNode) throws -> JSONValue {
        if let scalar = node.node.scalar {
            if scalar.style == .plain {
                if node.node.null != nil { return .null }
                if let value = node.node.bool { return .bool(value) }
                if let value = node.node.int { return .number(Double(value)) }
                if let value = node.node.float, value.isFinite { return .number(value) }
            }
            return .string(scalar.string)
        }
        if node.node.sequence != nil { return .list(try node.list(nonEmpty: false).map(jsonValue)) }
        var map: [String: JSONValue] = [:]
        for (key, value) in try node.anyMapping() { map[key] = try jsonValue(value) }
        return .map(map)
    }
}

extension ExternalMethod {
    /// The entry as the manifest records it.
    public var specification: SweepConfiguration.ExternalMethodSpecification {
        .init(id: name, command: command,
              guarantee: Dictionary(uniqueKeysWithValues: guarantees.map { ($0.key.rawValue, $0.value.rawValue) }),
              precision: declaredPrecision, citation: citation, parameters: parameters, directory: directory)
    }
}
