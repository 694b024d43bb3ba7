import Foundation
import Testing
import SpecBenchCore
import SpecBenchHarness
import SpecBenchResults
import TestSupport

/// Cost-balanced shards (the Slurm issue): points assigned by their estimated cost.
@Suite("Cost-balanced shards")
struct ShardPlannerTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("longest processing time first: every point placed once, the heaviest shard within 4/3 of the optimum on hand-made costs")
    func assignment() {
        let costs: [Double] = [7, 7, 6, 6, 5, 5, 4, 4, 4]   // 48: the optimum for 3 shards is 16
        let assignment = ShardPlanner.assign(costs: costs, shards: 3)
        #expect(assignment.count == costs.count && Set(assignment).isSubset(of: [0, 1, 2]))
        let loads = ShardPlanner.loads(costs: costs, assignment: assignment, shards: 3)
        #expect(loads.reduce(0, +) == 48)
        #expect(loads.max()! <= 16 * 4 / 3)
        #expect(ShardPlanner.assign(costs: costs, shards: 3) == assignment, "deterministic")
        #expect(ShardPlanner.assign(costs: [1, 2], shards: 4).count == 2)
    }

    @Test("on the committed layer-shapes config, the slowest balanced shard's estimated cost is within 1.3× the mean; the modulo assignment's is not", arguments: [4, 8])
    func layerShapes(_ shards: Int) throws {
        let plan = try SweepConfigurationParser.parse(path: Self.root.appendingPathComponent("bench-configs/layer-shapes.yaml").path)
        let points = try SweepPoint.expand(plan.configuration)
        let costs = points.map { ShardPlanner.cost(of: $0, plan: plan) }
        #expect(costs.allSatisfy { $0 > 0 })
        let mean = costs.reduce(0, +) / Double(shards)
        let balanced = ShardPlanner.loads(costs: costs, assignment: ShardPlanner.assign(costs: costs, shards: shards), shards: shards)
        let modulo = ShardPlanner.loads(costs: costs, assignment: ShardPlanner.moduloAssignment(points: points.count, shards: shards), shards: shards)
        print("layer-shapes, \(points.count) points, \(shards) shards: slowest ÷ mean estimated cost, balanced \(balanced.max()! / mean), modulo \(modulo.max()! / mean)")
        #expect(balanced.max()! <= 1.3 * mean)
        #expect(balanced.max()! <= modulo.max()!)
    }

    @Test("--shard I/N --shard-balance cost: the shards cover the points once, record their split, merge into the whole run; a merge lacking a shard or mixing splits is refused")
    func costShardsMerge() throws {
        let (config, folder) = SweepFixture.config(SweepFixture.smallGrid)
        let whole = folder.appendingPathComponent("whole")
        #expect(try SweepFixture.sweep(config, output: whole).status == 0)
        var shards: [String] = []
        for index in 1...3 {
            let shard = folder.appendingPathComponent("cost\(index)")
            let run = try SweepFixture.sweep(config, output: shard, extra: ["--shard", "\(index)/3", "--shard-balance", "cost"])
            #expect(run.status == 0, "\(run.stderr)")
            shards.append(shard.path)
        }
        let manifests = try shards.map { try RunDirectory.readManifest(URL(fileURLWithPath: $0).appendingPathComponent("manifest.json")) }
        #expect(manifests.allSatisfy { $0.shard?.balance == .cost && $0.shardPlan != nil && $0.shardPlan == manifests[0].shardPlan })
        let merged = folder.appendingPathComponent("merged")
        let merge = try BenchProcess.run(["merge"] + shards + ["--output", merged.path])
        #expect(merge.status == 0, "\(merge.stderr)")
        let a = try SweepFixture.records(whole), b = try SweepFixture.records(merged)
        #expect(a.map(\.point) == b.map(\.point))
        #expect(a.map(\.result.values) == b.map(\.result.values) && a.map(\.result.status) == b.map(\.result.status))

        let lacking = try BenchProcess.run(["merge", shards[0], shards[1], "--output", folder.appendingPathComponent("lacking").path])
        #expect(lacking.status == 64 && lacking.stderr.contains("lacks shard 3/3"), "\(lacking.stderr)")
        let modulo = folder.appendingPathComponent("modulo3")
        #expect(try SweepFixture.sweep(config, output: modulo, extra: ["--shard", "3/3"]).status == 0)
        let mixed = try BenchProcess.run(["merge", shards[0], shards[1], modulo.path, "--output", folder.appendingPathComponent("mixed").path])
        #expect(mixed.status == 64 && (mixed.stderr.contains("another split") || mixed.stderr.contains("in both")), "\(mixed.stderr)")
        let stray = try BenchProcess.run(["sweep", "--config", config, "--output", folder.appendingPathComponent("x").path, "--shard-balance", "cost"])
        #expect(stray.status == 64 && stray.stderr.contains("--shard-balance applies to a sharded run only"))
    }
}
