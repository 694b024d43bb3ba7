import SpecBenchCore
import ProcessControl
import SpecBenchResults
import Foundation
import NumericCore
#if canImport(Glibc)
import Glibc
#endif

/// What a sweep does on SIGINT or SIGTERM: stop its point processes at once (SIGKILL) and exit
/// with status 128 + signal, leaving the run in `in-progress/` for `--resume`.
///
/// Handlers are installed explicitly, so a sweep stops even when it inherited these signals as
/// ignored (a parent that ignores them passes that on across exec). The point processes also
/// die by themselves when the sweep dies (`ProcessLifetime`); killing them here is immediate and
/// does not depend on that.
enum InterruptHandling {
    /// Point processes alive now.
    final class LiveProcesses: @unchecked Sendable {
        private let lock = NSLock()
        private var pids = Set<Int32>()

        func insert(_ pid: Int32) { lock.lock(); pids.insert(pid); lock.unlock() }
        func remove(_ pid: Int32) { lock.lock(); pids.remove(pid); lock.unlock() }
        func killAll() {
            lock.lock()
            for pid in pids { _ = kill(pid, SIGKILL) }
            lock.unlock()
        }
    }

    /// The point processes of this sweep.
    static let live = LiveProcesses()

    /// The installed signal sources, created once and never changed afterwards.
    final class Sources: @unchecked Sendable {
        let sources: [any DispatchSourceSignal]
        init(_ sources: [any DispatchSourceSignal]) { self.sources = sources }
    }

    private static let installation = Sources([SIGINT, SIGTERM].map { signalNumber in
        signal(signalNumber, SIG_IGN)  // let the dispatch source receive it instead
        let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
        source.setEventHandler {
            live.killAll()
            StandardStreams.writeError("\nsweep stopped by signal \(signalNumber); continue it with --resume\n")
            exit(ExitStatus.interrupted(bySignal: signalNumber))
        }
        source.resume()
        return source
    })

    /// Installs the handlers (once per process).
    static func install() { _ = installation }
}
