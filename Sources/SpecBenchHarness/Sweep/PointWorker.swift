import SpecBenchResults
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import NumericCore
import SpecBenchCore
import SpecBenchMethods

/// The child-process side of a sweep point (`bench run-point`): builds the operator, then runs
/// rounds in which every method still due runs once, in a seeded random order. A method's first
/// participation prepares it (setup, timed apart); its first `warmup` runs are untimed, the next
/// `repetitions` are the samples. Peak memory is measured around every run (and the setup) with
/// the `VmHWM` reset recipe, above the resident baseline just before. A method's result is
/// emitted as soon as its last round is done, so a later timeout cannot lose it.
/// Test-only: `SPECBENCH_TEST_CRASH=<method key>` (the id, or `id@float32`) makes a point process crash (a write through a
/// bad pointer: SIGSEGV) when that
/// method starts; `<method id>:once` crashes only the first time, using the marker file named by
/// `SPECBENCH_TEST_CRASH_MARKER`. Tests use it to check how a sweep records and reports crashes.
/// Test-only: `SPECBENCH_TEST_TOUCH_MEMORY=<method key>:<MiB>` makes the point process touch that
/// much memory when that method starts, beyond what the method's estimate foresaw: tests use it
/// to check the supervisor's run-time memory cap, which catches what an estimate misses.
enum TestCrash {
    static func touchMemoryIfAsked(method: String) {
        guard let target = ProcessInfo.processInfo.environment["SPECBENCH_TEST_TOUCH_MEMORY"] else { return }
        let parts = target.split(separator: ":")
        guard parts.count == 2, parts[0] == method, let mebibytes = Int(parts[1]), mebibytes > 0 else { return }
        let block = [UInt8](repeating: 1, count: mebibytes << 20)
        // Keep it resident while the supervisor notices (it polls every 10 ms).
        withExtendedLifetime(block) { Thread.sleep(forTimeInterval: 2) }
    }

    static func crashIfAsked(method: String) {
        let environment = ProcessInfo.processInfo.environment
        guard let target = environment["SPECBENCH_TEST_CRASH"] else { return }
        if target == method + ":once" {
            guard let marker = environment["SPECBENCH_TEST_CRASH_MARKER"],
                  !FileManager.default.fileExists(atPath: marker) else { return }
            _ = FileManager.default.createFile(atPath: marker, contents: nil)
        } else if target != method {
            return
        }
        // A real fault, as a crash inside a library would be (a raised SIGSEGV is reported by
        // Swift's backtracer and then execution continues).
        UnsafeMutablePointer<Int>(bitPattern: 8)!.pointee = 1
    }
}

public enum PointWorker {
    /// Makes this point process die (SIGKILL) when the sweep that started it dies, whatever
    /// kills it; exits at once if that sweep (`parent`, its process id) is already gone.
    public static func bindLifetime(toParent parent: Int32?) {
        ProcessLifetime.dieWithParent(expectedParent: parent)
    }

    /// Runs `task`, writing `WorkerEvent` lines through `emit`.
    public static func run(_ task: PointTask, emit: (WorkerEvent) -> Void) throws {
        ThreadControl.setBLASThreads(task.threads.blas)
        ThreadControl.setFFTThreads(task.threads.fft)
        let geometry = try task.point.operator.geometry()
        var kernel = try task.point.kernel.load()
        if let normalize = task.normalize {
            kernel = try normalize.apply(to: kernel, geometry: geometry,
                                         reference: ExactReference(settings: task.reference ?? .init()), seed: task.seed)
        }
        // The methods run on the kernel scaled to entries near 1, their values scaled back.
        let scale = KernelScale(kernel)
        let linearOperator = ConvolutionOperator(kernel: scale.kernel, geometry: geometry)
        struct State {
            let plan: PointTask.MethodPlan
            let method: any SpectralNormMethod
            let context: MethodContext
            var prepared: MethodRunner.Prepared?
            var result: MethodResult
            var samples: [Double] = []
            var cpuSamples: [Double] = []
            var firstValues: [Double]?
            var largestDrift = 0.0
            var runs = 0
            var failed = false
        }
        var states: [State] = try task.methods.map { plan in
            let context = MethodContext(seed: task.seed, topK: task.topK, precision: plan.precision ?? .float64)
            let method = try MethodCatalog.make(id: plan.id, parameters: plan.parameters, context: context)
            var result = MethodResult(method: plan.id, status: .ok, parameters: method.parameterValues)
            result.precision = method.effectivePrecision(context.precision)
            return State(plan: plan, method: method, context: context, result: result)
        }
        let rounds = states.map { $0.plan.warmup + $0.plan.repetitions }.max() ?? 0
        var generator = SeededGenerator(seed: task.seed, stream: "order/\(task.point.id)")
        for round in 0..<rounds {
            var order = Array(states.indices.filter { !states[$0].failed && round < states[$0].plan.warmup + states[$0].plan.repetitions })
            order.shuffle(using: &generator)
            for index in order {
                let id = states[index].plan.key
                // The first run's peak includes the setup: what the method needs in all.
                let baseline = MemoryProbe.resetPeak()
                if states[index].prepared == nil {
                    emit(WorkerEvent(event: "start", method: id, phase: "setup"))
                    TestCrash.crashIfAsked(method: id)
                    TestCrash.touchMemoryIfAsked(method: id)
                    do {
                        let prepared = try MethodRunner.prepare(states[index].method, on: linearOperator, context: states[index].context,
                                                               valueScale: scale.factor)
                        states[index].prepared = prepared
                        states[index].result.guarantee = prepared.guarantee
                        states[index].result.setupSeconds = prepared.setupSeconds
                        emit(WorkerEvent(event: "finish", method: id, phase: "setup", seconds: prepared.setupSeconds))
                    } catch {
                        emit(WorkerEvent(event: "finish", method: id, phase: "setup", seconds: 0))
                        states[index].failed = true
                        emit(WorkerEvent(event: "result", method: id, result: failure(states[index].result, error)))
                        continue
                    }
                }
                let phase = round < states[index].plan.warmup ? "warmup" : "repetition"
                emit(WorkerEvent(event: "start", method: id, phase: phase))
                do {
                    let (outcome, seconds, cpuSeconds) = try MethodRunner.run(states[index].prepared!, repeatWork: states[index].plan.repeatWork)
                    let peak = max(0, MemoryProbe.peakResidentBytes() - baseline)
                    states[index].result.peakBytes = max(states[index].result.peakBytes ?? 0, peak)
                    if let first = states[index].firstValues {
                        for (a, b) in zip(first, outcome.values) {
                            states[index].largestDrift = max(states[index].largestDrift, abs(a - b) / max(abs(a), .leastNormalMagnitude))
                        }
                    } else {
                        states[index].firstValues = outcome.values
                        states[index].result.record(outcome, guarantees: states[index].prepared!)
                    }
                    if phase == "repetition" {
                        states[index].samples.append(seconds)
                        states[index].cpuSamples.append(cpuSeconds)
                    }
                    emit(WorkerEvent(event: "finish", method: id, phase: phase, seconds: seconds))
                } catch {
                    emit(WorkerEvent(event: "finish", method: id, phase: phase, seconds: 0))
                    states[index].failed = true
                    states[index].prepared = nil
                    emit(WorkerEvent(event: "result", method: id, result: failure(states[index].result, error)))
                    continue
                }
                states[index].runs += 1
                if states[index].runs == states[index].plan.warmup + states[index].plan.repetitions {
                    let timing = TimingStatistics(samples: states[index].samples, cpuSamples: states[index].cpuSamples)
                    states[index].result.timing = timing
                    states[index].result.seconds = timing.median
                    if states[index].largestDrift > 0 {
                        states[index].result.message = "values differ between repetitions by up to \(states[index].largestDrift) (relative)"
                    }
                    emit(WorkerEvent(event: "result", method: id, result: states[index].result))
                    states[index].prepared = nil  // release the method's buffers
                }
            }
        }
    }

    private static func failure(_ result: MethodResult, _ error: any Error) -> MethodResult {
        var result = result
        result.status = .error
        result.message = String(describing: error)
        result.value = nil
        result.values = []
        result.valueGuarantees = nil
        return result
    }
}
