import Foundation
import SpecBenchResults
import SpecBenchCore
import SpecBenchMethods
import SpecBenchMachine
import NumericCore

/// Runs `bench clip` (docs/clipping.md): one operator, every asked-for clipping method at one
/// target, each judged by the exact norm after the clip (`ClipRunner`); optionally writes each
/// clipped kernel (and the original) as `.npy` files for an outside check.
public enum ClipCommandRunner {
    /// What `bench clip` is asked to do, typed where it entered.
    public struct Request: Sendable {
        /// Where the kernel comes from.
        public var kernel: KernelSource
        /// The operator as given.
        public var layer: OperatorSpecification
        /// 1 for a 1-D kernel, else 2.
        public var dimensions: Int
        /// The clipping methods, in report order.
        public var methods: [ClippingMethod]
        /// The target `c` (finite, positive).
        public var target: Double
        /// Top singular values recorded before and after.
        public var topK: Int
        /// The run's seed.
        public var seed: UInt64
        /// Rescale the kernel to this exact spectral norm first (untimed).
        public var normalize: KernelNormalization?
        /// A folder to write `original.npy` and `<method>.npy` into.
        public var exportDirectory: String?
        /// Timed repetitions per method (warm-up: none).
        public var repetitions: Int

        /// A request; see the properties.
        public init(kernel: KernelSource, layer: OperatorSpecification, dimensions: Int, methods: [ClippingMethod], target: Double,
                    topK: Int = 1, seed: UInt64 = 0, normalize: KernelNormalization? = nil, exportDirectory: String? = nil, repetitions: Int = 1) {
            self.kernel = kernel
            self.layer = layer
            self.dimensions = dimensions
            self.methods = methods
            self.target = target
            self.topK = topK
            self.seed = seed
            self.normalize = normalize
            self.exportDirectory = exportDirectory
            self.repetitions = repetitions
        }
    }

    /// Checks a target: finite and positive, or an `InvalidInput` naming it.
    public static func checkedTarget(_ value: Double) throws -> Double {
        guard value.isFinite, value > 0 else {
            throw InvalidInput("invalid target \(value); accepted: a finite number above 0 (the spectral norm to clip to)")
        }
        return value
    }

    /// Validates the request (throwing `InvalidInput`) and runs it; progress lines go to `progress`.
    public static func run(_ request: Request, progress: (String) -> Void = { _ in }) throws -> EstimateReport {
        let target = try checkedTarget(request.target)
        let geometry = try request.layer.geometry(kernel: try request.kernel.shape(), dimensions: request.dimensions)
        guard request.topK >= 1 && request.topK <= geometry.rank else {
            throw InvalidInput("top-k = \(request.topK) is out of range for this operator; accepted: 1…\(geometry.rank)")
        }
        let jobs = request.methods.map { ClipJob(method: $0, target: target, scope: .composition) }
        let refusals = jobs.compactMap { $0.refusal(on: geometry, hasBatchNorm: false) }
        if refusals.count == jobs.count {
            let reasons = refusals.map { "\($0.method): \($0.message ?? "not applicable")" }.joined(separator: "; ")
            throw InvalidInput("no asked-for clipping method supports \(OperatorDescription(geometry).label) (\(reasons)); accepted: a method that applies to this operator")
        }
        var kernel = try request.kernel.load()
        if let normalize = request.normalize {
            kernel = try normalize.apply(to: kernel, geometry: geometry, seed: request.seed)
        }
        let settings = ExactReference.Settings()
        progress("exact norm of \(OperatorDescription(geometry).label) before the clip")
        let layer = try ClipRunner.Layer(operand: ClipOperand(kernel: kernel, geometry: geometry), reference: ExactReference(settings: settings),
                                         topK: request.topK, seed: request.seed)
        if let directory = request.exportDirectory {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try EstimateCommandLine.exportKernel(kernel, to: directory + "/original.npy")
        }
        let measurement = ClipRunner.Measurement(seed: request.seed, topK: request.topK, reference: settings, warmup: 0,
                                                 repetitions: request.repetitions)
        var results: [MethodResult] = []
        for job in jobs {
            progress("clipping with \(job.method.id) to \(ResultFormatting.shortNumber(target))")
            let (result, clipped) = ClipRunner.run(job, on: layer, protocol: measurement)
            if let directory = request.exportDirectory, let clipped {
                try EstimateCommandLine.exportKernel(clipped, to: directory + "/\(job.method.id).npy")
            }
            results.append(result)
        }
        let label = request.kernel.label + (request.normalize.map { ", normalised to spectral norm \($0.spectralNorm)" } ?? "")
        var report = EstimateReport(operator: OperatorDescription(geometry), seed: request.seed, kernel: label, topK: request.topK,
                                    precision: .float64, results: results, blasCore: BLASCoreSelection.current,
                                    warnings: MachineWarnings.collect(threads: ThreadControl.blasThreads, release: BuildInfo.isRelease,
                                                                      blasCore: BLASCoreSelection.current))
        report.target = target
        return report
    }
}
