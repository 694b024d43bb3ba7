import Foundation
import NumericCore

/// Makes a `bench` process run the best OpenBLAS core this CPU can run, proven first.
///
/// At start-up (`prepareProcess`), before anything is measured: read the core OpenBLAS chose and
/// the CPU's features; when the chosen core is weaker than the best for those features
/// (`BLASCoreDecision`), run the self-test of that core against the generic one in two child
/// processes (`BLASCoreSelfTest`; the verdict is cached per CPU and library build), and if it
/// passes, execute the program again with `OPENBLAS_CORETYPE` set to it — together with
/// `OPENBLAS_THREAD_TIMEOUT` (`OpenBLASEnvironment`), so one re-execution serves both. A core
/// the caller set is kept. The decision travels to the re-executed process and to every child
/// (the sweep's point processes) in `markerVariable`, so it is made once per command.
public enum BLASCoreSelection {
    /// The environment variable carrying the decision (a `BLASCoreReport` as JSON).
    public static let markerVariable = "SPECBENCH_OPENBLAS_CORE"
    /// Test seam, read at start-up only: start as if OpenBLAS had detected this core (the process
    /// executes itself with it forced, then decides as for a detection). Lets a machine whose
    /// OpenBLAS detects its CPU correctly exercise the upgrade end to end.
    public static let detectionSeam = "SPECBENCH_TEST_DETECTED_BLAS_CORE"
    /// Seconds a self-test child may take before its core is refused.
    static let childTimeout = 30.0

    nonisolated(unsafe) private static var decided: BLASCoreReport?

    /// The decision for this process: the one `prepareProcess` made or inherited, else (a
    /// process that never called it, such as the test runner) what the library and the
    /// environment say, without a self-test.
    public static var current: BLASCoreReport {
        if let decided { return decided }
        let environment = ProcessInfo.processInfo.environment
        if let marker = inheritedReport(environment) { return marker }
        return keepReport(loaded: OpenBLASCore.loaded, origin: environment[OpenBLASCore.variable] == nil ? .detected : .caller,
                          features: CPUFeatures.current())
    }

    /// Decides, self-tests and executes the program again when needed; returns when this
    /// process runs as it should. `log` receives one line when a self-test runs or a core is
    /// refused. Skipped in the self-test's own children.
    public static func prepareProcess(log: (String) -> Void) {
        if CommandLine.arguments.dropFirst().first == BLASCoreSelfTest.command { return }
        let environment = ProcessInfo.processInfo.environment
        var mustExecute = OpenBLASEnvironment.setIdleThreadsSleep()
        if let marker = inheritedReport(environment) {
            decided = marker
        } else if environment[OpenBLASCore.variable] == nil, let simulated = environment[detectionSeam], !simulated.isEmpty {
            let report = BLASCoreReport(inUse: simulated, detected: simulated, best: nil, origin: .simulatedDetection,
                                        selfTest: nil, weaker: false, note: "started as if OpenBLAS had detected \(simulated) (test seam)")
            setenv(OpenBLASCore.variable, simulated, 1)
            setMarker(report)
            mustExecute = true
        } else {
            let report = decide(environment: environment, log: log)
            if report.origin == .upgraded {
                setenv(OpenBLASCore.variable, report.inUse, 1)
                mustExecute = true
            }
            setMarker(report)
            decided = report
        }
        if mustExecute { OpenBLASEnvironment.executeAgain() }
        if var report = decided, report.inUse.lowercased() != OpenBLASCore.loaded.lowercased() {
            // Re-execution failed, or OpenBLAS ignored the name: say what really runs.
            report.note += "; but OpenBLAS runs \(OpenBLASCore.loaded)"
            report.inUse = OpenBLASCore.loaded
            report.weaker = weaker(report.inUse, than: report.best)
            decided = report
        }
    }

    /// A marker report that describes this environment, or nil (none, unreadable, or stale: the
    /// `OPENBLAS_CORETYPE` it implies is not the one set).
    private static func inheritedReport(_ environment: [String: String]) -> BLASCoreReport? {
        guard let text = environment[markerVariable], let data = text.data(using: .utf8),
              let report = try? JSONDecoder().decode(BLASCoreReport.self, from: data) else { return nil }
        let forced = environment[OpenBLASCore.variable]
        switch report.origin {
        case .detected: return forced == nil ? report : nil
        case .caller, .upgraded: return forced == report.inUse ? report : nil
        case .simulatedDetection: return nil
        }
    }

    private static func setMarker(_ report: BLASCoreReport) {
        guard let data = try? JSONEncoder().encode(report) else { return }
        setenv(markerVariable, String(decoding: data, as: UTF8.self), 1)
    }

    /// The decision for a fresh process, with the self-test when the decision asks for one.
    private static func decide(environment: [String: String], log: (String) -> Void) -> BLASCoreReport {
        let features = CPUFeatures.current()
        let loaded = OpenBLASCore.loaded
        // A core forced by the detection seam's first start counts as detected.
        let simulated = environment[markerVariable].flatMap { $0.data(using: .utf8) }
            .flatMap { try? JSONDecoder().decode(BLASCoreReport.self, from: $0) }
            .map { $0.origin == .simulatedDetection && environment[OpenBLASCore.variable] == $0.inUse } ?? false
        let origin: BLASCoreDecision.Origin = environment[OpenBLASCore.variable] == nil || simulated ? .detected : .caller
        guard case .tryCore(let candidate) = BLASCoreDecision.decide(features: features, loadedCore: loaded, origin: origin),
              let features else {
            return keepReport(loaded: loaded, origin: origin, features: features)
        }
        let cache = BLASCoreSelfTestCache.standard
        let key = BLASCoreSelfTestCache.key(candidate: candidate, features: features)
        let verdict: BLASCoreSelfTestCache.Verdict
        let fromCache: Bool
        if let cached = cache.verdict(for: key) {
            verdict = cached
            fromCache = true
        } else {
            log("OpenBLAS chose its \(loaded) kernels on this CPU, which can run \(candidate): testing \(candidate) against \(BLASCoreSelfTest.genericCore) (once per CPU and OpenBLAS build)")
            let failure = selfTestFailure(candidate: candidate)
            verdict = BLASCoreSelfTestCache.Verdict(passed: failure == nil, detail: failure, testedAt: ISO8601DateFormatter().string(from: Date()))
            fromCache = false
            cache.store(verdict, for: key)
        }
        let cachedNote = fromCache ? " (cached)" : ""
        if verdict.passed {
            return BLASCoreReport(inUse: candidate, detected: loaded, best: candidate, origin: .upgraded, selfTest: "passed" + cachedNote, weaker: false,
                                  note: "OpenBLAS detected \(loaded); \(candidate) passed the self-test and runs instead")
        }
        let detail = verdict.detail ?? "unknown"
        log("warning: OpenBLAS's \(candidate) kernels failed the self-test on this CPU (\(detail)); keeping \(loaded)")
        return BLASCoreReport(inUse: loaded, detected: loaded, best: candidate, origin: .detected, selfTest: "failed\(cachedNote): \(detail)", weaker: true,
                              note: "\(candidate) failed the self-test, so \(loaded) is kept")
    }

    private static func keepReport(loaded: String, origin: BLASCoreDecision.Origin, features: CPUFeatures?) -> BLASCoreReport {
        let best = features.flatMap { OpenBLASCoreTier.bestCore(for: $0) }
        let decision = BLASCoreDecision.decide(features: features, loadedCore: loaded, origin: origin)
        let note: String
        let weakerCore: Bool
        switch decision {
        case .keep(let weaker, let reason): (note, weakerCore) = (reason, weaker)
        case .tryCore(let candidate): (note, weakerCore) = ("\(candidate) not tried in this process (bench tries it at start-up)", true)
        }
        return BLASCoreReport(inUse: loaded, detected: origin == .detected ? loaded : nil, best: best,
                              origin: origin == .detected ? .detected : .caller, selfTest: nil, weaker: weakerCore, note: note)
    }

    private static func weaker(_ core: String, than best: String?) -> Bool {
        guard let best, let a = OpenBLASCoreTier.of(core: core), let b = OpenBLASCoreTier.of(core: best) else { return false }
        return a < b
    }

    /// Runs the workload under the generic core and under `candidate`, each in a child process;
    /// nil when they agree and the child really ran `candidate`, otherwise why not.
    static func selfTestFailure(candidate: String) -> String? {
        let generic: BLASCoreSelfTest.Outcome
        switch runChild(core: BLASCoreSelfTest.genericCore) {
        case .success(let outcome): generic = outcome
        case .failure(let message): return "the generic core's run failed: \(message)"
        }
        switch runChild(core: candidate) {
        case .failure(let message): return message
        case .success(let outcome):
            guard outcome.core.lowercased() == candidate.lowercased() else {
                return "this OpenBLAS build has no \(candidate) core (it ran \(outcome.core))"
            }
            return BLASCoreSelfTest.disagreement(candidate: outcome, generic: generic)
        }
    }

    private enum ChildResult { case success(BLASCoreSelfTest.Outcome), failure(String) }

    private static func runChild(core: String) -> ChildResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe")
        process.arguments = [BLASCoreSelfTest.command]
        var environment = ProcessInfo.processInfo.environment
        environment[OpenBLASCore.variable] = core
        environment["OPENBLAS_NUM_THREADS"] = "1"
        environment[OpenBLASEnvironment.variable] = OpenBLASEnvironment.value
        environment[markerVariable] = nil
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { return .failure("cannot start the self-test: \(error.localizedDescription)") }
        let deadline = DispatchTime.now() + childTimeout
        let reader = DispatchQueue(label: "blas-self-test")
        nonisolated(unsafe) var data = Data()
        let done = DispatchSemaphore(value: 0)
        reader.async {
            data = output.fileHandleForReading.readDataToEndOfFile()
            done.signal()
        }
        if done.wait(timeout: deadline) == .timedOut {
            process.terminate()
            return .failure("\(core)'s self-test did not finish within \(Int(childTimeout)) s")
        }
        process.waitUntilExit()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            let how = process.terminationReason == .uncaughtSignal ? "signal \(process.terminationStatus)" : "exit \(process.terminationStatus)"
            return .failure("\(core)'s self-test ended with \(how)")
        }
        guard let outcome = try? JSONDecoder().decode(BLASCoreSelfTest.Outcome.self, from: data) else {
            return .failure("\(core)'s self-test wrote no readable result")
        }
        return .success(outcome)
    }
}
