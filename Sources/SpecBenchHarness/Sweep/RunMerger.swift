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
        let order = Dictionary(uniqueKeysWithValues: configuration.runKeys.enumerated().map { ($1, $0) })
        records.sort { ($0.pointIndex, order[$0.result.runKey] ?? .max) < ($1.pointIndex, order[$1.result.runKey] ?? .max) }
        let total = try SweepPoint.expand(configuration).count
        var merged = manifests[0]
        merged.shard = nil
        merged.mergedFrom = inputs
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
        try CSVExport.write(records, peaks: merged.calibration?.peaks, to: directory.csvURL)
        return merged
    }
}
