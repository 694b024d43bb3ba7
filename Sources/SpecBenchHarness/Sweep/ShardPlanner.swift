import SpecBenchResults
import SpecBenchCore
import SpecBenchMethods
import NumericCore

/// Points assigned to shards by their estimated cost, so that shards finish close together
/// (the Slurm issue's balanced shards): each point's cost is the floating-point operations its
/// runs' cost models declare (`SpectralNormMethod.operationCount`) at their configured
/// iterations, times warm-up plus repetitions; the reference at the tier it will take
/// (`ExactReference.tier`, Lanczos tiers at `lanczosProductsAssumed` Gram products); a clip as
/// two reference solves. Points go, most expensive first, to the shard with the least cost so far
/// (longest processing time first: the slowest shard is within 4/3 of the optimum). Deterministic
/// and machine-independent (operation counts, not measured rates), so every shard's process
/// computes the same plan. O(points × runs + points·log points + points × shards).
public enum ShardPlanner {
    /// The Gram products assumed for a Lanczos reference (its count is known only after it ran).
    public static let lanczosProductsAssumed = 100

    /// The estimated operations of `point` under `plan` (0 for a point whose geometry is invalid).
    public static func cost(of point: SweepPoint, plan: SweepPlan) -> Double {
        operationCounts(of: point, plan: plan, lanczosProducts: lanczosProductsAssumed).reduce(0) { $0 + $1.times * $1.count.total }
    }

    /// The memory `point` needs under `plan`, from the shapes alone: the kernel and the operator's
    /// tables, the reference's need when kernels are normalised first, and the largest need of
    /// the methods that apply (`effectiveMemoryNeed`, what the point's supervisor checks against
    /// its limit; the point processes run one method at a time). A lower
    /// bound, as the methods declare it; 0 for a point whose geometry is invalid. O(runs).
    public static func memoryNeed(of point: SweepPoint, plan: SweepPlan) -> Int {
        guard let geometry = try? point.operator.geometry() else { return 0 }
        let configuration = plan.configuration
        let topK = min(configuration.topK, geometry.rank)
        let shared = MemoryCheck.sharedNeed(on: geometry, normalizing: configuration.kernel.normalize != nil, reference: plan.referenceSettings)
        let largest = plan.runs.map { $0.fitted(toTopK: topK) }.filter { planned in
            !planned.run.isExternal && planned.run.method.layerApplicability(to: geometry).guarantee != nil
        }.map { planned in
            planned.run.method.effectiveMemoryNeed(on: geometry, context: planned.run.context(seed: configuration.seed, topK: topK)).bytes
        }.max() ?? 0
        return (shared + MemoryNeed(bytes: largest)).bytes
    }

    /// Every run of `point` that applies, with its cost model's operation count for one run and
    /// how many runs the point makes of it (warm-up plus repetitions; a clip: its two reference
    /// solves, counted with the reference's count). Iterative methods count their configured
    /// iterations; the reference counts the tier it will take (`ExactReference.tier`), its Lanczos
    /// tiers at `lanczosProducts` Gram products (0 gives a lower bound). External methods declare
    /// no cost model and count nothing. Shared by the shard plan and the sweep's lower bound on its
    /// computing time. O(runs).
    static func operationCounts(of point: SweepPoint, plan: SweepPlan, lanczosProducts: Int)
        -> [(precision: Precision, count: OperationCount, times: Double)]
    {
        guard let geometry = try? point.operator.geometry() else { return [] }
        let configuration = plan.configuration
        let topK = min(configuration.topK, geometry.rank)
        let tier = ExactReference(settings: plan.referenceSettings).tier(for: geometry, count: topK)
        let referenceOutcome = MethodOutcome(values: [], iterations: lanczosProducts, tier: tier.rawValue)
        return plan.runs.map { $0.fitted(toTopK: topK) }.compactMap { planned in
            let run = planned.run
            guard !run.isExternal, run.method.layerApplicability(to: geometry).guarantee != nil else { return nil }
            let context = run.context(seed: configuration.seed, topK: topK)
            let isReference = run.id == ReferenceMethod.id
            let count = run.method.layerOperationCount(on: geometry, context: context,
                                                      outcome: isReference ? referenceOutcome : MethodOutcome(values: []))
            return (run.precision, count, planned.clip != nil ? 2 : Double(planned.warmup + planned.repetitions))
        }
    }

    /// The shard (0-based) of each of `costs`' points, by longest processing time first; ties
    /// go to the lower shard and, among equal costs, the earlier point first.
    public static func assign(costs: [Double], shards: Int) -> [Int] {
        precondition(shards >= 1, "at least one shard")
        var load = [Double](repeating: 0, count: shards)
        var assignment = [Int](repeating: 0, count: costs.count)
        let order = costs.indices.sorted { costs[$0] != costs[$1] ? costs[$0] > costs[$1] : $0 < $1 }
        for index in order {
            let shard = load.indices.min { load[$0] != load[$1] ? load[$0] < load[$1] : $0 < $1 }!
            assignment[index] = shard
            load[shard] += costs[index]
        }
        return assignment
    }

    /// The estimated cost of each shard under `assignment`.
    public static func loads(costs: [Double], assignment: [Int], shards: Int) -> [Double] {
        var load = [Double](repeating: 0, count: shards)
        for (index, shard) in assignment.enumerated() { load[shard] += costs[index] }
        return load
    }

    /// Today's modulo assignment (`ShardSelection`: position `p` to shard `p mod N`), for comparison.
    public static func moduloAssignment(points: Int, shards: Int) -> [Int] {
        (0..<points).map { $0 % shards }
    }

    /// The 0-based shard of each of `points` (in order) when the sweep is split into `count`
    /// shards with `balance`.
    public static func assignment(of points: [SweepPoint], plan: SweepPlan, count: Int, balance: ShardSelection.ShardBalance) -> [Int] {
        switch balance {
        case .modulo: return points.map { $0.index % count }
        case .cost: return assign(costs: points.map { cost(of: $0, plan: plan) }, shards: count)
        }
    }
}
