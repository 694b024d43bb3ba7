import Dispatch
import Foundation

/// Independent tasks spread over the run's thread budget, each on one thread with
/// single-threaded BLAS and FFTW inside.
///
/// The frequency-domain methods solve hundreds of small problems (one complex `c × c` Gram
/// product, SVD or inverse FFT per frequency or channel pair). Handing each to a 2-thread
/// OpenBLAS splits a 128×128 product in two and spends the gain on synchronisation, and on a
/// loaded machine a waiting OpenBLAS thread spins; running whole tasks side by side on
/// single-threaded libraries keeps every core on arithmetic. The budget is the run's BLAS
/// thread count (`ThreadControl.blasThreads`, set from the sweep's `threads.blas`), so a
/// 1-thread run (the default sweep, the CI gate) runs the tasks in order on the calling thread,
/// exactly as before; so does a process that has not turned on
/// `ThreadControl.adaptsToProblemSize` (a test process, whose tests run side by side).
///
/// Results come back in task order whatever the schedule, so sums over them are formed in a fixed
/// order and the values do not depend on the number of threads.
public enum ParallelWork {
    /// Operations below which work split by its caller into shares (`forEachWorker`) stays on
    /// one worker: 100 kFLOP, a few microseconds on one core, about what handing out a share
    /// costs (waking a worker took about 5 µs here).
    public static let sharedFromOperations = 1e5

    /// The number of workers a batch of `count` tasks gets: the BLAS thread budget, at most
    /// `count`; one (the tasks in order on the calling thread) unless the process adapts its
    /// threads to the problem size (`ThreadControl.adaptsToProblemSize`).
    public static func workers(for count: Int) -> Int {
        guard ThreadControl.adaptsToProblemSize else { return 1 }
        return max(1, min(count, ThreadControl.blasThreads))
    }

    /// `body(task)` for every `task` in `0..<count`, on up to `workers(for: count)` threads,
    /// results in task order. Tasks are handed out one at a time to whichever worker is free.
    /// While more than one worker runs, OpenBLAS and new FFTW plans use one thread each; the
    /// previous counts are restored afterwards. The first error thrown by any task is rethrown
    /// once every worker has stopped (tasks not yet started are skipped).
    public static func map<Result: Sendable>(
        count: Int, _ body: @Sendable (_ task: Int) throws -> Result
    ) throws -> [Result] {
        let workers = workers(for: count)
        if workers <= 1 { return try (0..<count).map(body) }
        let state = SharedState<Result>(count: count)
        withSingleThreadedLibraries {
            withoutActuallyEscaping(body) { body in
                WorkerTeam.shared.run(shares: workers) { _ in
                    while let task = state.nextTask() {
                        do {
                            state.store(try body(task), at: task)
                        } catch {
                            state.fail(error)
                        }
                    }
                }
            }
        }
        return try state.results()
    }

    /// `body(worker, workers)` once for every worker `0..<workers(for: count)`, side by side,
    /// with single-threaded libraries while more than one runs (as `map`). For work split by the
    /// caller into one disjoint share per worker.
    static func forEachWorker(upTo count: Int, _ body: @Sendable (_ worker: Int, _ workers: Int) -> Void) {
        let workers = workers(for: count)
        if workers <= 1 {
            body(0, 1)
            return
        }
        withSingleThreadedLibraries {
            withoutActuallyEscaping(body) { body in
                WorkerTeam.shared.run(shares: workers) { worker in body(worker, workers) }
            }
        }
    }

    /// Runs `body` with OpenBLAS and new FFTW plans on one thread each, restoring the counts after.
    private static func withSingleThreadedLibraries(_ body: () -> Void) {
        let blasThreads = ThreadControl.blasThreads, fftThreads = ThreadControl.fftThreads
        ThreadControl.setBLASThreads(1)
        ThreadControl.setFFTThreads(1)
        defer {
            ThreadControl.setBLASThreads(blasThreads)
            ThreadControl.setFFTThreads(fftThreads)
        }
        body()
    }

    /// The task counter, the results and the first error, behind one lock.
    private final class SharedState<Result: Sendable>: @unchecked Sendable {
        private let lock = NSLock()
        private var next = 0
        private var slots: [Result?]
        private var error: (any Error)?

        init(count: Int) { slots = Array(repeating: nil, count: count) }

        func nextTask() -> Int? {
            lock.lock()
            defer { lock.unlock() }
            guard error == nil, next < slots.count else { return nil }
            next += 1
            return next - 1
        }

        func store(_ result: Result, at task: Int) {
            lock.lock()
            slots[task] = result
            lock.unlock()
        }

        func fail(_ failure: any Error) {
            lock.lock()
            if error == nil { error = failure }
            lock.unlock()
        }

        func results() throws -> [Result] {
            lock.lock()
            defer { lock.unlock() }
            if let error { throw error }
            return slots.map { $0! }
        }
    }
}
