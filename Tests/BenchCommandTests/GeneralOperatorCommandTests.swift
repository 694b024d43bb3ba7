import Foundation
import Testing
import SpecBenchCore
import SpecBenchHarness
import SpecBenchResults
import TestSupport

/// The general operators of docs/methods.md §5 where users state them: `bench estimate`'s options
/// and JSON, sweep grids' axes and layers, and records that older runs still read.
@Suite("General operators on the command line, in configs and in records")
struct GeneralOperatorCommandTests {
    static func operatorObject(_ arguments: [String]) throws -> [String: Any] {
        let output = try BenchProcess.run(["estimate"] + arguments + ["--methods", "reference,power-iteration,lipbound"])
        #expect(output.status == 0, "\(output.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        let results = try #require(object["results"] as? [[String: Any]])
        // The reference ran, and power iteration's lower estimate stayed below it.
        let reference = try #require(results.first { $0["method"] as? String == "reference" }?["value"] as? Double)
        let power = try #require(results.first { $0["method"] as? String == "power-iteration" })
        #expect((power["value"] as? Double ?? .infinity) <= reference * (1 + 1e-9) && power["guaranteeHeld"] as? Bool == true)
        return try #require(object["operator"] as? [String: Any])
    }

    @Test("a square, symmetric, ungrouped operator writes exactly the fields it always wrote")
    func classicFieldsUnchanged() throws {
        let o = try Self.operatorObject(["--random", "3,2,3,3", "--input-size", "8", "--padding", "zero", "--stride", "2"])
        #expect(Set(o.keys) == ["cout", "cin", "kh", "kw", "inputSize", "padding", "stride", "pad"])
        #expect(o["stride"] as? Int == 2 && o["pad"] as? [Int] == [1, 1])
    }

    @Test("depthwise, dilated, rectangular, asymmetric, reflect, transposed and 1-D operators write their fields")
    func generalFields() throws {
        let depthwise = try Self.operatorObject(["--random", "6,1,3,3", "--groups", "6", "--input-size", "9,7", "--padding", "reflect",
                                                 "--dilation", "2", "--pad", "2,1,1,2", "--stride", "2,1"])
        #expect(depthwise["groups"] as? Int == 6 && depthwise["dilation"] as? Int == 2 && depthwise["inputHeight"] as? Int == 9
                && depthwise["inputWidth"] as? Int == 7 && depthwise["inputSize"] == nil && depthwise["pads"] as? [Int] == [2, 1, 1, 2]
                && depthwise["stride"] as? [Int] == [2, 1] && depthwise["padding"] as? String == "reflect")
        let transposed = try Self.operatorObject(["--random", "4,3,3,3", "--transposed", "--stride", "2", "--output-padding", "1",
                                                  "--pad", "1", "--input-size", "5", "--padding", "zero"])
        // The forward convolution on the layer's 10×10 output: (5 − 1)·2 − 2 + 3 + 1.
        #expect(transposed["transposed"] as? Bool == true && transposed["outputPadding"] as? Int == 1 && transposed["inputSize"] as? Int == 10)
        let line = try Self.operatorObject(["--random", "3,2,5", "--input-size", "16", "--padding", "zero"])
        #expect(line["dimensions"] as? Int == 1 && line["kh"] as? Int == 1 && line["inputHeight"] as? Int == 1 && line["inputWidth"] as? Int == 16)
    }

    @Test("records round-trip; a record written before the general operators reads as the operator of §1")
    func recordsRoundTrip() throws {
        let general = try ConvolutionGeometry(
            shape: KernelShape(outputChannels: 4, inputChannels: 1, height: 3, width: 5), inputHeight: 6, inputWidth: 11, padding: .replicate,
            stride: AxisPair(1, 2), dilation: AxisPair(2, 1), pads: Pads(top: 2, left: 0, bottom: 1, right: 3), groups: 4)
        let description = OperatorDescription(general)
        let decoded = try JSONDecoder().decode(OperatorDescription.self, from: try JSONEncoder().encode(description))
        let rebuilt = try decoded.geometry()
        #expect(decoded == description && rebuilt == general)
        let old = #"{"cout":16,"cin":8,"kh":3,"kw":3,"inputSize":32,"padding":"zero","stride":1,"pad":[1,1]}"#
        let read = try JSONDecoder().decode(OperatorDescription.self, from: Data(old.utf8))
        let square = try ConvolutionGeometry(shape: KernelShape(outputChannels: 16, inputChannels: 8, height: 3, width: 3), inputSize: 32, padding: .zero)
        let readGeometry = try read.geometry()
        #expect(read.isClassic && readGeometry == square)
    }

    @Test("grid axes (dilations, groups, reflect, rectangular sizes) and general layers expand to their points")
    func configAxes() throws {
        let (path, _) = SweepFixture.config("""
            name: general
            grid:
              cout: [4]
              cin: [1]
              kernelSizes: [3]
              inputSizes: [8, [6, 10]]
              paddings: [zero, reflect]
              dilations: [1, 2]
              groups: [1, 4]
            layers:
              - {name: up, cout: 4, cin: 2, kernelSize: 2, inputSize: 5, stride: 2, transposed: true}
              - {name: line, cout: 3, cin: 2, kernelHeight: 1, kernelWidth: 5, inputSize: 20, dimensions: 1, pad: [0, 2, 0, 2]}
              - {name: wide, cout: 2, cin: 2, kernelSize: 3, inputSize: [4, 10], stride: [1, 2], paddings: [circular, replicate]}
            methods: [reference]
            """)
        let points = try SweepPoint.expand(try SweepConfigurationParser.parse(path: path).configuration)
        // 2 sizes × 2 paddings × 2 dilations × 2 groups, then 1 + 1 + 2 layer points.
        #expect(points.count == 16 + 4)
        #expect(points.contains { $0.operator.groups == 4 && $0.operator.dilation == AxisPair(2) && $0.operator.padding == .reflect
                                  && $0.operator.inputHeight == 6 && $0.operator.inputWidth == 10 && $0.id.contains("-d2-g4") })
        let up = try #require(points.first { $0.label == "up" })
        #expect(up.operator.transposed && up.operator.inputHeight == 10 && up.operator.stride == AxisPair(2) && up.id.contains("-t0"))
        let line = try #require(points.first { $0.label == "line" })
        #expect(line.operator.dimensions == 1 && line.operator.pads == Pads(top: 0, left: 2, bottom: 0, right: 2))
        #expect(points.filter { $0.label == "wide" }.map(\.operator.padding) == [.circular, .replicate])
    }

    @Test("a bad geometry in a config is a located one-line error, exit 64", arguments: [
        ("grid: {cout: [6], cin: [1], kernelSizes: [3], inputSizes: [8], paddings: [zero], groups: [4]}", "groups 4 do not divide"),
        ("grid: {cout: [2], kernelSizes: [3], inputSizes: [4], paddings: [zero], dilations: [3], pads: [0]}", "larger than the padded input"),
        ("grid: {cout: [2], kernelSizes: [3], inputSizes: [4], paddings: [reflect], pads: [4]}", "reflect padding needs each pad smaller"),
        ("layers: [{name: up, cout: 2, cin: 2, kernelSize: 3, inputSize: 4, stride: 2, transposed: true, outputPadding: 2}]", "invalid output padding 2"),
        ("layers: [{name: x, cout: 2, cin: 2, kernelSize: 3, inputSize: 4, outputPadding: 1}]", "outputPadding applies to a transposed layer only"),
    ])
    func badConfigGeometry(_ block: String, _ expected: String) throws {
        let (path, _) = SweepFixture.config("name: bad\n\(block)\nmethods: [reference]\n")
        let output = try BenchProcess.run(["--sweep", path])
        #expect(output.status == 64 && output.stderr.contains(expected), "\(output.stderr)")
        #expect(output.stderr.split(separator: "\n").count == 1, "\(output.stderr)")
    }
}
