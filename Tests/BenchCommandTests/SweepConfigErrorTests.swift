import Foundation
import Testing
import TestSupport

/// Invalid configs end with exit 64 and a message naming the key path and what is accepted.
@Suite("Invalid sweep configs")
struct SweepConfigErrorTests {
    static let base = """
        grid:
          cout: [2]
          kernelSizes: [3]
          inputSizes: [4]
          paddings: [zero]
        methods: [sedghi]
        """

    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let text: String
        let mentions: [String]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "unknown key", text: base + "\nrepetitons: 3\n", mentions: ["repetitons", "unknown key", "repetitions"]),
        Case(name: "unknown nested key", text: base.replacingOccurrences(of: "  paddings: [zero]", with: "  paddings: [zero]\n  strided: [2]"),
             mentions: ["grid.strided", "accepted here"]),
        Case(name: "unknown method", text: base.replacingOccurrences(of: "[sedghi]", with: "[sedghi, fastclip]"),
             mentions: ["methods[1]", "fastclip", "powerqr"]),
        Case(name: "unknown method parameter", text: base.replacingOccurrences(of: "methods: [sedghi]", with: "methods:\n  - id: powerqr\n    parameters: {iters: 3}"),
             mentions: ["methods[0]", "powerqr.iters"]),
        Case(name: "one method listed twice", text: base.replacingOccurrences(of: "methods: [sedghi]", with: "methods:\n  - all\n  - id: gram-circular\n    parameters: {iterations: 4}\n  - gram-circular"),
             mentions: ["methods[2]", "gram-circular", "already listed at methods[1]"]),
        Case(name: "unknown precision", text: base + "\nprecisions: [float64, float16]\n",
             mentions: ["precisions[1]", "float16", "float64, float32"]),
        Case(name: "empty axis", text: base.replacingOccurrences(of: "inputSizes: [4]", with: "inputSizes: []"),
             mentions: ["grid.inputSizes", "empty"]),
        Case(name: "zero size", text: base.replacingOccurrences(of: "inputSizes: [4]", with: "inputSizes: [4, 0]"),
             mentions: ["grid.inputSizes[1]", "0", "positive"]),
        Case(name: "negative size", text: base.replacingOccurrences(of: "cout: [2]", with: "cout: [-2]"),
             mentions: ["grid.cout", "-2", "positive"]),
        Case(name: "stride that cannot apply", text: base.replacingOccurrences(of: "paddings: [zero]", with: "paddings: [circular]\n  strides: [3]"),
             mentions: ["grid", "stride 3", "n = 4"]),
        Case(name: "kernel larger than the padded input", text: base.replacingOccurrences(of: "paddings: [zero]", with: "paddings: [zero]\n  pads: [0]").replacingOccurrences(of: "kernelSizes: [3]", with: "kernelSizes: [5]"),
             mentions: ["grid", "5×5", "larger"]),
        Case(name: "malformed YAML", text: "grid:\n  cout: [2\n  kernelSizes: 3\n", mentions: ["malformed YAML"]),
        Case(name: "missing kernel file", text: "kernel:\n  files: [missing.npy]\n" + base.replacingOccurrences(of: "  cout: [2]\n  kernelSizes: [3]\n", with: ""),
             mentions: ["kernel.files", "missing.npy", "does not exist"]),
        Case(name: "bad memory limit", text: base + "\nlimits:\n  memoryPerPoint: lots\n", mentions: ["limits.memoryPerPoint", "lots", "GiB"]),
        Case(name: "no points", text: "methods: [sedghi]\n", mentions: ["no points"]),
        Case(name: "kernelSize and kernelHeight together",
             text: "layers:\n  - {name: l, cout: 2, cin: 2, kernelSize: 5, kernelHeight: 3, inputSize: 6}\nmethods: [sedghi]\n",
             mentions: ["layers[0].kernelHeight", "not both"]),
        Case(name: "memory cap below a process", text: base + "\nlimits:\n  memoryPerPoint: 1KiB\n",
             mentions: ["limits.memoryPerPoint", "64MiB"]),
        Case(name: "normalize without a target", text: "kernel:\n  normalize: {}\n" + base,
             mentions: ["kernel.normalize", "spectralNorm"]),
        Case(name: "normalize to a negative norm", text: "kernel:\n  normalize: {spectralNorm: -1}\n" + base,
             mentions: ["kernel.normalize.spectralNorm", "-1"]),
        Case(name: "unknown lipbound version", text: base.replacingOccurrences(of: "methods: [sedghi]", with: "methods:\n  - id: lipbound\n    parameters: {version: v3}"),
             mentions: ["methods[0]", "v3", "v1, v2"]),
    ]

    @Test("exit 64 with the key path", arguments: cases)
    func invalidConfig(_ testCase: Case) throws {
        let (config, folder) = SweepFixture.config(testCase.text)
        let output = try SweepFixture.sweep(config, output: folder.appendingPathComponent("run"))
        #expect(output.status == 64, "exit \(output.status): \(output.stderr)")
        for word in testCase.mentions {
            #expect(output.stderr.contains(word), "should mention '\(word)': \(output.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("run/results.jsonl").path))
    }

    @Test("a missing config file exits 64")
    func missingConfig() throws {
        let output = try BenchProcess.run(["--sweep", "/nonexistent/config.yaml"])
        #expect(output.status == 64 && output.stderr.contains("/nonexistent/config.yaml"))
    }
}
