import Foundation
import Testing
import NumericCore
import SpecBenchCore
import SpecBenchMethods

/// The catalog's metadata is consistent, and the docs generated from it are the ones committed.
@Suite("Method catalog and generated docs")
struct MethodCatalogTests {
    @Test("ids, styles and parameter keys are unique; every declared default is accepted and reads back")
    func metadataIsConsistent() throws {
        let all = MethodCatalog.all.map { $0.metadata }
        #expect(Set(all.map(\.id)).count == all.count)
        #expect(Set(all.map(\.style.color)).count == all.count, "each method its own color")
        for metadata in all {
            #expect(Set(metadata.parameters.map(\.key)).count == metadata.parameters.count, "\(metadata.id)")
            #expect(!metadata.precisions.isEmpty && metadata.precisions.contains(.float64), "\(metadata.id)")
            // Building the method with no parameters gives the declared defaults.
            let method = try MethodCatalog.resolve(id: metadata.id, parameters: [:], context: MethodContext(seed: 0, topK: 1)).method
            for parameter in metadata.parameters where parameter.key != "k" {
                #expect(method.parameterValues[parameter.key] == parameter.defaultText, "\(metadata.id).\(parameter.key)")
            }
            #expect(Set(method.parameterValues.keys) == Set(metadata.parameters.map(\.key)), "\(metadata.id): recorded keys are the declared ones")
            // Each recorded default is accepted when given back as text.
            let echoed = try MethodCatalog.resolve(id: metadata.id, parameters: method.parameterValues, context: MethodContext(seed: 0, topK: 1)).method
            #expect(echoed.parameterValues == method.parameterValues, "\(metadata.id)")
            // Every validation variant is a valid parameter set.
            for variant in metadata.validationVariants {
                #expect(throws: Never.self) { try MethodCatalog.resolve(id: metadata.id, parameters: variant, context: MethodContext(seed: 0)).method }
            }
        }
        #expect(ReferenceMethod.precisions == [.float64])
    }

    @Test("a bad parameter value names the parameter and what is accepted")
    func badParameterMessage() {
        #expect {
            try MethodCatalog.resolve(id: "gram-zero", parameters: ["side": "middle"], context: MethodContext(seed: 0)).method
        } throws: { error in
            "\(error)".contains("gram-zero.side") && "\(error)".contains("larger, smaller")
        }
        #expect {
            try MethodCatalog.resolve(id: "tn-bound", parameters: ["restarts": "0"], context: MethodContext(seed: 0)).method
        } throws: { error in
            "\(error)".contains("an integer from 1 to 1000")
        }
    }

    /// The package root, from this file's path.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The text between (and including) two marker lines of a file.
    static func block(in file: String, from begin: String, to end: String) throws -> String? {
        let text = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
        guard let start = text.range(of: begin), let stop = text.range(of: end, range: start.upperBound..<text.endIndex) else { return nil }
        return String(text[start.lowerBound..<stop.upperBound]) + "\n"
    }

    @Test("bench-configs/README.md holds the parameter table generated from the metadata")
    func parameterTableIsCurrent() throws {
        let committed = try Self.block(in: "bench-configs/README.md", from: MethodDocumentation.beginMarker, to: MethodDocumentation.endMarker)
        #expect(committed == MethodDocumentation.markdownTable(),
                "regenerate it: swift run bench methods --format markdown, and paste it over the block")
    }

    @Test("README.md holds the method overview generated from the metadata")
    func overviewIsCurrent() throws {
        let committed = try Self.block(in: "README.md", from: MethodDocumentation.overviewBeginMarker, to: MethodDocumentation.overviewEndMarker)
        #expect(committed == MethodDocumentation.overviewTable(),
                "regenerate it: swift run bench methods --format overview, and paste it over the block")
    }

    @Test("bench methods --update rewrites a stale generated block and nothing else; a file without one is refused")
    func updatingBlocks() {
        let stale = "intro\n" + MethodDocumentation.beginMarker + "\n| old table |\n" + MethodDocumentation.endMarker + "\noutro\n"
        #expect(MethodDocumentation.updating(stale) == "intro\n" + MethodDocumentation.markdownTable() + "outro\n")
        let current = "intro\n" + MethodDocumentation.overviewTable() + "outro\n"
        #expect(MethodDocumentation.updating(current) == current, "a current block is left as it is")
        #expect(MethodDocumentation.updating("no generated block here\n") == nil)
    }
}
