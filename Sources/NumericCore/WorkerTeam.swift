import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The helper threads behind `ParallelWork`: a process-wide team that runs one job at a time,
/// the calling thread taking share 0 and each helper one share of its own.
///
/// Helpers wait for the next job spinning for `spinSeconds`, then asleep on a condition. Power
/// iteration at 16 channels hands out two shares about every 25 µs, and waking a sleeping
/// thread took about 13 µs here (`DispatchQueue.concurrentPerform` with 20 µs of work per share
/// took 33 µs a call; a spinning helper 20.3 µs), so a helper that has just finished a share
/// spins briefly and is there for the next; one that is not needed within `spinSeconds` sleeps
/// and costs nothing. The caller spins while the helpers finish (their shares are as large as
/// its own), yielding the processor once a wait has lasted `spinSeconds`.
///
/// One job at a time: `ParallelWork` runs only in processes that call the libraries from one
/// thread (`ThreadControl.adaptsToProblemSize`), and a job's shares run single-threaded
/// libraries, so no job starts another. O(workers) per job besides the work.
final class WorkerTeam: @unchecked Sendable {
    /// The team, created on first use.
    static let shared = WorkerTeam()

    /// How long an idle helper spins before sleeping, and a waiting caller before yielding.
    static let spinSeconds = 200e-6

    /// Bumped once per job; helpers run the job when it changes.
    private let generation = Atomic<Int>(0)
    /// Helpers that have not yet finished the current job.
    private let remaining = Atomic<Int>(0)
    /// Guards sleeping helpers and the helper count.
    private let condition = NSCondition()
    /// The current job and its number of workers; written before `generation` is bumped
    /// (release) and read after it is seen (acquire).
    nonisolated(unsafe) private var job: (@Sendable (Int) -> Void)?
    nonisolated(unsafe) private var jobWorkers = 0
    /// Helper threads started so far.
    private var helpers = 0

    private init() {}

    /// Runs `body(worker)` for every worker in `0..<workers`: `body(0)` on the calling thread,
    /// the others on helpers, returning when all have finished.
    func run(workers: Int, _ body: @escaping @Sendable (Int) -> Void) {
        guard workers > 1 else {
            body(0)
            return
        }
        condition.lock()
        while helpers < workers - 1 {
            // The helper starts from the generation before this job's, so it cannot miss the job.
            let index = helpers + 1, before = generation.load(ordering: .acquiring)
            let thread = Thread { [unowned self] in self.serve(index: index, seen: before) }
            thread.name = "specbench-worker-\(index)"
            thread.start()
            helpers += 1
        }
        job = body
        jobWorkers = workers
        remaining.store(helpers, ordering: .relaxed)
        generation.add(1, ordering: .releasing)
        condition.broadcast()
        condition.unlock()
        body(0)
        let start = Self.now()
        while remaining.load(ordering: .acquiring) > 0 {
            if Self.now() - start > Self.spinSeconds { sched_yield() }
        }
        job = nil
    }

    /// A helper's loop: wait for a new job, run its share if the job has one for it, report.
    private func serve(index: Int, seen before: Int) {
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
            if index < jobWorkers, let job { job(index) }
            remaining.subtract(1, ordering: .releasing)
        }
    }

    /// Monotonic seconds.
    private static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }
}
