import SpecBenchCore
import Foundation
import SpecBenchMethods
import SpecBenchResults

/// The one fault-injection seam: what the tests ask a run to go through (a crash, an
/// unforeseen allocation, a slowdown), read once at the edge from the environment
/// (`fromEnvironment`, called by the command line), carried in the run's options and each
/// point's task, and applied by the measuring code around a method — never inside the operator
/// or a method. Without the variables it is `.none` and costs a comparison per run.
///
/// - `SPECBENCH_TEST_CRASH=KEY` (a run key: `gram-zero`, `powerqr@float32`; `KEY:once` with
///   `SPECBENCH_TEST_CRASH_MARKER=FILE` crashes only the first time): the point process dies by
///   SIGSEGV when that run starts.
/// - `SPECBENCH_TEST_TOUCH_MEMORY=KEY:MiB`: the point process touches that much memory when the
///   run starts, beyond the method's estimate (the supervisor's run-time cap must catch it).
/// - `SPECBENCH_TEST_SLOWDOWN=TARGET:FACTOR` (a factor from 1 to 4): every timed run of the
///   target takes `FACTOR` times as long, by spinning after the work (the values do not
///   change). TARGET is a run key, or `operator`: every method whose time is the convolution
///   operator (`MethodMetadata.operatorUse`), as a slower operator would slow them together.
public struct FaultInjection: Codable, Sendable, Equatable {
    /// The run key whose start crashes the point process.
    public var crash: String?
    /// With `crash`: crash only while this marker file does not exist (created on the crash).
    public var crashOnceMarker: String?
    /// The run key whose start touches `touchMebibytes` of memory.
    public var touchMemory: String?
    /// How much memory `touchMemory` touches.
    public var touchMebibytes: Int = 0
    /// What the slowdown targets: a run key or `operator`.
    public var slowdownTarget: String?
    /// How many times as long a timed run of the target takes.
    public var slowdownFactor: Double = 1

    /// No fault.
    public static let none = FaultInjection()

    /// The faults `environment` asks for (malformed values ask for none). O(1).
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> FaultInjection {
        var faults = FaultInjection()
        if let crash = environment["SPECBENCH_TEST_CRASH"] {
            if crash.hasSuffix(":once"), let marker = environment["SPECBENCH_TEST_CRASH_MARKER"] {
                faults.crash = String(crash.dropLast(5))
                faults.crashOnceMarker = marker
            } else {
                faults.crash = crash
            }
        }
        if let touch = environment["SPECBENCH_TEST_TOUCH_MEMORY"]?.split(separator: ":"), touch.count == 2,
           let mebibytes = Int(touch[1]), mebibytes > 0 {
            faults.touchMemory = String(touch[0])
            faults.touchMebibytes = mebibytes
        }
        if let slow = environment["SPECBENCH_TEST_SLOWDOWN"]?.split(separator: ":"), slow.count == 2,
           let factor = Double(slow[1]), (1...4).contains(factor) {
            faults.slowdownTarget = String(slow[0])
            faults.slowdownFactor = factor
        }
        return faults
    }

    /// Applied as `key`'s run starts (before its setup): crashes or touches memory if asked.
    func runStarting(_ key: String) {
        if key == crash {
            if let marker = crashOnceMarker {
                guard !FileManager.default.fileExists(atPath: marker) else { return }
                _ = FileManager.default.createFile(atPath: marker, contents: nil)
            }
            // A real fault, as a crash inside a library would be (a raised SIGSEGV is reported
            // by Swift's backtracer and then execution continues).
            UnsafeMutablePointer<Int>(bitPattern: 8)!.pointee = 1
        }
        if key == touchMemory {
            let block = [UInt8](repeating: 1, count: touchMebibytes << 20)
            // Keep it resident while the supervisor notices (it polls every 10 ms).
            withExtendedLifetime(block) { Thread.sleep(forTimeInterval: 2) }
        }
    }

    /// The factor by which a timed run of `run` (keyed `key`) that reported `tier` is slowed.
    func slowdown(of run: MethodRun, key: String, tier: String?) -> Double {
        guard let target = slowdownTarget else { return 1 }
        if target == key { return slowdownFactor }
        if target == "operator" && type(of: run.method).metadata.operatorUse.applies(tier: tier) { return slowdownFactor }
        return 1
    }
}
