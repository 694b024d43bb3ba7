import SpecBenchCore
import SpecBenchResults
import Foundation

/// `bench merge`: combines the finished runs of a sharded sweep (`--shard I/N`) into one run, as if
/// it had run on one machine. The inputs must come from the same config text (same hash) and
/// must not overlap; the merged manifest lists them, and says how many of the config's points
/// are covered.
public enum RunMerger {
    /// Merges the run folders `inputs` into `output`. Returns the merged manifest.
    @discardableResult
    public static func merge(inputs: [String], output: String) throws -> RunManifest {
        guard !inputs.isEmpty else { throw InvalidInput("bench merge needs at least one finished run folder") }
        let target = URL(fileURLWithPath: output).standardizedFileURL.resolvingSymlinksInPath().path
        if let clash = inputs.first(where: { URL(fileURLWithPath: $0).standardizedFileURL.resolvingSymlinksInPath().path == target }) {
            throw InvalidInput("--output '\(output)' is the input run '\(clash)': merging into an input would overwrite it; choose another --output")
        }
        var manifests: [RunManifest] = []
        var records: [SweepRecord] = []
        for input in inputs {
            let (manifest, inputRecords) = try RunDirectory(path: input).loadFinished(expecting: SweepExpectation.standard)
            if let first = manifests.first, first.configHash != manifest.configHash {
                throw InvalidInput("'\(input)' comes from a different config (hash \(manifest.configHash.prefix(12))) than '\(inputs[0])' (hash \(first.configHash.prefix(12))); only shards of one config can be merged")
            }
            manifests.append(manifest)
            records += inputRecords
        }
        var seen: [String: String] = [:]
        for (input, manifest) in zip(inputs, manifests) {
            let points = Set(try RunDirectory(path: input).loadFinished(expecting: SweepExpectation.standard).records.map(\.point))
            for point in points {
                if let other = seen[point] {
                    throw InvalidInput("point \(point) is in both '\(other)' and '\(input)'; merge each shard once")
                }
                seen[point] = input
            }
            _ = manifest
        }
        let configuration = manifests[0].configuration
        let pointsByInput = inputs.map { input in seen.filter { $0.value == input }.map(\.key).sorted() }
        try checkShardPlan(inputs: inputs, manifests: manifests, pointsByInput: pointsByInput)
        let order = Dictionary(uniqueKeysWithValues: configuration.runKeys.enumerated().map { ($1, $0) })
        records.sort { ($0.pointIndex, order[$0.result.runKey] ?? .max) < ($1.pointIndex, order[$1.result.runKey] ?? .max) }
        let total = try SweepPoint.expand(configuration).count
        var merged = manifests[0]
        merged.shard = nil
        merged.shardPlan = nil
        merged.mergedFrom = inputs
        merged.machines = machineGroups(inputs: inputs, manifests: manifests, pointsByInput: pointsByInput)
        merged.pointsTotal = total
        merged.pointsCompleted = seen.count
        merged.startedAt = manifests.map(\.startedAt).min() ?? merged.startedAt
        merged.finishedAt = manifests.compactMap(\.finishedAt).max()
        merged.durationSeconds = manifests.compactMap(\.durationSeconds).max()
        let directory = RunDirectory(path: output)
        try FileManager.default.createDirectory(at: directory.url, withIntermediateDirectories: true)
        directory.removeStaleTables()
        try RunDirectory.writeRecords(records, to: directory.resultsURL)
        try RunDirectory.writeManifest(merged, to: directory.manifestURL)
        try CSVExport.write(records, of: merged, to: directory.csvURL)
        return merged
    }

    /// Every input's machine context with its points (an input that was itself merged, or resumed
    /// elsewhere, brings its own groups), so that a merged run says where each point was measured.
    static func machineGroups(inputs: [String], manifests: [RunManifest], pointsByInput: [[String]]) -> [MachineGroup] {
        zip(inputs, zip(manifests, pointsByInput)).flatMap { input, item -> [MachineGroup] in
            let (manifest, points) = item
            let origin = manifest.shard.map { "shard \($0.description) (\(input))" } ?? input
            guard let groups = manifest.machines else {
                return [MachineGroup(origin: origin, context: manifest.context, calibration: manifest.calibration, points: points)]
            }
            return groups.map { group in
                var group = group
                group.origin = origin + ", " + group.origin
                return group
            }
        }
    }

    /// When the inputs are shards that recorded their split (`RunManifest.shardPlan`), the splits
    /// must be one, each shard must hold exactly the points the split gives it, and every shard
    /// must be there: a merge of an incomplete split is refused naming the missing shards and
    /// how many points they hold. Inputs recorded without a split are merged as given.
    static func checkShardPlan(inputs: [String], manifests: [RunManifest], pointsByInput: [[String]]) throws {
        let plans = manifests.compactMap(\.shardPlan)
        let shards = manifests.compactMap(\.shard)
        guard plans.count == manifests.count, shards.count == manifests.count, let plan = plans.first, let first = shards.first else { return }
        for (input, (other, shard)) in zip(inputs, zip(plans, shards)) where other != plan || shard.count != first.count || shard.balance != first.balance {
            throw InvalidInput("'\(input)' is shard \(shard.description) of another split (\(shard.balance.rawValue)) than '\(inputs[0])' (\(first.balance.rawValue)); merge the shards of one split")
        }
        for (input, (shard, held)) in zip(inputs, zip(shards, pointsByInput)) {
            let expected = Set(plan.filter { $0.value == shard.index }.keys)
            guard Set(held) == expected else {
                throw InvalidInput("'\(input)' is shard \(shard.description) but holds \(held.count) finished points where its split gives it \(expected.count); finish it with --resume")
            }
        }
        let present = Set(shards.map(\.index))
        let missing = (1...first.count).filter { !present.contains($0) }
        guard missing.isEmpty else {
            let counts = missing.map { index in "\(index)/\(first.count) (\(plan.values.filter { $0 == index }.count) points)" }
            throw InvalidInput("the merge lacks shard\(missing.count == 1 ? "" : "s") \(counts.joined(separator: ", ")) of this split; merge every shard (run the missing ones with --shard I/N)")
        }
    }
}
