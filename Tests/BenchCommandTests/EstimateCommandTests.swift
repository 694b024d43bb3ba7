import Foundation
import Testing
import SpecBenchHarness
import SpecBenchResults
import TestSupport

/// End-to-end tests of `bench estimate`: the JSON contract, and exit code 64 with a clear message
/// for every kind of bad input.
@Suite("bench estimate")
struct EstimateCommandTests {
    static let directory = BenchProcess.temporaryDirectory()

    /// Writes raw bytes to a file in the test directory and returns its path.
    static func file(_ name: String, _ bytes: [UInt8]) -> String {
        let url = directory.appendingPathComponent(name)
        try! Data(bytes).write(to: url)
        return url.path
    }

    static func npy(descr: String = "<f8", fortran: String = "False", shape: String, payload: [UInt8]) -> [UInt8] {
        var header = "{'descr': '\(descr)', 'fortran_order': \(fortran), 'shape': \(shape), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count), 0] + Array(header.utf8) + payload
    }

    static func doubles(_ values: [Double]) -> [UInt8] {
        values.flatMap { value in (0..<8).map { UInt8(truncatingIfNeeded: value.bitPattern >> (8 * UInt64($0))) } }
    }

    static let nine = doubles((0..<9).map { Double($0) })

    @Test("JSON output carries the documented keys and the reference value")
    func jsonContract() throws {
        let output = try BenchProcess.run([
            "estimate", "--random", "2,3,3,3", "--seed", "5", "--input-size", "5", "--padding", "zero",
            "--methods", "reference", "--top-k", "2",
        ])
        #expect(output.status == 0, "\(output.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        let op = try #require(object["operator"] as? [String: Any])
        for key in ["cout", "cin", "kh", "kw", "inputSize", "padding", "stride", "pad"] {
            #expect(op[key] != nil, "operator.\(key) missing")
        }
        #expect(object["seed"] as? Int == 5)
        let results = try #require(object["results"] as? [[String: Any]])
        #expect(results.count == 1)
        for key in ["method", "status", "value", "values", "guarantee", "tier", "seconds", "peakBytes", "message"] {
            #expect(results[0].keys.contains(key), "results[0].\(key) missing")
        }
        #expect(results[0]["status"] as? String == "ok")
        #expect(results[0]["guarantee"] as? String == "exact")
        #expect(results[0]["tier"] as? String == "dense")
        #expect((results[0]["values"] as? [Double])?.count == 2)
        let report = try JSONDecoder().decode(EstimateReport.self, from: Data(output.stdout.utf8))
        #expect(report.results[0].value == report.results[0].values[0])
    }

    @Test("a kernel exported as .npy reads back to the same values")
    func exportAndReload() throws {
        let path = Self.directory.appendingPathComponent("exported.npy").path
        let first = try BenchProcess.run([
            "estimate", "--random", "3,2,3,3", "--seed", "8", "--input-size", "4", "--padding", "circular",
            "--methods", "reference", "--export-kernel", path,
        ])
        let second = try BenchProcess.run([
            "estimate", "--kernel", path, "--input-size", "4", "--padding", "circular", "--methods", "reference",
        ])
        #expect(first.status == 0 && second.status == 0)
        let a = try JSONDecoder().decode(EstimateReport.self, from: Data(first.stdout.utf8))
        let b = try JSONDecoder().decode(EstimateReport.self, from: Data(second.stdout.utf8))
        #expect(a.results[0].value == b.results[0].value)
    }

    /// A bad input and words its error message must contain.
    struct BadInput: CustomTestStringConvertible, Sendable {
        let name: String
        let arguments: [String]
        let mentions: [String]
        var testDescription: String { name }
    }

    static let badInputs: [BadInput] = {
        let common = ["--input-size", "5", "--padding", "zero", "--methods", "reference"]
        func kernelFile(_ name: String, _ bytes: [UInt8]) -> [String] { ["estimate", "--kernel", file(name, bytes)] + common }
        return [
            BadInput(name: "missing file", arguments: ["estimate", "--kernel", "/nonexistent/k.npy"] + common,
                     mentions: ["/nonexistent/k.npy", "does not exist"]),
            BadInput(name: "not an npy file", arguments: kernelFile("text.npy", Array("just some text\n".utf8)),
                     mentions: ["text.npy", "magic"]),
            BadInput(name: "truncated header", arguments: kernelFile("cut.npy", Array(npy(shape: "(1, 1, 3, 3)", payload: nine).prefix(30))),
                     mentions: ["truncated"]),
            BadInput(name: "truncated data", arguments: kernelFile("short.npy", npy(shape: "(1, 1, 3, 3)", payload: Array(nine.prefix(50)))),
                     mentions: ["truncated", "72 bytes"]),
            BadInput(name: "unsupported dtype", arguments: kernelFile("int.npy", npy(descr: "<i8", shape: "(1, 1, 3, 3)", payload: nine)),
                     mentions: ["'<i8'", "<f8"]),
            BadInput(name: "Fortran order", arguments: kernelFile("fortran.npy", npy(fortran: "True", shape: "(1, 1, 3, 3)", payload: nine)),
                     mentions: ["Fortran"]),
            BadInput(name: "wrong rank (5-D)", arguments: kernelFile("rank5.npy", npy(shape: "(1, 1, 1, 3, 3)", payload: nine)),
                     mentions: ["rank 5", "(cout, cin, kh, kw)", "(cout, cin, k)"]),
            BadInput(name: "NaN entry", arguments: kernelFile("nan.npy", npy(shape: "(1, 1, 3, 3)", payload: doubles([0, 1, 2, .nan, 4, 5, 6, 7, 8]))),
                     mentions: ["[0, 0, 1, 0]", "nan", "finite"]),
            BadInput(name: "Inf entry", arguments: kernelFile("inf.npy", npy(shape: "(1, 1, 3, 3)", payload: doubles([0, 1, 2, 3, 4, 5, 6, 7, -.infinity]))),
                     mentions: ["[0, 0, 2, 2]", "inf"]),
            BadInput(name: "n < 1", arguments: ["estimate", "--random", "1,1,3,3", "--input-size", "0", "--padding", "zero", "--methods", "reference"],
                     mentions: ["n = 0", "positive"]),
            BadInput(name: "kernel larger than the padded input",
                     arguments: ["estimate", "--random", "1,1,5,5", "--input-size", "3", "--padding", "zero", "--pad", "0", "--methods", "reference"],
                     mentions: ["5×5", "larger", "3×3"]),
            BadInput(name: "circular stride not dividing n",
                     arguments: ["estimate", "--random", "1,1,3,3", "--input-size", "5", "--padding", "circular", "--stride", "2", "--methods", "reference"],
                     mentions: ["stride 2", "n = 5", "accepted strides"]),
            BadInput(name: "unknown method id", arguments: ["estimate", "--random", "1,1,3,3", "--input-size", "5", "--padding", "zero", "--methods", "reference,magic"],
                     mentions: ["'magic'", "reference"]),
            BadInput(name: "top-k larger than the rank",
                     arguments: ["estimate", "--random", "1,1,3,3", "--input-size", "2", "--padding", "zero", "--methods", "reference", "--top-k", "5"],
                     mentions: ["top-k = 5", "4 singular values"]),
            BadInput(name: "unknown padding", arguments: ["estimate", "--random", "1,1,3,3", "--input-size", "5", "--padding", "mirror", "--methods", "reference"],
                     mentions: ["'mirror'", "'zero'", "'circular'", "'reflect'", "'replicate'"]),
            BadInput(name: "malformed shape", arguments: ["estimate", "--random", "1,1", "--input-size", "5", "--padding", "zero", "--methods", "reference"],
                     mentions: ["'1,1'", "COUT,CIN,KH,KW", "COUT,CIN,K"]),
            BadInput(name: "a 5-D random kernel", arguments: ["estimate", "--random", "1,1,1,3,3", "--input-size", "5", "--padding", "zero", "--methods", "reference"],
                     mentions: ["'1,1,1,3,3'", "COUT,CIN,KH,KW"]),
            BadInput(name: "groups not dividing the channels", arguments: ["estimate", "--random", "6,2,3,3", "--groups", "4", "--input-size", "8", "--padding", "zero", "--methods", "reference"],
                     mentions: ["groups 4", "cout = 6", "divisor"]),
            BadInput(name: "dilation making the kernel larger than the padded input",
                     arguments: ["estimate", "--random", "2,2,3,3", "--dilation", "3", "--pad", "0", "--input-size", "4", "--padding", "zero", "--methods", "reference"],
                     mentions: ["dilation 3", "extent 7×7", "larger than the padded input 4×4"]),
            BadInput(name: "output padding not below the stride",
                     arguments: ["estimate", "--random", "2,2,3,3", "--transposed", "--stride", "2", "--output-padding", "2", "--input-size", "4", "--padding", "zero", "--methods", "reference"],
                     mentions: ["output padding 2", "stride 2", "stride − 1"]),
            BadInput(name: "output padding without --transposed",
                     arguments: ["estimate", "--random", "2,2,3,3", "--output-padding", "1", "--input-size", "4", "--padding", "zero", "--methods", "reference"],
                     mentions: ["--output-padding", "--transposed"]),
            BadInput(name: "reflect pad not below the side",
                     arguments: ["estimate", "--random", "2,2,3,3", "--pad", "4", "--input-size", "4", "--padding", "reflect", "--methods", "reference"],
                     mentions: ["reflect", "pads 4", "4×4"]),
            BadInput(name: "malformed pads", arguments: ["estimate", "--random", "2,2,3,3", "--pad", "1,2,3", "--input-size", "4", "--padding", "zero", "--methods", "reference"],
                     mentions: ["invalid pad 1,2,3", "T,L,B,R"]),
            BadInput(name: "both kernel sources", arguments: ["estimate", "--random", "1,1,3,3", "--kernel", "k.npy", "--input-size", "5", "--padding", "zero", "--methods", "reference"],
                     mentions: ["not both"]),
        ]
    }()

    @Test("bad input exits 64 with a message naming the bad value", arguments: badInputs)
    func badInput(_ bad: BadInput) throws {
        let output = try BenchProcess.run(bad.arguments)
        #expect(output.status == 64, "exit \(output.status); stderr: \(output.stderr)")
        #expect(output.stdout.isEmpty, "nothing on stdout for a bad input")
        for word in bad.mentions {
            #expect(output.stderr.contains(word), "stderr should mention \(word): \(output.stderr)")
        }
        #expect(!output.stderr.contains("Fatal error"), "must not crash")
    }
}
