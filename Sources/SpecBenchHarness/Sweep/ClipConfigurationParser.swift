import SpecBenchResults
import SpecBenchCore
import SpecBenchMethods

/// Reads a sweep's `clip:` key (docs/clipping.md, bench-configs/README.md):
/// `clip: {targets: [1], methods: [fastclip, {id: rescale-gram-zero, parameters: {…}}] or all,
/// scopes: [composition, convolution], tolerance: 1e-3}`, into the manifest's `ClipSettings` and
/// the typed jobs every point runs (one per method × target × scope, after the estimates).
enum ClipConfigurationParser {
    static let keys = ["targets", "methods", "scopes", "tolerance"]

    /// The settings and the planned jobs; each job's run is the reference, which judges it.
    static func parse(_ node: ConfigNode, config: SweepConfiguration, reference: MethodRun) throws -> (settings: ClipSettings, runs: [PlannedRun]) {
        let keys = try node.mapping(allowed: Self.keys)
        guard let targetsNode = keys["targets"] else { throw node.error("missing key 'targets' (the norms to clip to, e.g. [1])") }
        var targets: [Double] = []
        for entry in try targetsNode.list() {
            let text = try entry.text()
            guard let value = Double(text.trimmingCharacters(in: .whitespaces)), value.isFinite, value > 0 else {
                throw entry.error("invalid target '\(text)'; accepted: a finite number above 0")
            }
            guard !targets.contains(value) else { throw entry.error("target \(text) is listed twice") }
            targets.append(value)
        }
        guard let methodsNode = keys["methods"] else {
            throw node.error("missing key 'methods'; accepted: clipping method ids (\(ClippingCatalog.ids.joined(separator: ", "))) or all")
        }
        let context = MethodContext(seed: config.seed, topK: config.topK)
        // rescale-exact divides by the run's reference: its settings are the sweep's `reference:`.
        func defaults(_ id: String) -> [String: String] { id == "rescale-exact" ? reference.parameters : [:] }
        var specifications: [SweepConfiguration.MethodSpecification] = []
        var methods: [ClippingMethod] = []
        for entry in try methodsNode.list() {
            var specification: SweepConfiguration.MethodSpecification
            if entry.node.scalar != nil {
                let id = try entry.text()
                if id == "all" {
                    for id in ClippingCatalog.ids where !specifications.contains(where: { $0.name == id }) {
                        specifications.append(.init(id: id))
                        methods.append(try ClippingCatalog.resolve(id: id, parameters: defaults(id), context: context))
                    }
                    continue
                }
                specification = .init(id: id)
            } else {
                let fields = try entry.mapping(allowed: ["id", "as", "parameters", "repetitions", "warmup"])
                guard let idNode = fields["id"] else { throw entry.error("missing key 'id'") }
                specification = .init(id: try idNode.text())
                if let name = fields["as"] {
                    let label = try name.text()
                    guard !label.isEmpty, label.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
                        throw name.error("invalid name '\(label)'; accepted: letters, digits, '-', '_' and '.'")
                    }
                    specification.label = label
                }
                specification.repetitions = try fields["repetitions"]?.positiveInteger(limit: 1000)
                specification.warmup = try fields["warmup"]?.integer(0...1000, what: "a non-negative integer")
                if let parameters = fields["parameters"] {
                    for (key, value) in try parameters.anyMapping() { specification.parameters[key] = try value.text() }
                }
            }
            guard ClippingCatalog.ids.contains(specification.id) else {
                throw entry.error("unknown clipping method '\(specification.id)'; accepted: \(ClippingCatalog.ids.joined(separator: ", ")), or all")
            }
            guard !specifications.contains(where: { $0.name == specification.name }) else {
                throw entry.error("clipping method '\(specification.name)' is listed twice; give the second a name of its own (as: NAME)")
            }
            guard specification.label == nil || !ClippingCatalog.ids.contains(specification.name) else {
                throw entry.error("the name '\(specification.name)' is a clipping method's id; accepted: a name of your own")
            }
            do {
                methods.append(try ClippingCatalog.resolve(id: specification.id, parameters: defaults(specification.id).merging(specification.parameters) { $1 },
                                                           context: context))
            } catch let error as InvalidInput {
                throw entry.error(error.message)
            }
            specifications.append(specification)
        }
        var scopes: [ClipScope] = [.composition]
        if let scopesNode = keys["scopes"] {
            scopes = try scopesNode.list().map { ClipScope(rawValue: try $0.choice(ClipScope.allCases.map(\.rawValue)))! }
            guard scopes.first == .composition, Set(scopes).count == scopes.count else {
                throw scopesNode.error("scopes must start with 'composition' (the point's operator) and list each scope once; accepted: [composition] or [composition, convolution]")
            }
        }
        let tolerance = try keys["tolerance"]?.number(0...1) ?? ClipSettings.defaultTolerance
        let settings = ClipSettings(targets: targets, methods: specifications, scopes: scopes, tolerance: tolerance)
        let runs = zip(specifications, methods).flatMap { specification, method in
            targets.flatMap { target in
                scopes.map { scope in
                    PlannedRun(run: reference, warmup: specification.warmup ?? config.warmup,
                               repetitions: specification.repetitions ?? config.repetitions,
                               clip: ClipJob(method: method, target: target, scope: scope, label: specification.label))
                }
            }
        }
        return (settings, runs)
    }
}
