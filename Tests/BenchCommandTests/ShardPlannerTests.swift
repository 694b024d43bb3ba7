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
}
