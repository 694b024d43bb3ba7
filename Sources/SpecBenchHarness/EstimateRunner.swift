import SpecBenchResults
import ProcessControl
import Foundation
import SpecBenchCore
import SpecBenchMethods
import SpecBenchMachine
import NumericCore

/// Runs `bench estimate`: builds the operator, runs each requested method once in this process,
/// and, when `reference` is among them, fills every other result's signed relative error and
/// whether its guarantee held.
public enum EstimateRunner {
    /// Validates the request (throwing `InvalidInput` for bad input) and runs it. Progress lines
    /// go to `progress` (stderr in the command line, when it is a terminal); what the user must
    /// know although the run goes on (a method refused for its memory need) to `warning`.
    public static func run(
        _ request: EstimateRequest, progress: (String) -> Void = { _ in }, warning: (String) -> Void = { _ in }
    ) throws -> EstimateReport {
        // The kernel's shape is known before it is drawn or read (a file's header): check the
        // operator, the parameters and the memory every part needs first, so that an impossible
        // request is refused before gigabytes are generated or allocated.
        let geometry = try request.layer.geometry(kernel: try request.kernel.shape(), dimensions: request.dimensions)
        guard request.topK >= 1 && request.topK <= geometry.rank else {
            throw InvalidInput("top-k = \(request.topK) is larger than the operator's rank: a \(geometry.rows) × \(geometry.columns) operator has \(geometry.rank) singular values; accepted: 1…\(geometry.rank)")
        }
        let runs = request.runs
        func context(_ run: MethodRun) -> MethodContext { run.context(seed: request.seed, topK: request.topK) }
        let memory = MemoryCheck.machine(limit: request.memoryLimit?.bytes)
        let shared = MemoryCheck.sharedNeed(on: geometry, normalizing: request.normalize != nil)
        try memory.checkShared(shared, on: geometry)
        var refused: [String: MethodResult] = [:]
        for run in runs {
            if let refusal = memory.refusal(of: run, on: geometry, context: context(run), shared: shared) {
                refused[refusal.method] = refusal
            }
        }
        if let first = runs.first, refused.count == runs.count,
           let shortfall = memory.shortfall(of: first.method, on: geometry, context: context(first), shared: shared) {
            throw InvalidInput("\(first.id) \(shortfall)"
                + (runs.count > 1 ? ", and so does every other method asked for" : "")
                + "; accepted: methods whose need fits (see --memory-limit)")
        }
        var kernel = try request.kernel.load()
        if let path = request.exportKernelPath { try EstimateCommandLine.exportKernel(kernel, to: path) }
        if let normalize = request.normalize {
            progress("normalising the kernel to spectral norm \(normalize.spectralNorm)")
            kernel = try normalize.apply(to: kernel, geometry: geometry, seed: request.seed)
        }
        // The methods run on the kernel scaled to entries near 1, their values scaled back.
        let scale = KernelScale(kernel)
        let linearOperator = ConvolutionOperator(kernel: scale.kernel, geometry: geometry)
        var results: [MethodResult] = []
        for run in runs {
            if let refusal = refused[run.id] {
                warning("not running \(refusal.method): \(refusal.message ?? "")")
                results.append(refusal)
                continue
            }
            progress("running \(run.id) on \(OperatorDescription(geometry).label)")
            if run.isExternal {
                let external = ExternalMethodRunner.Request(
                    run: run, kernel: kernel, geometry: geometry, seed: request.seed, topK: request.topK, warmup: 0, repetitions: 1,
                    threads: ThreadControl.blasThreads, timeLimit: request.externalTimeLimit,
                    memoryLimit: request.memoryLimit?.bytes ?? MemoryProbe.availableBytes())
                results.append(ExternalMethodRunner.run(external, timing: false))
                continue
            }
            var result = MethodRunner.measureOnce(run, on: linearOperator, context: context(run), valueScale: scale.factor) { outcome in
                request.faults.slowdown(of: run, key: run.id, tier: outcome.tier)
            }
            if result.status != .notApplicable { result.memoryNeedBytes = run.method.layerMemoryNeed(on: geometry, context: context(run)).bytes }
            results.append(result)
        }
        if let reference = results.first(where: { $0.method == ReferenceMethod.id && $0.status == .ok })?.value {
            for index in results.indices where results[index].method != ReferenceMethod.id {
                results[index].compare(toReference: reference)
            }
        }
        let label = request.kernel.label + (request.normalize.map { ", normalised to spectral norm \($0.spectralNorm)" } ?? "")
        return EstimateReport(operator: OperatorDescription(geometry), seed: request.seed, kernel: label,
                              topK: request.topK, precision: request.precision, results: results,
                              blasCore: BLASCoreSelection.current,
                              warnings: MachineWarnings.collect(threads: ThreadControl.blasThreads, release: BuildInfo.isRelease,
                                                                blasCore: BLASCoreSelection.current))
    }
}
