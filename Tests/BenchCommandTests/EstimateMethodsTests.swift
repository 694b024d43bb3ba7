import Foundation
import Testing
import SpecBenchMethods
import SpecBenchHarness
import SpecBenchResults
import TestSupport

@Suite("bench estimate with the methods")
struct EstimateMethodsTests {
    @Test("--methods all --format text prints every method with value, relative error, guarantee and held")
    func textTable() throws {
        let output = try BenchProcess.run([
            "estimate", "--random", "3,2,3,3", "--input-size", "6", "--padding", "circular", "--methods", "all",
            "--format", "text",
        ])
        #expect(output.status == 0, "\(output.stderr)")
        let lines = output.stdout.split(separator: "\n").map(String.init)
        let header = try #require(lines.first { $0.hasPrefix("method") })
        for column in ["value", "rel. error", "guarantee", "held", "time", "memory"] {
            #expect(header.contains(column))
        }
        for id in MethodCatalog.ids {
            let row = try #require(lines.first { $0.hasPrefix(id + " ") }, "row for \(id)")
            #expect(row.contains(" ok "), "\(row)")
        }
        let sedghi = try #require(lines.first { $0.hasPrefix("sedghi ") })
        #expect(sedghi.contains("exact") && sedghi.contains("yes"))
        let lipbound = try #require(lines.first { $0.hasPrefix("lipbound ") })
        #expect(lipbound.contains("upper") && lipbound.contains("%"))
    }

    @Test("JSON results carry the signed relative error and whether the guarantee held")
    func relativeErrors() throws {
        let report = try EstimateFixture.report([
            "--random", "2,3,3,3", "--input-size", "5", "--padding", "zero", "--methods", "all",
            "--param", "powerqr.iterations=200", "--param", "fantastic-four.exact=true", "--seed", "4",
        ])
        let reference = try #require(report.results.first { $0.method == "reference" }?.value)
        for result in report.results where result.method != "reference" {
            let value = try #require(result.value, "\(result.method)")
            let error = try #require(result.relativeError, "\(result.method)")
            #expect(abs(error - (value - reference) / reference) < 1e-15)
            switch result.guarantee {
            case .upper?, .lower?: #expect(result.guaranteeHeld == true, "\(result.method)")
            case .estimate?: #expect(result.guaranteeHeld == nil)
            default: break
            }
        }
        #expect(report.results.first { $0.method == "powerqr" }?.parameters["iterations"] == "200")
        #expect(report.results.first { $0.method == "powerqr" }?.iterations == 200)
        // A lower estimate lies below, an upper bound above.
        #expect(try #require(report.results.first { $0.method == "power-iteration" }?.relativeError) <= 0)
        #expect(try #require(report.results.first { $0.method == "gram-zero" }?.relativeError) >= 0)
    }

    @Test("an even kernel makes lipbound not-applicable, with the reason, and the others still run")
    func notApplicable() throws {
        let output = try BenchProcess.run([
            "estimate", "--random", "2,2,2,2", "--input-size", "4", "--padding", "zero", "--methods", "lipbound,sedghi",
        ])
        #expect(output.status == 0)
        let report = try JSONDecoder().decode(EstimateReport.self, from: Data(output.stdout.utf8))
        #expect(report.results[0].status == .notApplicable)
        #expect(report.results[0].value == nil)
        #expect(report.results[0].message?.contains("odd square") == true)
        #expect(report.results[1].status == .ok)
    }

    @Test("bad method parameters exit 64 naming the parameter", arguments: [
        (["--param", "powerqr.iters=5"], "powerqr.iters"),
        (["--param", "powerqr.iterations=zero"], "powerqr.iterations"),
        (["--param", "gram-zero.iterations=5"], "gram-zero"),
        (["--param", "nothing"], "METHOD.KEY=VALUE"),
    ])
    func badParameters(_ flags: [String], _ mention: String) throws {
        let output = try BenchProcess.run([
            "estimate", "--random", "1,1,3,3", "--input-size", "4", "--padding", "zero", "--methods", "powerqr",
        ] + flags)
        #expect(output.status == 64)
        #expect(output.stderr.contains(mention), "\(output.stderr)")
    }
}
