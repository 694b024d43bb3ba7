import Foundation
import Testing
import SpecBenchHarness
import SpecBenchResults
import TestSupport

/// A merged run keeps every shard's machine, and reports and the gate compare times only within
/// one machine. Two machines are made for real: one shard runs on OpenBLAS's Haswell kernels
/// (`OPENBLAS_CORETYPE=Haswell`, which bench keeps when a caller sets it), the other on the core
/// bench chooses for this CPU; `MachineIdentity` tells them apart by the core, as it would two
/// cluster nodes of different CPU models. (Where the machine's own choice is Haswell, the second
/// shard uses Sandybridge.)
@Suite("machines in a merged run")
struct MergedMachinesTests {
    static let config = """
        name: two-machines
        seed: 9
        grid:
          cout: [3]
          cin: [2]
          kernelSizes: [1, 3]
          inputSizes: [4, 6]
          paddings: [zero, circular]
          strides: [1]
        methods: [reference, gram-zero, power-iteration, fantastic-four]
        repetitions: 2
        warmup: 0
        """

    /// The core the second shard is forced onto: another than the one this machine uses.
    static func otherCore(than run: URL) throws -> String {
        let manifest = try RunDirectory.readManifest(RunDirectory(path: run.path).manifestURL)
        return manifest.context.blasCoreInUse?.lowercased() == "haswell" ? "Sandybridge" : "Haswell"
    }

    @Test("shards on two OpenBLAS cores merge into a run that names both: tables, figures per machine, a CSV column, and the gate leaves cross-machine times alone")
    func mergedOnTwoMachines() throws {
        let (config, folder) = SweepFixture.config(Self.config)
        let whole = folder.appendingPathComponent("whole")
        #expect(try SweepFixture.sweep(config, output: whole).status == 0)
        let core = try Self.otherCore(than: whole)
        let first = folder.appendingPathComponent("shard-1"), second = folder.appendingPathComponent("shard-2")
        // Shards by position (modulo), so that each figure's line runs through points of both.
        #expect(try SweepFixture.sweep(config, output: first, extra: ["--shard", "1/2"]).status == 0)
        let other = try BenchProcess.run(["sweep", "--config", config, "--output", second.path, "--no-report", "--shard", "2/2"],
                                         environment: ["OPENBLAS_CORETYPE": core])
        #expect(other.status == 0, "\(other.stderr)")
        let merged = folder.appendingPathComponent("merged")
        let merge = try BenchProcess.run(["merge", first.path, second.path, "--output", merged.path])
        #expect(merge.status == 0, "\(merge.stderr)")

        let manifest = try RunDirectory.readManifest(RunDirectory(path: merged.path).manifestURL)
        let groups = try #require(manifest.machines)
        #expect(groups.count == 2)
        #expect(groups[0].origin.hasPrefix("shard 1/2") && groups[1].origin.hasPrefix("shard 2/2"))
        #expect(groups[1].context.blasCoreInUse == core && groups[0].context.blasCoreInUse != core)
        let secondPoints = Set(try SweepFixture.records(second).map(\.point))
        #expect(Set(groups[1].points) == secondPoints && Set(groups[0].points).isDisjoint(with: secondPoints))
        #expect(groups[0].calibration?.peaks != nil && groups[1].calibration?.peaks != nil, "each shard's peak rates are kept")
        let machines = RunMachines(manifest)
        #expect(machines.isMixed && machines.machines.map(\.label) == ["M1", "M2"])
        for point in secondPoints { #expect(machines.machine(ofPoint: point).label == "M2") }
        #expect(machines.note?.contains("Measured on 2 machines") == true && machines.note?.contains(core) == true)

        // Tables, figures and the CSV say where each point was measured.
        let plots = folder.appendingPathComponent("plots")
        let report = try BenchProcess.run(["report", merged.path, "--plots", plots.path])
        #expect(report.status == 0, "\(report.stderr)")
        let tables = try String(contentsOf: merged.appendingPathComponent("tables.md"), encoding: .utf8)
        #expect(tables.contains("Measured on 2 machines") && tables.contains("so times compare only within one"))
        #expect(tables.contains("| point | machine |") && tables.contains(" · measured on M2"))
        let figures = try FileManager.default.contentsOfDirectory(atPath: plots.appendingPathComponent("two-machines").path)
        #expect(figures.contains { $0.hasSuffix("-m1.gp") } && figures.contains { $0.hasSuffix("-m2.gp") }, "\(figures)")
        let script = try #require(figures.first { $0.hasSuffix("-m2.gp") })
        #expect(try String(contentsOf: plots.appendingPathComponent("two-machines/\(script)"), encoding: .utf8).contains("measured on M2: "))
        let allPoints = Set(try SweepFixture.records(merged).map(\.point))
        for name in figures where name.hasSuffix(".dat") {
            // Every figure's data holds points of one machine only.
            let text = try String(contentsOf: plots.appendingPathComponent("two-machines/\(name)"), encoding: .utf8)
            let onSecond = allPoints.filter { text.contains($0) && secondPoints.contains($0) }
            let onFirst = allPoints.filter { text.contains($0) && !secondPoints.contains($0) }
            #expect(onSecond.isEmpty || onFirst.isEmpty, "\(name) joins points of both machines")
        }
        let csv = try String(contentsOf: merged.appendingPathComponent("results.csv"), encoding: .utf8).split(separator: "\n")
        #expect(csv[0].hasSuffix(",machine"))
        #expect(csv.dropFirst().allSatisfy { $0.hasSuffix(",M1") || $0.hasSuffix(",M2") })

        // The gate: the single-machine run against the merged one compares the times of shard 1's
        // points only.
        let compare = try BenchProcess.run(["compare", whole.path, merged.path, "--format", "markdown"])
        #expect([0, 2, 4].contains(compare.status), "\(compare.stderr)")
        let text = compare.stdout + compare.stderr
        #expect(text.contains("the new run: Measured on 2 machines"), "\(text)")
        #expect(text.contains("times of \(secondPoints.count) of 8 points are not compared"), "\(text)")
        for point in secondPoints {
            #expect(!text.split(separator: "\n").contains { $0.contains(point) && $0.contains("time") }, "a cross-machine time of \(point) was judged")
        }
    }

    @Test("shards of one machine merge with each shard's context kept and no mixed-machine note")
    func mergedOnOneMachine() throws {
        let (config, folder) = SweepFixture.config(Self.config)
        let shards = (1...2).map { folder.appendingPathComponent("shard-\($0)") }
        for (index, shard) in shards.enumerated() {
            #expect(try SweepFixture.sweep(config, output: shard, extra: ["--shard", "\(index + 1)/2", "--shard-balance", "cost"]).status == 0)
        }
        let merged = folder.appendingPathComponent("merged")
        #expect(try BenchProcess.run(["merge"] + shards.map(\.path) + ["--output", merged.path]).status == 0)
        let manifest = try RunDirectory.readManifest(RunDirectory(path: merged.path).manifestURL)
        #expect(manifest.machines?.count == 2)
        #expect(!RunMachines(manifest).isMixed && RunMachines(manifest).note == nil)
        #expect(try String(contentsOf: merged.appendingPathComponent("results.csv"), encoding: .utf8).split(separator: "\n")[0].hasSuffix(",machine") == false)
    }

    @Test("a run resumed on another machine records the points of each session with its machine")
    func resumedElsewhere() throws {
        let (config, folder) = SweepFixture.config(SweepFixture.slowSixPoints)
        let run = folder.appendingPathComponent("run")
        try #require(try SweepFixture.killAfterFirstPoint(config, output: run), "the sweep finished before it could be interrupted")
        let partial = run.appendingPathComponent("in-progress/results.jsonl")
        let before = Set(try RunDirectory.readRecords(partial, finished: false).map(\.point))
        let firstManifest = try RunDirectory.readManifest(run.appendingPathComponent("in-progress/manifest.json"))
        let core = firstManifest.context.blasCoreInUse?.lowercased() == "haswell" ? "Sandybridge" : "Haswell"
        let resumed = try BenchProcess.run(["sweep", "--config", config, "--output", run.path, "--no-report", "--resume"],
                                           environment: ["OPENBLAS_CORETYPE": core])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stderr.contains("on another machine than its last session's"), "\(resumed.stderr)")
        let manifest = try RunDirectory.readManifest(RunDirectory(path: run.path).manifestURL)
        let groups = try #require(manifest.machines)
        #expect(groups.map(\.origin) == ["session 1", "session 2"])
        #expect(groups[1].context.blasCoreInUse == core)
        #expect(Set(groups[0].points) == before && !before.isEmpty, "session 1 holds exactly the points finished before the kill")
        #expect(Set(groups[0].points + groups[1].points).count == 6 && Set(groups[0].points).isDisjoint(with: groups[1].points))
        #expect(RunMachines(manifest).isMixed)
    }
}
