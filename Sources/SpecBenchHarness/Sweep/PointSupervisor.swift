import SpecBenchCore
import ProcessControl
import SpecBenchResults
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import NumericCore
import SpecBenchMethods

/// The parent side of a sweep point: runs the point's methods in a child process of this same
/// binary (`bench run-point`), which isolates crashes, gives a clean peak-memory figure, and lets
/// the point's time and memory limits be enforced from outside.
///
/// While the child runs, the supervisor polls its elapsed time and its resident high-water mark
/// (`VmHWM` of `/proc/<pid>/status`, which cannot miss a short peak). Past the memory limit the
/// method running at that moment is recorded `out-of-memory`; past the time limit the method that
/// used the most of the point's time so far is recorded `timeout`. The child is killed and a new
/// one runs the methods not yet finished, so the other methods are still measured. A crash is
/// recorded as an `error` of the method that was running.
public struct PointSupervisor: Sendable {
    /// The executable to run as the child (this binary).
    public let executable: URL
    /// Limits of one child process.
    public let limits: SweepConfiguration.Limits
    /// Polling interval in seconds.
    public var pollInterval: Double = 0.01

    /// A supervisor running `executable run-point` children under `limits`.
    public init(executable: URL, limits: SweepConfiguration.Limits) {
        self.executable = executable
        self.limits = limits
    }

    /// This process's own executable (`/proc/self/exe`, else argv[0]).
    public static var currentExecutable: URL {
        let link = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        if FileManager.default.isExecutableFile(atPath: link.path) && link.path != "/proc/self/exe" { return link }
        return URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
    }

    /// Runs `task` and returns one result per method of the task, in the task's order. A method
    /// whose estimated need (`MemoryCheck`) exceeds the point's memory limit is recorded
    /// `out-of-memory` without being started.
    public func run(_ task: PointTask) -> [MethodResult] {
        let (needs, refusals) = memoryPlan(task)
        var results = refusals
        var pending = task.methods.filter { results[$0.key] == nil }
        while !pending.isEmpty {
            var attempt = task
            attempt.methods = pending
            let finished = runChild(attempt)
            for result in finished { results[result.runKey] = result }
            pending.removeAll { results[$0.key] != nil }
        }
        return task.methods.map { plan in
            var result = results[plan.key]!
            if result.status != .notApplicable { result.memoryNeedBytes = needs[plan.key] }
            return result
        }
    }

    /// Each method's own memory need on the point in its precision, by plan key, and the methods that cannot fit in the
    /// point's memory limit (recorded `out-of-memory`). 
    func memoryPlan(_ task: PointTask) -> (needs: [String: Int], refusals: [String: MethodResult]) {
        guard let geometry = try? task.point.operator.geometry() else { return ([:], [:]) }
        let check = MemoryCheck(limit: limits.memoryBytesPerPoint, limitName: "the point's memory limit")
        let shared = MemoryCheck.sharedNeed(on: geometry, normalizing: task.normalize != nil, reference: task.reference)
        var needs: [String: Int] = [:], refusals: [String: MethodResult] = [:]
        for plan in task.methods where !plan.run.isExternal {
            let context = task.context(of: plan)
            needs[plan.key] = plan.run.method.layerMemoryNeed(on: geometry, context: context).bytes
            refusals[plan.key] = check.refusal(of: plan.run, on: geometry, context: context, shared: shared)
        }
        return (needs, refusals)
    }

    /// One child launch: returns the results it produced, including the one method blamed when
    /// the child had to be stopped or crashed.
    private func runChild(_ task: PointTask) -> [MethodResult] {
        let ids = task.methods.map(\.key)
        let input: Data
        let child: ChildProcess
        do {
            input = try JSONEncoder().encode(task)
            // The child dies with this process (PR_SET_PDEATHSIG), checked against this pid.
            child = try ChildProcess(executable: executable, arguments: ["run-point", "--parent-pid", String(getpid())], input: input)
        } catch {
            return ids.map { failed($0, task, .error, "could not start the point's process: \(error)") }
        }
        let watch = Stopwatch()
        var results: [MethodResult] = []
        var consumed: [String: Double] = [:]
        var inFlight: (method: String, since: Double)?
        var stopped: (status: MethodStatus, message: String)?

        func drain() {
            for line in child.takeLines() {
                guard let event = try? JSONCoding.decoder.decode(WorkerEvent.self, from: Data(line.utf8)) else { continue }
                switch event.event {
                case "start":
                    inFlight = (event.method, watch.elapsedSeconds)
                case "finish":
                    consumed[event.method, default: 0] += watch.elapsedSeconds - (inFlight?.since ?? watch.elapsedSeconds)
                    inFlight = nil
                case "result":
                    if let result = event.result { results.append(result) }
                default:
                    break
                }
            }
        }

        while child.isRunning {
            Thread.sleep(forTimeInterval: pollInterval)
            drain()
            let elapsed = watch.elapsedSeconds
            if let peak = MemoryProbe.peakResidentBytes(ofProcess: child.pid), peak > limits.memoryBytesPerPoint {
                child.kill()
                stopped = (.outOfMemory, "the point's process reached \(ResultFormatting.bytes(peak)) resident, above the limit of \(ResultFormatting.bytes(limits.memoryBytesPerPoint))")
                break
            }
            if elapsed > limits.secondsPerPoint {
                child.kill()
                stopped = (.timeout, "the point's process ran past its limit of \(ResultFormatting.seconds(limits.secondsPerPoint))")
                break
            }
        }
        child.wait()
        drain()
        let done = Set(results.map(\.runKey))
        if let inFlight { consumed[inFlight.method, default: 0] += watch.elapsedSeconds - inFlight.since }

        if let stopped {
            // Memory: the method running at that moment. Time: the one that used most of it.
            let culprit: String?
            switch stopped.status {
            case .outOfMemory: culprit = inFlight?.method ?? ids.first { !done.contains($0) }
            default:
                culprit = consumed.filter { !done.contains($0.key) }.max { $0.value < $1.value }?.key
                    ?? inFlight?.method ?? ids.first { !done.contains($0) }
            }
            if let culprit {
                let used = consumed[culprit].map { " (\(culprit) used \(ResultFormatting.seconds($0)) of it)" } ?? ""
                results.append(failed(culprit, task, stopped.status, stopped.message + (stopped.status == .timeout ? used : "")))
            }
            return results
        }
        let (status, signaled) = child.termination
        if status != 0 || signaled || results.count < ids.count {
            let how = signaled ? "crashed with signal \(status)" : (status != 0 ? "exited with status \(status)" : "ended early")
            let detail = Self.crashDetail(child.errorText).map { ": " + $0 } ?? ""
            if let culprit = inFlight?.method ?? ids.first(where: { !done.contains($0) }), !done.contains(culprit) {
                results.append(failed(culprit, task, .error, "the point's process \(how) while running \(culprit)\(detail)"))
            }
        }
        return results
    }

    /// The informative line of a child's stderr: the Swift runtime's crash or fatal-error line
    /// when there is one (a backtrace otherwise ends in memory-map lines), else the last line.
    static func crashDetail(_ text: String) -> String? {
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let markers = ["Program crashed", "Fatal error", "Swift runtime failure", "error:", "Crash"]
        if let line = lines.first(where: { line in markers.contains { line.contains($0) } }) {
            return line.replacingOccurrences(of: "*", with: "").trimmingCharacters(in: .whitespaces)
        }
        return lines.last
    }

    /// The result of a run the child could not finish: the same method, effective parameters
    /// and precision as a success would record.
    private func failed(_ key: String, _ task: PointTask, _ status: MethodStatus, _ message: String) -> MethodResult {
        guard let plan = task.methods.first(where: { $0.key == key }) else {
            return MethodResult(method: key, status: status, parameters: [:])
        }
        return plan.result(status: status, message: message)
    }
}
