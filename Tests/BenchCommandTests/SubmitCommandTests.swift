import Foundation
import Testing
import SpecBenchResults
import TestSupport

/// `bench submit --slurm` without a scheduler: the scripts it would submit (`--dry-run`) and its
/// bad input. The run against a real Slurm is the end-to-end step of the Slurm issue.
@Suite("bench submit --slurm --dry-run")
struct SubmitCommandTests {
    @Test("--dry-run prints the array and merge scripts: cost-balanced shards, resume, limits, extra lines, the merge after the array")
    func dryRun() throws {
        let (config, folder) = SweepFixture.config(SweepFixture.smallGrid)
        let run = folder.appendingPathComponent("run").path
        let output = try BenchProcess.run(["submit", config, "--slurm", "--dry-run", "--shards", "4", "--concurrency", "2",
                                           "--partition", "short", "--account", "lab", "--sbatch", "--constraint=avx512",
                                           "--time", "3600", "--memory", "2GiB", "--output", run, "--plots", folder.appendingPathComponent("figures").path])
        #expect(output.status == 0, "\(output.stderr)")
        let text = output.stdout
        for line in ["#SBATCH --array=1-4%2", "#SBATCH --partition=short", "#SBATCH --account=lab", "#SBATCH --constraint=avx512",
                     "#SBATCH --time=01:00:00", "#SBATCH --mem=2048M", "--shard \"${SLURM_ARRAY_TASK_ID}/4\" --shard-balance cost",
                     "--resume --no-report", "merge '\(run)/shard-1-of-4' '\(run)/shard-2-of-4' '\(run)/shard-3-of-4' '\(run)/shard-4-of-4' --output '\(run)'",
                     "report '\(run)' --plots '\(folder.appendingPathComponent("figures").path)'", "#SBATCH --open-mode=append",
                     "--dependency=afterok"] {
            #expect(text.contains(line), "missing: \(line)")
        }
        #expect(output.stderr.contains("not checked from here"))
        #expect(!FileManager.default.fileExists(atPath: run), "a dry run writes nothing")
    }

    @Test("the default memory per task follows the methods' needs: at least twice the dense reference's matrix, never beyond the per-point limit, plus 1 GiB")
    func defaultMemory() throws {
        func memory(limit: String) throws -> Int {
            let (config, _) = SweepFixture.config("""
                name: memory
                seed: 1
                grid: {cout: [8], cin: [8], kernelSizes: [5], inputSizes: [20], paddings: [zero]}
                methods: [reference, gram-zero]
                limits: {memoryPerPoint: \(limit)}
                """)
            let output = try BenchProcess.run(["submit", config, "--slurm", "--dry-run"])
            #expect(output.status == 0, "\(output.stderr)")
            let line = try #require(output.stdout.split(separator: "\n").first { $0.hasPrefix("#SBATCH --mem=") })
            return try #require(Int(line.dropFirst("#SBATCH --mem=".count).dropLast()))
        }
        // The reference's dense SVD holds the 3200 × 3200 float64 matrix: 78.1 MiB.
        let roomy = try memory(limit: "64GiB")
        #expect(roomy >= 1024 + 2 * 78 && roomy <= 1024 + 2 * 1024, "\(roomy) MiB")
        #expect(try memory(limit: "100MiB") == 1024 + 100, "a need above half the limit asks for the limit")
    }

    @Test("bad requests are one line and exit 64", arguments: [
        (["--dry-run"], "needs --slurm"),
        (["--slurm", "--dry-run", "--shards", "0"], "invalid --shards 0"),
        (["--slurm", "--dry-run", "--shards", "100000"], "invalid --shards 100000"),
        (["--slurm", "--dry-run", "--concurrency", "0"], "invalid --concurrency 0"),
        (["--slurm", "--dry-run", "--time", "5"], "invalid --time"),
    ])
    func badRequests(_ extra: [String], _ expected: String) throws {
        let (config, _) = SweepFixture.config(SweepFixture.smallGrid)
        let output = try BenchProcess.run(["submit", config] + extra)
        #expect(output.status == 64 && output.stderr.contains(expected), "\(extra): \(output.stderr)")
    }
}
