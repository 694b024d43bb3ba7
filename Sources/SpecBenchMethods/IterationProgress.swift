/// Tracks an iterative estimate's relative change from step to step, the one convergence
/// diagnostic the iterative methods share: an estimate is reported `converged` when its last
/// step changed it by at most `threshold` (relative).
struct IterationProgress {
    /// The relative change that counts as converged.
    let threshold: Double
    private(set) var previous: Double?
    private(set) var lastChange: Double = .infinity

    /// A tracker; `tolerance > 0` is the user's early-stop tolerance, else 1e-6 is used to judge
    /// convergence (and no early stop happens).
    init(tolerance: Double) {
        threshold = tolerance > 0 ? tolerance : 1e-6
        earlyStop = tolerance > 0
    }

    /// Whether to stop as soon as the change is below the threshold.
    let earlyStop: Bool

    /// Records a new estimate; returns true when iteration may stop early.
    mutating func record(_ estimate: Double) -> Bool {
        if let previous {
            lastChange = abs(estimate - previous) / max(abs(estimate), .leastNormalMagnitude)
        }
        previous = estimate
        return earlyStop && lastChange <= threshold
    }

    /// Whether the last change was within the threshold.
    var converged: Bool { lastChange <= threshold }
}
