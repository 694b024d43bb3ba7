import SpecBenchResults
import Foundation
import NumericCore
import SpecBenchCore
import SpecBenchMethods
import SpecBenchModels
import Yams

/// Reads a sweep config from YAML into a validated `SweepPlan`: the `SweepConfiguration` the
/// manifest records and every method run resolved, each parameter read here once. Every problem is an
/// `InvalidInput` naming the file, the key path, the bad value and what is accepted: malformed
/// YAML, unknown keys, unknown methods or parameters, empty axes, sizes that are not positive,
/// strides that cannot apply, kernels larger than the padded input, missing kernel files.
public enum SweepConfigurationParser {
    static let topLevelKeys = ["name", "description", "mirrors", "seed", "topK", "kernel", "grid", "grids", "layers",
                               "model", "methods", "precisions", "repetitions", "warmup", "processes", "reference", "limits", "threads", "paperValues", "external", "clip"]

    /// Parses the config file at `path`.
    public static func parse(path: String) throws -> SweepPlan {
        guard FileManager.default.fileExists(atPath: path) else {
            throw InvalidInput("config file '\(path)' does not exist; the configs shipped are in bench-configs/")
        }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw InvalidInput("config file '\(path)' cannot be read as UTF-8 text")
        }
        let stem = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        return try parse(text: text, file: path, defaultName: stem, folder: folder)
    }

    /// Parses config text; `file` names it in messages, `folder` resolves relative kernel paths.
    public static func parse(text: String, file: String, defaultName: String, folder: String) throws -> SweepPlan {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw InvalidInput("\(file): the config is empty; see bench-configs/README.md for the keys")
            }
            root = node
        } catch let error as InvalidInput {
            throw error
        } catch let error as YamlError {
            throw InvalidInput("\(file): malformed YAML: \(error)")
        } catch {
            throw InvalidInput("\(file): malformed YAML: \(error)")
        }
        let top = try ConfigNode(node: root, path: "", file: file).mapping(allowed: topLevelKeys)

        var config = SweepConfiguration(
            name: defaultName, description: nil, mirrors: nil, seed: 0, topK: 1, kernel: .init(), grids: [], layers: [],
            methods: [], repetitions: 5, warmup: 1, reference: .init(), limits: .init(), threads: .init(), paperValues: [])
        if let node = top["name"] {
            let name = try node.text()
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }), !name.hasPrefix(".") else {
                throw node.error("invalid name '\(name)'; accepted: letters, digits, '-', '_' and '.' (it names the results folder)")
            }
            config.name = name
        }
        config.description = try top["description"]?.text()
        config.mirrors = try top["mirrors"]?.text()
        if let node = top["seed"] {
            guard let value = UInt64(try node.text()) else { throw node.error("invalid seed '\(try node.text())'; accepted: an integer from 0 to 2^64 − 1") }
            config.seed = value
        }
        config.topK = try top["topK"]?.positiveInteger(limit: 4096) ?? 1
        config.repetitions = try top["repetitions"]?.positiveInteger(limit: 1000) ?? 5
        config.warmup = try top["warmup"]?.integer(0...1000, what: "a non-negative integer") ?? 1
        config.processes = try top["processes"]?.positiveInteger(limit: 100)
        if let node = top["kernel"] { config.kernel = try kernelSettings(node, folder: folder) }
        let reference = try Self.reference(top["reference"], seed: config.seed)
        config.reference = reference.settings
        if let node = top["limits"] { config.limits = try limits(node) }
        if let node = top["threads"] { config.threads = try threads(node) }

        if top["grid"] != nil && top["grids"] != nil {
            throw InvalidInput("\(file): give either 'grid' or 'grids', not both")
        }
        if let node = top["grid"] {
            config.grids = [try grid(node, fromFiles: !config.kernel.files.isEmpty)]
        }
        if let node = top["grids"] {
            config.grids = try node.list().map { try grid($0, fromFiles: !config.kernel.files.isEmpty) }
        }
        if let node = top["layers"] {
            guard config.kernel.files.isEmpty else {
                throw node.error("layers give kernel shapes, which kernel.files also do; use one or the other")
            }
            config.layers = try node.list().map(layer)
        }
        if let node = top["model"] {
            guard config.kernel.files.isEmpty else {
                throw node.error("a model gives its own kernels, which kernel.files also do; use one or the other")
            }
            if let entries = try? node.list() {
                config.models = try entries.map { try modelSettings($0, folder: folder) }
                let names = config.models!.map { $0.name ?? "" }
                guard config.models!.count == 1 || Set(names).count == names.count && !names.contains("") else {
                    throw node.error("several models need distinct names (model: [{name: pnet, path: …}, …]): their layers' labels are prefixed by them")
                }
            } else {
                config.models = [try modelSettings(node, folder: folder)]
            }
        }
        guard !config.grids.isEmpty || !config.layers.isEmpty || config.models != nil else {
            throw InvalidInput("\(file): no points: give 'grid', 'grids', 'layers' or 'model'")
        }
        let externals = try top["external"].map { try ExternalMethodEntries.entries($0, folder: folder) } ?? []
        guard top["methods"] != nil || !externals.isEmpty || top["clip"] != nil else {
            throw InvalidInput("\(file): methods: missing; list method ids (\(MethodCatalog.ids.joined(separator: ", "))) or all, or give external methods (external:)")
        }
        if let node = top["precisions"] { config.precisions = try precisions(node) }
        var methods: (specifications: [SweepConfiguration.MethodSpecification], runs: [PlannedRun])
        if let node = top["methods"] {
            methods = try Self.methods(node, config: config, reference: reference.run)
        } else {
            methods = ([.init(id: ReferenceMethod.id, parameters: reference.run.parameters, repetitions: config.reference.repetitions,
                              warmup: config.reference.warmup)],
                       [PlannedRun(run: reference.run, warmup: config.reference.warmup, repetitions: config.reference.repetitions)])
        }
        config.methods = methods.specifications
        if !externals.isEmpty {
            config.external = externals.map(\.specification)
            methods.runs += externals.map {
                PlannedRun(run: MethodRun(method: $0, precision: $0.declaredPrecision), warmup: config.warmup, repetitions: config.repetitions)
            }
        }
        if let node = top["clip"] {
            let clip = try ClipConfigurationParser.parse(node, config: config, reference: reference.run)
            config.clip = clip.settings
            methods.runs += clip.runs
        }
        if let node = top["paperValues"] { config.paperValues = try node.list().map(paperValue) }
        try checkGeometries(config, top: top)
        return SweepPlan(configuration: config, runs: methods.runs)
    }

    private static func kernelSettings(_ node: ConfigNode, folder: String) throws -> SweepConfiguration.KernelSettings {
        let keys = try node.mapping(allowed: ["distribution", "files", "normalize"])
        var settings = SweepConfiguration.KernelSettings()
        if let normalize = keys["normalize"] {
            let normalizeKeys = try normalize.mapping(allowed: ["spectralNorm"])
            guard let target = normalizeKeys["spectralNorm"] else {
                throw normalize.error("missing key 'spectralNorm' (the exact spectral norm every point's operator is rescaled to)")
            }
            settings.normalize = try KernelNormalization(spectralNorm: try target.number(1e-12...1e12))
        }
        if let distribution = keys["distribution"] {
            settings.distribution = KernelDistribution(rawValue: try distribution.choice(KernelDistribution.allCases.map(\.rawValue)))!
        }
        if let files = keys["files"] {
            settings.files = try files.list().map { entry in
                let given = try entry.text()
                let resolved = given.hasPrefix("/") ? given : URL(fileURLWithPath: folder).appendingPathComponent(given).path
                guard FileManager.default.fileExists(atPath: resolved) else {
                    throw entry.error("kernel file '\(given)' does not exist (looked for \(resolved))")
                }
                do {
                    _ = try NumpyFile.readKernel(path: resolved)
                } catch let error as InvalidInput {
                    throw entry.error(error.message)
                }
                return resolved
            }
        }
        return settings
    }

    private static func modelSettings(_ node: ConfigNode, folder: String) throws -> SweepConfiguration.ModelSettings {
        let keys = try node.mapping(allowed: ["name", "path", "inputSize", "preset", "layers", "composition"])
        guard let pathNode = keys["path"] else { throw node.error("missing key 'path' (the model file: .onnx)") }
        let given = try pathNode.text()
        let resolved = given.hasPrefix("/") ? given : URL(fileURLWithPath: folder).appendingPathComponent(given).path
        guard FileManager.default.fileExists(atPath: resolved) else {
            throw pathNode.error("model file '\(given)' does not exist (looked for \(resolved)); scripts/fetch-models downloads the ones the shipped configs use")
        }
        var settings = SweepConfiguration.ModelSettings(path: resolved)
        settings.name = try keys["name"]?.text()
        if let preset = keys["preset"] {
            do {
                settings.preset = try ModelPreset(parsing: try preset.text())
            } catch let error as InvalidInput {
                throw preset.error(error.message)
            }
        }
        settings.inputSize = try keys["inputSize"]?.axisPair(minimum: 1, limit: 1 << 15, what: "input size")
        if let layers = keys["layers"] {
            if (try? layers.text()) == "all" {
                settings.layers = nil
            } else {
                settings.layers = try layers.list().map { entry in
                    if let name = try? entry.text() { return SweepConfiguration.ModelLayerChoice(name: name) }
                    let keys = try entry.mapping(allowed: ["name", "inputSize", "stride", "pad", "batchNorm"])
                    guard let name = keys["name"] else { throw entry.error("missing key 'name' (the layer's or weight's name)") }
                    return SweepConfiguration.ModelLayerChoice(
                        name: try name.text(), inputSize: try keys["inputSize"]?.axisPair(minimum: 1, limit: 1 << 15, what: "input size"),
                        stride: try keys["stride"]?.axisPair(minimum: 1, limit: 1 << 15, what: "stride"),
                        pad: try keys["pad"]?.pads(limit: 1 << 15),
                        batchNorm: try keys["batchNorm"]?.text())
                }
            }
        }
        if let composition = keys["composition"] {
            settings.composition = ModelComposition(rawValue: try composition.choice(ModelComposition.allCases.map(\.rawValue)))!
        }
        do {
            let selected = try ModelLayerSelection.layers(of: settings)
            guard !selected.isEmpty else { throw InvalidInput("no layer of \(given) can be benchmarked (bench model \(given) says why)") }
        } catch let error as InvalidInput {
            throw node.error(error.message)
        }
        return settings
    }

    /// The `reference:` block: its method parameters (`denseLimit`, `tolerance`,
    /// `maxIterations`, `basisSize`) read by the reference method itself, like any method's, and
    /// its measurement protocol (`repetitions`, `warmup`).
    private static func reference(_ node: ConfigNode?, seed: UInt64) throws -> (settings: SweepConfiguration.ReferenceSettings, run: MethodRun) {
        let parameterKeys = ReferenceMethod.metadata.parameters.map(\.key)
        let keys = try node?.mapping(allowed: parameterKeys + ["repetitions", "warmup"]) ?? [:]
        var raw: [String: String] = [:]
        for key in parameterKeys { raw[key] = try keys[key]?.text() }
        let run: MethodRun
        do {
            run = try MethodCatalog.resolve(id: ReferenceMethod.id, parameters: raw, context: MethodContext(seed: seed))
        } catch let error as InvalidInput {
            throw node?.error(error.message) ?? error
        }
        let exact = (run.method as! ReferenceMethod).settings
        var settings = SweepConfiguration.ReferenceSettings(exact)
        settings.repetitions = try keys["repetitions"]?.positiveInteger(limit: 1000) ?? settings.repetitions
        settings.warmup = try keys["warmup"]?.integer(0...1000, what: "a non-negative integer") ?? settings.warmup
        return (settings, run)
    }

    private static func limits(_ node: ConfigNode) throws -> SweepConfiguration.Limits {
        let keys = try node.mapping(allowed: ["secondsPerPoint", "memoryPerPoint"])
        var limits = SweepConfiguration.Limits()
        limits.secondsPerPoint = try keys["secondsPerPoint"]?.number(0.01...1e7) ?? limits.secondsPerPoint
        limits.memoryBytesPerPoint = try keys["memoryPerPoint"]?.bytes() ?? limits.memoryBytesPerPoint
        // A point's process needs ~20 MiB before any method runs: a smaller cap stops everything.
        if let node = keys["memoryPerPoint"], limits.memoryBytesPerPoint < 64 << 20 {
            throw node.error("memoryPerPoint \(limits.memoryBytesPerPoint) bytes is below what a point's process needs before any method runs; accepted: at least 64MiB")
        }
        return limits
    }

    private static func threads(_ node: ConfigNode) throws -> SweepConfiguration.Threads {
        let keys = try node.mapping(allowed: ["blas", "fft"])
        var threads = SweepConfiguration.Threads()
        threads.blas = try keys["blas"]?.positiveInteger(limit: 256) ?? threads.blas
        threads.fft = try keys["fft"]?.positiveInteger(limit: 256) ?? threads.fft
        return threads
    }

    private static func grid(_ node: ConfigNode, fromFiles: Bool) throws -> SweepConfiguration.GridSpecification {
        let shapeKeys = ["cout", "cin", "kernelSizes"]
        let keys = try node.mapping(allowed: shapeKeys + ["inputSizes", "paddings", "strides", "pads", "dilations", "groups"])
        var grid = SweepConfiguration.GridSpecification()
        if fromFiles {
            if let key = shapeKeys.first(where: { keys[$0] != nil }) {
                throw keys[key]!.error("kernel shapes come from kernel.files; remove '\(key)' from the grid")
            }
        } else {
            for key in ["cout", "kernelSizes"] where keys[key] == nil {
                throw node.error("missing axis '\(key)'")
            }
            grid.cout = try keys["cout"]!.list().map { try $0.positiveInteger(limit: 65536) }
            if let cin = keys["cin"] {
                if let text = cin.node.scalar?.string, text == "same" {
                    grid.cin = nil
                } else {
                    grid.cin = try cin.list().map { try $0.positiveInteger(limit: 65536) }
                }
            }
            grid.kernelSizes = try keys["kernelSizes"]!.list().map { try $0.axisPair(minimum: 1, limit: 1024, what: "kernel size") }
        }
        guard let inputSizes = keys["inputSizes"] else { throw node.error("missing axis 'inputSizes'") }
        grid.inputSizes = try inputSizes.list().map { try $0.axisPair(minimum: 1, limit: 32768, what: "input size") }
        guard let paddings = keys["paddings"] else { throw node.error("missing axis 'paddings' (\(Padding.allCases.map(\.rawValue).joined(separator: ", ")))") }
        grid.paddings = try paddings.list().map { Padding(rawValue: try $0.choice(Padding.allCases.map(\.rawValue)))! }
        if let strides = keys["strides"] { grid.strides = try strides.list().map { try $0.axisPair(minimum: 1, limit: 1024, what: "stride") } }
        if let pads = keys["pads"] { grid.pads = try pads.list().map { try $0.pads(limit: 1024) } }
        if let dilations = keys["dilations"] { grid.dilations = try dilations.list().map { try $0.axisPair(minimum: 1, limit: 1024, what: "dilation") } }
        if let groups = keys["groups"] { grid.groups = try groups.list().map { try $0.positiveInteger(limit: 65536) } }
        return grid
    }

    private static func layer(_ node: ConfigNode) throws -> SweepConfiguration.LayerSpecification {
        let keys = try node.mapping(allowed: ["name", "cout", "cin", "kernelSize", "kernelHeight", "kernelWidth",
                                              "inputSize", "stride", "pad", "paddings", "dilation", "groups", "transposed",
                                              "outputPadding", "dimensions"])
        func required(_ key: String) throws -> ConfigNode {
            guard let value = keys[key] else { throw node.error("missing key '\(key)'") }
            return value
        }
        let size = try keys["kernelSize"]?.positiveInteger(limit: 1024)
        if size != nil, let both = keys["kernelHeight"] ?? keys["kernelWidth"] {
            throw both.error("give either 'kernelSize' (square) or 'kernelHeight' and 'kernelWidth', not both")
        }
        guard let height = try keys["kernelHeight"]?.positiveInteger(limit: 1024) ?? size,
              let width = try keys["kernelWidth"]?.positiveInteger(limit: 1024) ?? size else {
            throw node.error("missing key 'kernelSize' (or kernelHeight and kernelWidth)")
        }
        let transposed = try keys["transposed"].map { try $0.choice(["true", "false"]) == "true" } ?? false
        if !transposed, let outputPadding = keys["outputPadding"] {
            throw outputPadding.error("outputPadding applies to a transposed layer only; add 'transposed: true' or remove it")
        }
        return SweepConfiguration.LayerSpecification(
            name: try required("name").text(),
            cout: try required("cout").positiveInteger(limit: 65536),
            cin: try required("cin").positiveInteger(limit: 65536),
            kernelHeight: height, kernelWidth: width,
            inputSize: try required("inputSize").axisPair(minimum: 1, limit: 32768, what: "input size"),
            stride: try keys["stride"]?.axisPair(minimum: 1, limit: 1024, what: "stride") ?? 1,
            pad: try keys["pad"].flatMap { $0.isNull ? nil : try $0.pads(limit: 1024) },
            paddings: try keys["paddings"].map { try $0.list().map { Padding(rawValue: try $0.choice(Padding.allCases.map(\.rawValue)))! } } ?? [.zero],
            dilation: try keys["dilation"]?.axisPair(minimum: 1, limit: 1024, what: "dilation"),
            groups: try keys["groups"]?.positiveInteger(limit: 65536),
            outputPadding: transposed ? try keys["outputPadding"]?.axisPair(minimum: 0, limit: 1024, what: "output padding") ?? .zero : nil,
            dimensions: try keys["dimensions"]?.integer(1...2, what: "dimensions"))
    }

    /// `precisions: [float64, float32]`: a non-empty list of distinct names, kept in the
    /// canonical order (float64 first).
    private static func precisions(_ node: ConfigNode) throws -> [Precision] {
        var result: [Precision] = []
        for entry in try node.list() {
            let precision = Precision(rawValue: try entry.choice(Precision.allCases.map(\.rawValue)))!
            guard !result.contains(precision) else { throw entry.error("precision '\(precision.rawValue)' is listed twice") }
            result.append(precision)
        }
        guard !result.isEmpty else {
            throw node.error("the list is empty; accepted: one or more of \(Precision.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return result.sorted()
    }

    /// The `methods:` list as the manifest records it, and every method run resolved: each
    /// entry's parameters read once, by `MethodCatalog.resolve` (with the key path in a bad
    /// value's message), then fanned out over the run's precisions; the reference first, from
    /// the `reference:` block (`reference`, already resolved).
    private static func methods(
        _ node: ConfigNode, config: SweepConfiguration, reference: MethodRun
    ) throws -> (specifications: [SweepConfiguration.MethodSpecification], runs: [PlannedRun]) {
        var specifications: [SweepConfiguration.MethodSpecification] = [
            .init(id: ReferenceMethod.id, parameters: reference.parameters,
                  repetitions: config.reference.repetitions, warmup: config.reference.warmup),
        ]
        var resolved: [MethodRun] = [reference]
        let context = MethodContext(seed: config.seed, topK: config.topK)
        // Ids given by their own entry, with the entry's path: an entry may refine a method that
        // `all` added, but two entries for one id would silently lose the first.
        var explicit: [String: String] = [:]
        func place(_ specification: SweepConfiguration.MethodSpecification, _ run: MethodRun) {
            if let index = specifications.firstIndex(where: { $0.id == specification.id }) {
                specifications[index] = specification
                resolved[index] = run
            } else {
                specifications.append(specification)
                resolved.append(run)
            }
        }
        for entry in try node.list() {
            var specification: SweepConfiguration.MethodSpecification
            if entry.node.scalar != nil {
                let id = try entry.text()
                if id == "all" {
                    for run in MethodCatalog.defaultRuns(context: context) where !specifications.contains(where: { $0.id == run.id }) {
                        place(.init(id: run.id), run)
                    }
                    continue
                }
                specification = .init(id: id)
            } else {
                let keys = try entry.mapping(allowed: ["id", "parameters", "repetitions", "warmup"])
                guard let idNode = keys["id"] else { throw entry.error("missing key 'id'") }
                specification = .init(id: try idNode.text())
                if let parameters = keys["parameters"] {
                    for (key, value) in try parameters.anyMapping() { specification.parameters[key] = try value.text() }
                }
                specification.repetitions = try keys["repetitions"]?.positiveInteger(limit: 1000)
                specification.warmup = try keys["warmup"]?.integer(0...1000, what: "a non-negative integer")
            }
            guard MethodCatalog.ids.contains(specification.id) else {
                throw entry.error("unknown method '\(specification.id)'; accepted: \(MethodCatalog.ids.joined(separator: ", ")), or all")
            }
            if specification.id == ReferenceMethod.id {
                guard specification.parameters.isEmpty else {
                    throw entry.error("set the reference's parameters in the 'reference' block (\(ReferenceMethod.metadata.parameters.map(\.key).joined(separator: ", ")))")
                }
                continue
            }
            let run: MethodRun
            do {
                run = try MethodCatalog.resolve(id: specification.id, parameters: specification.parameters, context: context)
            } catch let error as InvalidInput {
                throw entry.error(error.message)
            }
            if let first = explicit[specification.id] {
                throw entry.error("method '\(specification.id)' is already listed at \(first); a method runs once per point with one set of parameters, so the first entry would be lost; accepted: one entry per method (run a variant in a second config)")
            }
            explicit[specification.id] = entry.path
            place(specification, run)
        }
        let runs = zip(specifications, resolved).flatMap { specification, run in
            let supported = type(of: run.method).precisions
            let precisions = config.precisions.filter(supported.contains)
            return (precisions.isEmpty ? [.float64] : precisions).map { precision in
                PlannedRun(run: MethodRun(method: run.method, precision: precision),
                           warmup: specification.warmup ?? config.warmup, repetitions: specification.repetitions ?? config.repetitions)
            }
        }
        return (specifications, runs)
    }

    private static func paperValue(_ node: ConfigNode) throws -> SweepConfiguration.PaperValue {
        let keys = try node.mapping(allowed: ["source", "cout", "cin", "kernelSize", "inputSize", "padding", "stride", "relativeErrors"])
        func required(_ key: String) throws -> ConfigNode {
            guard let value = keys[key] else { throw node.error("missing key '\(key)'") }
            return value
        }
        var errors: [String: Double] = [:]
        for (id, value) in try required("relativeErrors").anyMapping() {
            guard MethodCatalog.ids.contains(id) else {
                throw value.error("unknown method '\(id)'; accepted: \(MethodCatalog.ids.joined(separator: ", "))")
            }
            errors[id] = try value.number(-1e9...1e9)
        }
        return SweepConfiguration.PaperValue(
            source: try required("source").text(),
            cout: try required("cout").positiveInteger(limit: 65536),
            cin: try required("cin").positiveInteger(limit: 65536),
            kernelSize: try required("kernelSize").positiveInteger(limit: 1024),
            inputSize: try required("inputSize").positiveInteger(limit: 32768),
            padding: Padding(rawValue: try required("padding").choice(Padding.allCases.map(\.rawValue)))!,
            stride: try keys["stride"]?.positiveInteger(limit: 1024) ?? 1,
            relativeErrors: errors)
    }

    /// Every point must be a valid operator (docs/methods.md §5): circular strides divide the
    /// side, kernels fit the padded input, groups divide the channels, reflect pads are below
    /// the side, output padding below the stride.
    private static func checkGeometries(_ config: SweepConfiguration, top: [String: ConfigNode]) throws {
        let fileShapes = try config.kernel.files.map { try NumpyFile.readKernel(path: $0).shape }
        for (index, grid) in config.grids.enumerated() {
            let path = top["grids"] != nil ? "grids[\(index)]" : "grid"
            let shapes: [KernelShape] = fileShapes.isEmpty
                ? grid.cout.flatMap { cout in (grid.cin ?? [cout]).flatMap { cin in grid.kernelSizes.map {
                    KernelShape(outputChannels: cout, inputChannels: cin, height: $0.height, width: $0.width) } } }
                : fileShapes
            do {
                try grid.forEachOperator(shapes: shapes.map { ($0, ()) }) { _, _ in }
            } catch let error as InvalidInput {
                throw InvalidInput("\(top["grids"]?.file ?? top["grid"]?.file ?? ""): \(path): \(error.message)")
            }
        }
        for (index, layer) in config.layers.enumerated() {
            for padding in layer.paddings {
                do {
                    _ = try layer.geometry(padding: padding)
                } catch let error as InvalidInput {
                    throw InvalidInput("\(top["layers"]?.file ?? ""): layers[\(index)] (\(layer.name)): \(error.message)")
                }
            }
        }
    }
}
