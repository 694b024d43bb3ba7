import Foundation
import Testing
import SpecBenchHarness
import SpecBenchResults
import SpecBenchMethods
import TestSupport

/// Issue "every method exactly as published, and no crash at real layer sizes", at the command line.
@Suite("bench estimate: real layer sizes, per-value guarantees, normalised kernels")
struct FidelityCommandTests {
    @Test("128 channels, n = 32, circular: sedghi and the fft-block-svd reference run and agree (was SIGSEGV in OpenBLAS)")
    func oneHundredTwentyEightChannels() throws {
        let output = try BenchProcess.run([
            "estimate", "--random", "128,128,3,3", "--input-size", "32", "--padding", "circular",
            "--methods", "sedghi,reference,gram-circular,power-iteration", "--param", "gram-circular.iterations=10",
        ])
        #expect(output.status == 0, "exit \(output.status): \(output.stderr.suffix(400))")
        let report = try JSONDecoder().decode(EstimateReport.self, from: Data(output.stdout.utf8))
        let reference = try #require(report.results.first { $0.method == "reference" })
        #expect(reference.tier == "fft-block-svd")
        let sedghi = try #require(report.results.first { $0.method == "sedghi" })
        #expect(sedghi.status == .ok && sedghi.guaranteeHeld == true, "\(sedghi)")
        // sedghi and the reference are the same zgesdd computation; check them independently:
        // gram-circular (Gram iteration by zherk, no SVD) bounds σ_circ from above and converges
        // (fact 2), power iteration (operator products) from below (fact 8).
        let value = try #require(sedghi.value)
        let gram = try #require(report.results.first { $0.method == "gram-circular" }?.value)
        let power = try #require(report.results.first { $0.method == "power-iteration" }?.value)
        #expect(gram >= value * (1 - 1e-12) && (gram - value) / value < 1e-6, "gram-circular \(gram) vs sedghi \(value)")
        #expect(power <= value * (1 + 1e-12) && (value - power) / value < 1e-2, "power iteration \(power) vs sedghi \(value)")
    }

    @Test("powerqr's values after the first are labelled estimate, not lower")
    func powerQRLaterValuesAreEstimates() throws {
        let report = try EstimateFixture.report([
            "--random", "3,2,3,3", "--input-size", "5", "--padding", "zero",
            "--methods", "reference,powerqr,sedghi", "--top-k", "3",
        ])
        let powerQR = try #require(report.results.first { $0.method == "powerqr" })
        #expect(powerQR.guarantee == .lower)
        #expect(powerQR.valueGuarantees == [.lower, .estimate, .estimate])
        let reference = try #require(report.results.first { $0.method == "reference" })
        #expect(reference.valueGuarantees == [.exact, .exact, .exact])
        let text = try BenchProcess.run([
            "estimate", "--random", "3,2,3,3", "--input-size", "5", "--padding", "zero",
            "--methods", "powerqr", "--top-k", "2", "--format", "text",
        ])
        #expect(text.stdout.contains("(lower)") && text.stdout.contains("(estimate)"), "\(text.stdout)")
    }

    @Test("--normalize-spectral-norm rescales the kernel so that the exact norm is the target")
    func normalisedKernel() throws {
        for (padding, stride, target) in [("zero", "1", "1"), ("circular", "2", "0.25"), ("zero", "2", "3")] {
            let report = try EstimateFixture.report([
                "--random", "4,3,3,3", "--input-size", "8", "--padding", padding, "--stride", stride,
                "--methods", "reference,power-iteration", "--normalize-spectral-norm", target,
            ])
            let reference = try #require(report.results.first { $0.method == "reference" }?.value)
            #expect(Fixtures.isClose(reference, Double(target)!, relative: 1e-12), "\(reference) vs \(target)")
            #expect(report.kernel.contains("normalised to spectral norm"))
        }
        for bad in ["0", "-1", "inf"] {
            let output = try BenchProcess.run([
                "estimate", "--random", "2,2,3,3", "--input-size", "6", "--padding", "zero", "--methods", "reference",
                "--normalize-spectral-norm", bad,
            ])
            #expect(output.status == 64, "\(bad): exit \(output.status)")
            #expect(output.stderr.contains("--normalize-spectral-norm") || output.stderr.contains("normalize-spectral-norm"), "\(output.stderr)")
        }
    }

    @Test("method variants are parameters with their own names; bad names are refused")
    func variantParameters() throws {
        let report = try EstimateFixture.report([
            "--random", "2,4,3,3", "--input-size", "6", "--padding", "zero", "--methods", "gram-zero,lipbound",
            "--param", "gram-zero.side=smaller", "--param", "lipbound.version=v2",
        ])
        #expect(report.results[0].parameters["side"] == "smaller")
        #expect(report.results[1].parameters["version"] == "v2")
        let defaults = try JSONDecoder().decode(EstimateReport.self, from: Data(try BenchProcess.run([
            "estimate", "--random", "2,4,3,3", "--input-size", "6", "--padding", "zero", "--methods", "gram-zero,lipbound",
        ]).stdout.utf8))
        #expect(defaults.results[0].parameters["side"] == "larger")
        #expect(defaults.results[1].parameters["version"] == "v1")
        for (flag, accepted) in [("gram-zero.side=both", "larger, smaller"), ("lipbound.version=v3", "v1, v2")] {
            let method = String(flag.prefix { $0 != "." })
            let bad = try BenchProcess.run([
                "estimate", "--random", "2,2,3,3", "--input-size", "6", "--padding", "zero", "--methods", method, "--param", flag,
            ])
            #expect(bad.status == 64 && bad.stderr.contains(accepted), "\(flag): \(bad.stderr)")
        }
    }

    @Test("tn-bound says what its convergence measured: at 512×256×1×1, stride 2, a stationary HOPM falls below σ")
    func tensorNormConvergenceIsHonest() throws {
        let report = try EstimateFixture.report([
            "--random", "512,256,1,1", "--input-size", "8", "--stride", "2", "--padding", "zero",
            "--methods", "reference,tn-bound",
        ])
        let tensorNorm = try #require(report.results.first { $0.method == "tn-bound" })
        let message = tensorNorm.diagnostics ?? ""
        #expect(message.contains("restarts reached it") && message.contains("not certified"), "\(message)")
        if tensorNorm.guaranteeHeld == false {
            #expect(tensorNorm.converged == false, "a failed bound must not be reported converged: \(message)")
        }
    }
}
