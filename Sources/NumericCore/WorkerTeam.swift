import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The helper threads behind `ParallelWork`: a process-wide team that runs one job at a time.
/// A job is `shares` calls `body(0) … body(shares − 1)`; the calling thread and the helpers claim
/// shares one at a time until none is left, so a share a helper has not come for (asleep, or
/// not given a core on a loaded machine) is run by the caller instead of waited for.
///
/// Helpers wait for the next job spinning for `spinSeconds`, then asleep on a condition. Power
/// iteration at 16 channels hands out two shares about every 25 µs, and waking a sleeping
/// thread took about 13 µs here (`DispatchQueue.concurrentPerform` with 20 µs of work per share
/// took 33 µs a call; a spinning helper 20.3 µs), so a helper that has just finished a share
/// spins briefly and is there for the next; one that is not needed within `spinSeconds` sleeps
/// and costs nothing. The caller returns once every share has finished.
///
/// Claims carry the job's number, so a helper that arrives after its job has ended claims
/// nothing and never touches that job's closure; a helper reads the closure only after a
/// successful claim, while the caller is still waiting for that share. One job at a time:
/// `ParallelWork` runs only in processes that call the libraries from one thread
/// (`ThreadControl.adaptsToProblemSize`), and a job's shares run single-threaded libraries, so
/// no job starts another. O(shares) per job besides the work.
final class WorkerTeam: @unchecked Sendable {
    /// The team, created on first use.
    static let shared = WorkerTeam()

    /// How long an idle helper spins before sleeping, and a waiting caller before yielding.
    static let spinSeconds = 200e-6

    /// Bumped once per job; helpers look for shares when it changes.
    private let generation = Atomic<Int>(0)
    /// The current job's claims: `tag << 32 | shares << 16 | next share`, `tag` the job's
    /// number modulo 2³¹.
    private let claims = Atomic<Int>(0)
    /// Shares of the current job that have finished.
    private let finished = Atomic<Int>(0)
    /// Guards sleeping helpers and the helper count.
    private let condition = NSCondition()
    /// The current job; written before its claims are published (release) and read only after a
    /// successful claim (acquire), cleared once every share has finished.
    nonisolated(unsafe) private var job: (@Sendable (Int) -> Void)?
    /// Helper threads started so far.
    private var helpers = 0

    private init() {}

    /// Runs `body(share)` for every share in `0..<shares`, on the calling thread and up to
    /// `shares − 1` helpers, returning when all have finished. At most 65,535 shares.
    func run(shares: Int, _ body: @escaping @Sendable (Int) -> Void) {
        guard shares > 1 else {
            if shares == 1 { body(0) }
            return
        }
        precondition(shares < 1 << 16, "worker team: too many shares")
        condition.lock()
        while helpers < shares - 1 {
            // A helper starts from the current generation, so it cannot miss the coming job.
            let before = generation.load(ordering: .acquiring)
            let thread = Thread { [unowned self] in self.serve(seen: before) }
            thread.name = "specbench-worker-\(helpers + 1)"
            thread.start()
            helpers += 1
        }
        let number = generation.load(ordering: .relaxed) + 1
        job = body
        finished.store(0, ordering: .relaxed)
        claims.store(Self.tag(number) << 32 | shares << 16, ordering: .releasing)
        generation.store(number, ordering: .releasing)
        condition.broadcast()
        condition.unlock()
        work(on: number)
        let start = Self.now()
        while finished.load(ordering: .acquiring) < shares {
            if Self.now() - start > Self.spinSeconds { sched_yield() }
        }
        job = nil
    }

    /// Claims and runs shares of job `number` until none is left (or the job is over).
    private func work(on number: Int) {
        let tag = Self.tag(number)
        while true {
            var current = claims.load(ordering: .acquiring)
            var share = -1
            while current >> 32 == tag && current & 0xFFFF < (current >> 16) & 0xFFFF {
                let (exchanged, original) = claims.compareExchange(
                    expected: current, desired: current + 1, ordering: .acquiringAndReleasing)
                if exchanged {
                    share = current & 0xFFFF
                    break
                }
                current = original
            }
            if share < 0 { return }
            runShare(share)
            finished.add(1, ordering: .releasing)
        }
    }

    /// Runs one claimed share; the closure's reference is dropped before the share is reported.
    private func runShare(_ share: Int) {
        guard let body = job else { return }
        body(share)
    }

    /// A helper's loop: wait for a new job, then claim its shares.
    private func serve(seen before: Int) {
        var seen = before
        while true {
            let start = Self.now()
            var current = generation.load(ordering: .acquiring)
            while current == seen && Self.now() - start < Self.spinSeconds {
                current = generation.load(ordering: .acquiring)
            }
            if current == seen {
                condition.lock()
                while generation.load(ordering: .acquiring) == seen { condition.wait() }
                condition.unlock()
                current = generation.load(ordering: .acquiring)
            }
            seen = current
            work(on: current)
        }
    }

    /// A job's number as carried in its claims (31 bits).
    private static func tag(_ number: Int) -> Int { number & 0x7FFF_FFFF }

    /// Monotonic seconds.
    private static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }
}
