import SpecBenchCore

/// Typed access to an ONNX node's attributes by name. O(attributes) per lookup.
struct OnnxAttributes {
    private let attributes: [String: Onnx_AttributeProto]

    init(_ node: Onnx_NodeProto) {
        var byName: [String: Onnx_AttributeProto] = [:]
        for attribute in node.attribute { byName[attribute.name] = attribute }
        attributes = byName
    }

    /// An `INT` attribute.
    func integer(_ name: String) -> Int? {
        guard let attribute = attributes[name], attribute.hasI else { return nil }
        return Int(attribute.i)
    }

    /// An `INTS` attribute.
    func integers(_ name: String) -> [Int]? {
        guard let attribute = attributes[name], !attribute.ints.isEmpty else { return nil }
        return attribute.ints.map(Int.init)
    }

    /// A `FLOAT` attribute.
    func float(_ name: String) -> Float? {
        guard let attribute = attributes[name], attribute.hasF else { return nil }
        return attribute.f
    }

    /// A `FLOATS` attribute.
    func floats(_ name: String) -> [Float]? {
        guard let attribute = attributes[name], !attribute.floats.isEmpty else { return nil }
        return attribute.floats
    }

    /// A `STRING` attribute, decoded as UTF-8.
    func string(_ name: String) -> String? {
        guard let attribute = attributes[name], attribute.hasS else { return nil }
        return String(decoding: attribute.s, as: UTF8.self)
    }
}
