import Foundation
import Synchronization
import Testing
@testable import NumericCore

/// The helper team behind `ParallelWork`: every share runs exactly once per job, jobs follow each
/// other without a lost wake-up, whether helpers are spinning or asleep, and a job with fewer
/// workers than helpers leaves the others idle. (The libraries are not called here, so the test
/// process may use the team although it does not adapt OpenBLAS's threads.)
@Suite("Worker team", .serialized)
struct WorkerTeamTests {
    /// Per-worker counters shared with the helpers.
    final class Counters: Sendable {
        let counts: Mutex<[Int]>
        init(_ count: Int) { counts = Mutex([Int](repeating: 0, count: count)) }
        func add(_ worker: Int) { counts.withLock { $0[worker] += 1 } }
        func value(_ worker: Int) -> Int { counts.withLock { $0[worker] } }
    }

    @Test("20,000 back-to-back jobs of 2 and 3 workers: each share once per job", .timeLimit(.minutes(1)))
    func backToBackJobs() {
        let counters = Counters(3)
        for job in 0..<20_000 {
            let workers = job % 2 == 0 ? 2 : 3
            WorkerTeam.shared.run(workers: workers) { worker in counters.add(worker) }
        }
        #expect(counters.value(0) == 20_000)
        #expect(counters.value(1) == 20_000)
        #expect(counters.value(2) == 10_000)
    }

    @Test("jobs after the helpers have gone to sleep still run every share", .timeLimit(.minutes(1)))
    func jobsAfterSleep() {
        let counters = Counters(2)
        for _ in 0..<5 {
            // Well past the spin window, so the helper waits on the condition.
            Thread.sleep(forTimeInterval: 20 * WorkerTeam.spinSeconds)
            WorkerTeam.shared.run(workers: 2) { worker in counters.add(worker) }
        }
        #expect(counters.value(0) == 5 && counters.value(1) == 5)
    }

    @Test("shares run side by side: two shares that wait for each other both finish", .timeLimit(.minutes(1)))
    func sharesRunConcurrently() {
        // Each share announces itself and waits for the other: only concurrent shares can finish.
        let arrived = Counters(1)
        WorkerTeam.shared.run(workers: 2) { _ in
            arrived.add(0)
            while arrived.value(0) < 2 {}
        }
        #expect(arrived.value(0) == 2)
    }
}
