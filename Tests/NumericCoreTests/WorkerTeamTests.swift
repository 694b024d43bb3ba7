import Foundation
import Testing
@testable import NumericCore

/// The helper team behind `ParallelWork`: every share runs exactly once per job, jobs follow each
/// other without a lost wake-up, whether helpers are spinning or asleep, a job with fewer shares
/// than helpers leaves the others idle, and a caller whose helpers are busy elsewhere runs the
/// shares itself. (The libraries are not called here, so the test
/// process may use the team although it does not adapt OpenBLAS's threads.)
@Suite("Worker team", .serialized)
struct WorkerTeamTests {
    /// Per-worker counters shared with the helpers, behind a pthread lock (which
    /// ThreadSanitizer understands, so a run under it checks the team, not the counters).
    final class Counters: @unchecked Sendable {
        private let lock = NSLock()
        private var counts: [Int]
        init(_ count: Int) { counts = [Int](repeating: 0, count: count) }
        func add(_ worker: Int) { lock.withLock { counts[worker] += 1 } }
        func value(_ worker: Int) -> Int { lock.withLock { counts[worker] } }
    }

    @Test("20,000 back-to-back jobs of 2 and 3 workers: each share once per job", .timeLimit(.minutes(1)))
    func backToBackJobs() {
        let counters = Counters(3)
        for job in 0..<20_000 {
            let workers = job % 2 == 0 ? 2 : 3
            WorkerTeam.shared.run(shares: workers) { worker in counters.add(worker) }
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
            WorkerTeam.shared.run(shares: 2) { worker in counters.add(worker) }
        }
        #expect(counters.value(0) == 5 && counters.value(1) == 5)
    }

    @Test("the calling thread claims shares too, and each of 8 slow shares runs once", .timeLimit(.minutes(1)))
    func callerClaimsShares() {
        // The caller claims right after publishing the job; with 2 ms per share it gets at
        // least one of them, which is what lets a job finish when helpers do not come.
        let caller = pthread_self()
        let counters = Counters(8), onCaller = Counters(1)
        WorkerTeam.shared.run(shares: 8) { share in
            if pthread_equal(pthread_self(), caller) != 0 { onCaller.add(0) }
            Thread.sleep(forTimeInterval: 0.002)
            counters.add(share)
        }
        #expect((0..<8).allSatisfy { counters.value($0) == 1 })
        #expect(onCaller.value(0) >= 1)
    }

    @Test("shares run side by side: two shares that wait for each other both finish", .timeLimit(.minutes(1)))
    func sharesRunConcurrently() {
        // Each share announces itself and waits for the other: only concurrent shares can finish.
        let arrived = Counters(1)
        WorkerTeam.shared.run(shares: 2) { _ in
            arrived.add(0)
            while arrived.value(0) < 2 {}
        }
        #expect(arrived.value(0) == 2)
    }
}
