import SpecBenchResults
import Foundation
import SpecBenchCore
import SpecBenchMethods

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
        let geometry = try ConvolutionGeometry(
            shape: try request.kernel.shape(), inputSize: request.inputSize, padding: request.padding,
            stride: request.stride, pad: request.pad)
        guard request.topK >= 1 && request.topK <= geometry.rank else {
            throw InvalidInput("top-k = \(request.topK) is larger than the operator's rank: a \(geometry.rows) × \(geometry.columns) operator has \(geometry.rank) singular values; accepted: 1…\(geometry.rank)")
        }
        let context = MethodContext(seed: request.seed, topK: request.topK, precision: request.precision)
        // Build every method first, so that a bad parameter fails before any work is done.
        var methods: [(method: any SpectralNormMethod, repeatWork: Int)] = []
        for id in request.methods {
            var raw = request.parameters[id] ?? [:]
            let repeatWork = try Self.repeatWork(from: &raw, method: id)
            methods.append((try MethodCatalog.make(id: id, parameters: raw, context: context), repeatWork))
        }
        let memory = MemoryCheck.machine(limit: request.memoryLimit)
        let shared = MemoryCheck.sharedNeed(on: geometry, normalizing: request.normalize != nil)
        try memory.checkShared(shared, on: geometry)
        var refused: [String: MethodResult] = [:]
        for (method, _) in methods {
            if let refusal = memory.refusal(of: method, on: geometry, context: context, shared: shared) {
                refused[refusal.method] = refusal
            }
        }
        if refused.count == methods.count,
           let shortfall = memory.shortfall(of: methods[0].method, on: geometry, context: context, shared: shared) {
            throw InvalidInput("\(request.methods[0]) \(shortfall)"
                + (methods.count > 1 ? ", and so does every other method asked for" : "")
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
        for (method, repeatWork) in methods {
            if let refusal = refused[type(of: method).id] {
                warning("not running \(refusal.method): \(refusal.message ?? "")")
                results.append(refusal)
                continue
            }
            progress("running \(type(of: method).id) on \(OperatorDescription(geometry).label)")
            var result = MethodRunner.measureOnce(method, on: linearOperator, context: context, valueScale: scale.factor,
                                                  repeatWork: repeatWork)
            if result.status != .notApplicable { result.memoryNeedBytes = method.effectiveMemoryNeed(on: geometry, context: context).bytes }
            results.append(result)
        }
        if let reference = results.first(where: { $0.method == ReferenceMethod.id && $0.status == .ok })?.value {
            for index in results.indices where results[index].method != ReferenceMethod.id {
                results[index].compare(toReference: reference)
            }
        }
        let label = request.kernel.label + (request.normalize.map { ", normalised to spectral norm \($0.spectralNorm)" } ?? "")
        return EstimateReport(operator: OperatorDescription(geometry), seed: request.seed, kernel: label,
                              topK: request.topK, precision: request.precision, results: results)
    }

    /// Takes the test-only `repeatWork` parameter out of a method's raw parameters: the timed
    /// run repeats the method's work that many times (used to inject a known slowdown).
    public static func repeatWork(from raw: inout [String: String], method: String) throws -> Int {
        guard let text = raw.removeValue(forKey: "repeatWork") else { return 1 }
        guard let count = Int(text), (1...100).contains(count) else {
            throw InvalidInput("invalid value '\(text)' for parameter \(method).repeatWork; accepted: an integer from 1 to 100")
        }
        return count
    }
}
