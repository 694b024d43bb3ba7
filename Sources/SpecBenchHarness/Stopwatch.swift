/// Monotonic wall-clock timing for measurements.
public struct Stopwatch: Sendable {
    private let start: ContinuousClock.Instant

    /// Starts timing now.
    public init() { start = ContinuousClock.now }

    /// Seconds since start.
    public var elapsedSeconds: Double {
        let duration = ContinuousClock.now - start
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) * 1e-18
    }
}
