import SpecBenchCore
import ProcessControl
import SpecBenchResults
import Foundation
import NumericCore

/// Progress of a sweep on stderr, while stderr is a terminal: points done of total, elapsed time,
/// an ETA from the mean time per point so far, and the point being measured. Silent otherwise.
final class SweepProgress {
    private let total: Int
    private var done: Int
    private let watch = Stopwatch()
    private let startDone: Int
    private let interactive = Progress.isInteractive

    init(total: Int, alreadyDone: Int) {
        self.total = total
        done = alreadyDone
        startDone = alreadyDone
    }

    /// Shows the point about to run.
    func starting(_ point: SweepPoint) {
        guard interactive else { return }
        let elapsed = watch.elapsedSeconds
        let measured = done - startDone
        let eta = measured > 0 ? elapsed / Double(measured) * Double(total - done) : nil
        let line = "[\(done)/\(total)] \(clock(elapsed)) elapsed" + (eta.map { ", ETA \(clock($0))" } ?? "")
            + " — \(point.label.map { $0 + " " } ?? "")\(point.operator.label)"
        StandardStreams.writeError("\r\u{1B}[K" + line)
    }

    /// Counts a finished point.
    func finished() { done += 1 }

    /// Ends the progress line.
    func close(message: String) {
        guard interactive else { return }
        StandardStreams.writeError("\r\u{1B}[K" + message + "\n")
    }

    private func clock(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        return String(format: "%d:%02d", total / 60, total % 60)
    }
}
