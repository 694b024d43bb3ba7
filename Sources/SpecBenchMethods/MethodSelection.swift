import Foundation
import SpecBenchCore

/// The methods a command runs, as `--methods` writes them: comma-separated ids, `all` standing
/// for every id of the catalog; order kept, repeats dropped. Parsed once where it enters.
/// O(ids).
public struct MethodSelection: Sendable, Equatable {
    /// The ids, in the order given.
    public let ids: [String]

    /// The selection `text` writes, or an `InvalidInput` naming an unknown id and the accepted ones.
    public init(parsing text: String) throws {
        var ids: [String] = []
        for item in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !item.isEmpty {
            let expanded = item == "all" ? MethodCatalog.ids : [try MethodCatalog.type(for: item).id]
            for id in expanded where !ids.contains(id) { ids.append(id) }
        }
        guard !ids.isEmpty else {
            throw InvalidInput("no method given; accepted: \(MethodCatalog.ids.joined(separator: ", ")), or all")
        }
        self.ids = ids
    }
}

/// One `--param ID.KEY=VALUE`: the method, the key and the value's text, which the method's own
/// parameter reads (`MethodCatalog.resolve`). Only the form is checked here: a known method
/// id, a non-empty key. O(length).
public struct ParameterAssignment: Sendable, Equatable {
    /// The method id.
    public let method: String
    /// The parameter key.
    public let key: String
    /// The value, as given.
    public let value: String

    /// The assignment `text` writes, or an `InvalidInput` saying what is expected.
    public init(parsing text: String) throws {
        try self.init(parsing: text, methods: MethodCatalog.ids, kind: "method")
    }

    /// The assignment `text` writes for one of `methods` (ids of `kind`: `method`, `clipping
    /// method`), or an `InvalidInput` naming what is accepted.
    public init(parsing text: String, methods: [String], kind: String) throws {
        guard let equals = text.firstIndex(of: "="), let dot = text[..<equals].firstIndex(of: ".") else {
            throw InvalidInput("invalid --param '\(text)'; expected METHOD.KEY=VALUE, for example powerqr.iterations=200")
        }
        method = String(text[..<dot])
        key = String(text[text.index(after: dot)..<equals])
        value = String(text[text.index(after: equals)...])
        guard methods.contains(method) else {
            throw InvalidInput("unknown \(kind) id '\(method)' in --param '\(text)'; accepted: \(methods.joined(separator: ", "))")
        }
        guard !key.isEmpty else {
            throw InvalidInput("invalid --param '\(text)'; the key after '\(method).' is empty")
        }
    }
}

extension MethodCatalog {
    /// The runs of `selection` in `context`, each method's `assignments` read once by
    /// `resolve`; an assignment for a method not selected is an `InvalidInput`.
    public static func resolve(
        _ selection: MethodSelection, assignments: [ParameterAssignment], context: MethodContext
    ) throws -> [MethodRun] {
        if let stray = assignments.first(where: { !selection.ids.contains($0.method) }) {
            throw InvalidInput("--param '\(stray.method).\(stray.key)=\(stray.value)' is for method '\(stray.method)', which is not among --methods (\(selection.ids.joined(separator: ",")))")
        }
        return try selection.ids.map { id in
            var raw: [String: String] = [:]
            for assignment in assignments where assignment.method == id { raw[assignment.key] = assignment.value }
            return try resolve(id: id, parameters: raw, context: context)
        }
    }
}
