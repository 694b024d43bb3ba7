import ProcessControl
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
/// Faults asked for by a test (`FaultInjection`, carried in the task) are applied as a method
/// starts and around its timed runs.
public enum PointWorker {
    /// Makes this point process die (SIGKILL) when the sweep that started it dies, whatever
    /// kills it; exits at once if that sweep (`parent`, its process id) is already gone.
    public static func bindLifetime(toParent parent: Int32?) {
        ProcessLifetime.dieWithParent(expectedParent: parent)
    }

    /// Runs `task`, writing `WorkerEvent` lines through `emit`.
    public static func run(_ task: PointTask, emit: (WorkerEvent) -> Void) throws {
        let started = Stopwatch()
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
            let plan: PlannedRun
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
        var states: [State] = task.methods.filter(\.isInternalEstimate).map { plan in
            State(plan: plan, context: task.context(of: plan), result: plan.result(status: .ok))
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
                    task.faults.runStarting(id)
                    do {
                        let prepared = try MethodRunner.prepare(states[index].plan.run.method, on: linearOperator, context: states[index].context,
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
                    let (outcome, seconds, cpuSeconds) = try MethodRunner.run(states[index].prepared!) { [run = states[index].plan.run] outcome in
                        task.faults.slowdown(of: run, key: id, tier: outcome.tier)
                    }
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
        runExternals(task, kernel: kernel, geometry: geometry, started: started, emit: emit)
        try runClips(task, kernel: kernel, geometry: geometry, emit: emit)
    }

    /// Runs the task's clips (`ClipRunner`) one after another on the point's layer: the
    /// convolution and the batch norm after it as the model stores them (a `conv+bn` point), else
    /// the point's kernel (normalised, if the sweep asks for it). The exact values before are
    /// computed once, untimed.
    private static func runClips(_ task: PointTask, kernel: ConvolutionKernel, geometry: ConvolutionGeometry,
                                 emit: (WorkerEvent) -> Void) throws {
        let jobs = task.methods.compactMap { plan in plan.clip.map { (plan, $0) } }
        guard !jobs.isEmpty else { return }
        let operand: ClipOperand
        if task.normalize == nil, let parts = try task.point.kernel.loadBatchNormLayer(), let batchNorm = parts.batchNorm {
            operand = ClipOperand(kernel: parts.kernel, geometry: geometry, batchNorm: batchNorm)
        } else {
            operand = ClipOperand(kernel: kernel, geometry: geometry)
        }
        emit(WorkerEvent(event: "start", method: jobs[0].0.key, phase: "setup"))
        let layer = try ClipRunner.Layer(operand: operand, reference: ExactReference(settings: task.reference), topK: task.topK, seed: task.seed,
                                         convolutionAlone: jobs.contains { $0.1.scope == .convolution })
        emit(WorkerEvent(event: "finish", method: jobs[0].0.key, phase: "setup", seconds: 0))
        for (plan, job) in jobs {
            emit(WorkerEvent(event: "start", method: plan.key, phase: "clip"))
            let measurement = ClipRunner.Measurement(seed: task.seed, topK: task.topK, reference: task.reference,
                                                     warmup: plan.warmup, repetitions: plan.repetitions)
            let (result, _) = ClipRunner.run(job, on: layer, protocol: measurement)
            emit(WorkerEvent(event: "finish", method: plan.key, phase: "clip", seconds: result.seconds ?? 0))
            emit(WorkerEvent(event: "result", method: plan.key, result: result))
        }
    }

    /// Runs the task's external methods one after another (`ExternalMethodRunner`), each command
    /// held to what is left of the point's time limit (less a margin, so that the command, not
    /// this process, is stopped) and to the point's memory limit less this process's own.
    private static func runExternals(_ task: PointTask, kernel: ConvolutionKernel, geometry: ConvolutionGeometry,
                                     started: Stopwatch, emit: (WorkerEvent) -> Void) {
        for plan in task.methods where plan.run.isExternal && plan.clip == nil {
            emit(WorkerEvent(event: "start", method: plan.key, phase: "external"))
            let left = task.limits.map { max(0.1, $0.secondsPerPoint - started.elapsedSeconds - 0.5) }
            let memory = task.limits.map { max(0, $0.memoryBytesPerPoint - MemoryProbe.residentBytes()) }
            let request = ExternalMethodRunner.Request(
                run: plan.run, kernel: kernel, geometry: geometry, seed: task.seed, topK: task.topK,
                warmup: plan.warmup, repetitions: plan.repetitions, threads: task.threads.blas,
                timeLimit: left, memoryLimit: memory)
            let result = ExternalMethodRunner.run(request)
            emit(WorkerEvent(event: "finish", method: plan.key, phase: "external", seconds: result.external?.processSeconds ?? 0))
            emit(WorkerEvent(event: "result", method: plan.key, result: result))
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
