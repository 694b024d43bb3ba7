import Foundation
import Testing
import SpecBenchHarness
import SpecBenchResults
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A run folder belongs to one sweep at a time, and point processes never outlive their sweep
/// (issue: the harness under abuse, items 1 and 2).
@Suite("Run ownership: one sweep per run folder, no orphaned point processes", .serialized)
struct RunOwnershipTests {
    /// A sweep started in the background, with its stdout and stderr collected.
    final class BackgroundSweep: @unchecked Sendable {
        let process = Process()
        private let errorPipe = Pipe()

        init(_ arguments: [String]) throws {
            process.executableURL = BenchProcess.executable
            process.arguments = arguments
            process.standardOutput = FileHandle.nullDevice
            process.standardError = errorPipe
            try process.run()
        }

        var pid: Int32 { process.processIdentifier }

        /// Waits for the process to exit (not for its stderr to close: an orphaned point
        /// process may still hold it); returns the exit status, 128 + signal when killed.
        func waitForExit() -> Int32 {
            process.waitUntilExit()
            return process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
        }

        /// Waits for the end; returns the exit status and everything written on stderr.
        func finish() -> (status: Int32, stderr: String) {
            let error = errorPipe.fileHandleForReading.readDataToEndOfFile()
            return (waitForExit(), String(decoding: error, as: UTF8.self))
        }
    }

    /// Process ids whose parent is `parent` and whose command line contains `run-point`.
    static func pointProcesses(of parent: Int32) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { pid in
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return false }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 1, Int32(fields[1]) == parent else { return false }
            let command = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline"))) ?? Data()
            return String(decoding: command, as: UTF8.self).contains("run-point")
        }
    }

    /// Whether `pid` is a live process (zombies awaiting a reaper count as gone).
    static func isAlive(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        let state = stat[stat.index(after: close)...].split(separator: " ").first ?? ""
        return state != "Z" && state != "X"
    }

    /// Polls `condition` every 20 ms for up to `seconds`.
    static func wait(seconds: Double, until condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            usleep(20_000)
        }
        return condition()
    }

    /// One slow point (a long power iteration, several seconds in a debug build): it must keep
    /// running well past the one-second check after its sweep is killed, or the check could not
    /// tell a killed child from one that finished on its own.
    static let slowConfig = """
        name: slow
        seed: 5
        grid:
          cout: [4]
          kernelSizes: [3]
          inputSizes: [8]
          paddings: [zero]
        methods:
          - id: power-iteration
            parameters: {iterations: 400000}
        repetitions: 1
        warmup: 0
        """

    /// Starts a sweep of `slowConfig` in the background and waits until its point process runs.
    static func startSlowSweep() throws -> (sweep: BackgroundSweep, config: String, output: URL, children: [Int32]) {
        let (config, folder) = SweepFixture.config(slowConfig)
        let output = folder.appendingPathComponent("run")
        let sweep = try BackgroundSweep(["sweep", "--config", config, "--output", output.path, "--no-report"])
        var children: [Int32] = []
        let started = wait(seconds: 60) {
            children = pointProcesses(of: sweep.pid)
            return !children.isEmpty
        }
        #expect(started, "the sweep never started a point")
        return (sweep, config, output, children)
    }

    @Test("two sweeps started at once on one output: one runs, the other exits 64 naming it; the run is intact")
    func twoSweepsAtOnce() throws {
        let (config, folder) = SweepFixture.config(SweepFixture.smallGrid)
        let output = folder.appendingPathComponent("run")
        let arguments = ["sweep", "--config", config, "--output", output.path, "--no-report"]
        let first = try BackgroundSweep(arguments)
        let second = try BackgroundSweep(arguments)
        let results = [first.finish(), second.finish()]
        #expect(results.map(\.status).sorted() == [0, 64], "\(results)")
        let loser = try #require(results.first { $0.status == 64 })
        #expect(loser.stderr.contains("in use by another sweep") && loser.stderr.contains("process "), "\(loser.stderr)")
        let records = try SweepFixture.records(output)
        #expect(records.count == 16 * methodCount)
        #expect(Set(records.map { "\($0.point) \($0.result.method)" }).count == records.count, "no duplicated or spliced lines")
        // The finished run is resumable state-free: a later sweep on it runs normally.
        let again = try SweepFixture.sweep(config, output: output, extra: ["--restart"])
        #expect(again.status == 0, "\(again.stderr)")
    }

    @Test("a live run refuses a second sweep, even with --resume; after kill -9 the run resumes at once")
    func liveRunIsRefusedThenResumable() throws {
        let (live, config, output, _) = try Self.startSlowSweep()
        let intruder = try SweepFixture.sweep(config, output: output, extra: ["--resume"])
        #expect(intruder.status == 64)
        #expect(intruder.stderr.contains("process \(live.pid)"), "\(intruder.stderr)")
        #expect(!intruder.stderr.contains("interrupted"), "a live run is not an interrupted one: \(intruder.stderr)")
        kill(live.pid, SIGKILL)
        _ = live.finish()
        let resumed = try SweepFixture.sweep(config, output: output, extra: ["--resume"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try SweepFixture.records(output).count == 2)
    }

    @Test("point processes die with their sweep: kill -9, SIGTERM, SIGINT; --resume then completes the run",
          arguments: [SIGKILL, SIGTERM, SIGINT])
    func noOrphans(_ signal: Int32) throws {
        let (sweep, config, output, children) = try Self.startSlowSweep()
        // Let the child get well into the long power iteration, where it writes nothing for
        // seconds: killed earlier, its next progress line would hit a pipe with no reader and
        // SIGPIPE would end it, which says nothing about orphans.
        usleep(1_500_000)
        kill(sweep.pid, signal)
        let status = sweep.waitForExit()
        #expect(status == 128 + signal, "the sweep must end by the signal (status \(status))")
        let gone = Self.wait(seconds: 1) { children.allSatisfy { !Self.isAlive($0) } }
        let survivors = children.filter(Self.isAlive)
        #expect(gone, "run-point processes \(survivors) outlived their sweep after signal \(signal)")
        for pid in survivors { kill(pid, SIGKILL) }  // clean up after a failure
        _ = sweep.finish()
        let resumed = try SweepFixture.sweep(config, output: output, extra: ["--resume"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try SweepFixture.records(output).count == 2)
    }
}
