import Foundation
import NumericCore

/// The self-test's verdicts, kept per CPU and OpenBLAS build so that only the first start on a
/// machine pays for the test: a JSON file in `$SPECBENCH_CACHE_DIR`, else
/// `$XDG_CACHE_HOME/specbench`, else `~/.cache/specbench`. A cache that cannot be read or written
/// is no cache (the test then runs at each start that needs it).
struct BLASCoreSelfTestCache {
    /// One verdict.
    struct Verdict: Codable, Equatable {
        var passed: Bool
        var detail: String?
        var testedAt: String
    }

    let url: URL?

    /// The cache file of this environment.
    static var standard: BLASCoreSelfTestCache {
        let environment = ProcessInfo.processInfo.environment
        let folder: String?
        if let explicit = environment["SPECBENCH_CACHE_DIR"], !explicit.isEmpty {
            folder = explicit
        } else if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty {
            folder = xdg + "/specbench"
        } else if let home = environment["HOME"], !home.isEmpty {
            folder = home + "/.cache/specbench"
        } else {
            folder = nil
        }
        return BLASCoreSelfTestCache(url: folder.map { URL(fileURLWithPath: $0).appendingPathComponent("openblas-core-self-test.json") })
    }

    /// The key of a candidate core on this machine and library build.
    static func key(candidate: String, features: CPUFeatures) -> String {
        "\(ProcessorName.current) | \(features.vendor) \(features.family)/\(features.model)/\(features.stepping) | \(OpenBLASCore.buildConfiguration) | \(candidate)"
    }

    func verdict(for key: String) -> Verdict? {
        guard let url, let data = try? Data(contentsOf: url),
              let all = try? JSONDecoder().decode([String: Verdict].self, from: data) else { return nil }
        return all[key]
    }

    func store(_ verdict: Verdict, for key: String) {
        guard let url else { return }
        var all = (try? Data(contentsOf: url)).flatMap { try? JSONDecoder().decode([String: Verdict].self, from: $0) } ?? [:]
        all[key] = verdict
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        guard let data = try? encoder.encode(all) else { return }
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? data.write(to: url, options: .atomic)
    }
}
