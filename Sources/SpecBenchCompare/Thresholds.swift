import SpecBenchCore
import SpecBenchResults

/// What counts as a regression or an improvement, per metric, with per-method overrides and the
/// presets `strict`, `default` and `relaxed` (in the style of package-benchmark's thresholds).
public struct Thresholds: Sendable, Equatable {
    /// Limits for one method (or the default for all).
    public struct Limits: Sendable, Equatable {
        /// A time ratio (new/baseline median) above this, when significant, is a regression; below
        /// its inverse, an improvement.
        public var time: Double
        /// Significance level of the one-sided Mann–Whitney test on the repetitions.
        public var alpha: Double
        /// Times whose baseline median is below this many seconds are too small to judge.
        public var minimumSeconds: Double
        /// A peak-memory ratio above this (and at least `minimumBytes` more) is a regression.
        public var memory: Double
        /// Memory changes smaller than this many bytes are never judged.
        public var minimumBytes: Int
        /// A value moving by more than this (relative) is an accuracy regression.
        public var value: Double
    }

    /// Limits for methods without an override.
    public var defaults: Limits
    /// Per-method overrides.
    public var perMethod: [String: Limits] = [:]
    /// A geometric-mean time ratio above this over the results that share one component (the
    /// convolution operator: `RunComparison.sharedComponents`), when significant, is a regression of
    /// that component. Tighter than `time`: a shared slowdown moves several results together, so
    /// their mean is steadier than any one of them.
    public var sharedTime: Double = 1.25

    /// Tight limits, for quiet dedicated machines.
    public static let strict = Thresholds(defaults: Limits(time: 1.10, alpha: 0.01, minimumSeconds: 1e-4, memory: 1.10, minimumBytes: 1 << 20, value: 1e-12), sharedTime: 1.06)
    /// Everyday limits.
    public static let `default` = Thresholds(defaults: Limits(time: 1.25, alpha: 0.01, minimumSeconds: 5e-4, memory: 1.25, minimumBytes: 1 << 20, value: 1e-9), sharedTime: 1.15)
    /// Loose limits for noisy shared machines (CI): still catch any method becoming 2× slower,
    /// and the shared convolution operator becoming 1.5× slower.
    public static let relaxed = Thresholds(defaults: Limits(time: 1.5, alpha: 0.01, minimumSeconds: 1e-3, memory: 1.5, minimumBytes: 4 << 20, value: 1e-9), sharedTime: 1.25)

    /// The preset named `name`.
    public static func preset(_ name: String) throws -> Thresholds {
        guard let preset = Preset(rawValue: name) else {
            throw InvalidInput("unknown preset '\(name)'; accepted: \(Preset.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return preset.thresholds
    }

    /// The named presets, as a type (`--preset`).
    public enum Preset: String, Sendable, CaseIterable {
        /// `Thresholds.strict`.
        case strict
        /// `Thresholds.default`.
        case `default`
        /// `Thresholds.relaxed`.
        case relaxed

        /// The preset's limits.
        public var thresholds: Thresholds {
            switch self {
            case .strict: return .strict
            case .default: return .default
            case .relaxed: return .relaxed
            }
        }
    }

    /// A `--threshold` for a method neither compared run has (a typo would otherwise drop the
    /// override silently); `bench compare` exits 64 with it.
    public struct UnknownMethod: Error, CustomStringConvertible {
        /// The methods named by thresholds that no run has, and the methods the runs have.
        public let unknown: [String], present: [String]
        public var description: String {
            "--threshold names \(unknown.count == 1 ? "method" : "methods") \(unknown.map { "'\($0)'" }.joined(separator: ", ")), which neither run has; accepted: \(present.joined(separator: ", "))"
        }
    }

    /// Throws `UnknownMethod` when a per-method override names a method not in `methods`.
    public func checkMethods(_ methods: Set<String>) throws {
        let unknown = perMethod.keys.filter { !methods.contains($0) }.sorted()
        if !unknown.isEmpty { throw UnknownMethod(unknown: unknown, present: methods.sorted()) }
    }

    /// The limits that apply to `method`.
    public func limits(for method: String) -> Limits { perMethod[method] ?? defaults }

    /// Applies an override (`ThresholdOverride`, a parsed `--threshold`).
    public mutating func apply(_ override: ThresholdOverride) {
        if override.metric == .sharedTime {
            sharedTime = override.value
            return
        }
        var limits = override.method.map { self.limits(for: $0) } ?? defaults
        switch override.metric {
        case .time: limits.time = override.value
        case .alpha: limits.alpha = override.value
        case .minimumSeconds: limits.minimumSeconds = override.value
        case .memory: limits.memory = override.value
        case .minimumBytes: limits.minimumBytes = Int(override.value)
        case .value: limits.value = override.value
        case .sharedTime: break
        }
        if let method = override.method { perMethod[method] = limits } else { defaults = limits }
    }
}

/// One `--threshold METRIC=VALUE` or `METHOD.METRIC=VALUE` of `bench compare`, parsed once where
/// it enters. `sharedTime` is not per method. O(length).
public struct ThresholdOverride: Sendable, Equatable {
    /// What a threshold limits.
    public enum Metric: String, Sendable, CaseIterable {
        case time, alpha, minimumSeconds, memory, minimumBytes, value, sharedTime
    }
    /// The method it is for; nil for every method.
    public let method: String?
    /// The metric.
    public let metric: Metric
    /// The limit, positive.
    public let value: Double

    /// The override `text` writes, or an `InvalidInput` naming it and what is accepted.
    public init(parsing text: String) throws {
        guard let equals = text.firstIndex(of: "=") else {
            throw InvalidInput("invalid --threshold '\(text)'; expected METRIC=VALUE or METHOD.METRIC=VALUE, e.g. time=1.5 or powerqr.time=2")
        }
        let key = String(text[..<equals])
        let valueText = String(text[text.index(after: equals)...])
        guard let value = Double(valueText), value.isFinite, value > 0 else {
            throw InvalidInput("invalid value '\(valueText)' in --threshold '\(text)'; accepted: a positive number")
        }
        var method: String?
        var metricText = key
        if key != Metric.sharedTime.rawValue, let dot = key.lastIndex(of: ".") {
            method = String(key[..<dot])
            metricText = String(key[key.index(after: dot)...])
        }
        guard let metric = Metric(rawValue: metricText), !(metric == .sharedTime && method != nil) else {
            throw InvalidInput("unknown metric '\(metricText)' in --threshold '\(text)'; accepted: \(Metric.allCases.map(\.rawValue).joined(separator: ", ")) (sharedTime not per method)")
        }
        self.method = method
        self.metric = metric
        self.value = value
    }
}
