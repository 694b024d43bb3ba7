import Foundation
import NumericCore
import SpecBenchCore

/// `gram-circular`: the Gram iteration of Delattre et al. 2023 ("Efficient bound of Lipschitz
/// constant for convolutional layers by Gram iteration") run per frequency of the `n×n` DFT grid:
/// the circular operator is block-diagonal with blocks `K̂(ω)`, so `σ_circ = max_ω ‖K̂(ω)‖₂ ≤
/// max_ω ‖G_t(ω)‖_F^{2^−t}`. Only the half spectrum is computed (a real kernel's spectrum is
/// conjugate-symmetric), each block is transposed to its smaller side, and the scale is kept in
/// logarithms (docs/methods.md §2). `t = 0` gives the largest per-frequency Frobenius norm.
///
/// Guarantee (docs/methods.md §3): `upper` for circular padding at every stride (a strided circular
/// operator is a row subsampling of the stride-1 one at the same `n`, so its norm is at most
/// `σ_circ`, which the bound exceeds); for zero padding the circular bound at the same `n` is
/// reported as an `estimate` (fact 3: not a bound). Cost O(n²·(cout·cin·k² + t·c³)) with `c = min(cout, cin)`,
/// memory one chunk of frequency blocks (bounded, see `KernelSpectrum`).
public struct GramCircularMethod: SpectralNormMethod {
    /// Gram steps `t` (default 6).
    public static let iterationsParameter = MethodParameter(
        "iterations", default: 6, accepted: 0...40, meaning: "Gram steps t (0: the largest per-frequency Frobenius norm)")

    public static let metadata = MethodMetadata(
        id: "gram-circular", citation: "Gram iteration, circular padding (Delattre, Barthélemy, Araujo & Allauzen 2023)",
        summary: "per-frequency Gram iteration on the n×n DFT grid: an upper bound on the circular operator's norm",
        parameters: [iterationsParameter.specification],
        style: PlotStyle(color: "#009E73", pointType: 9))

    /// Gram steps `t`.
    public let iterations: Int

    public init(parameters: inout ParameterReader, context: MethodContext) throws {
        iterations = try parameters.read(Self.iterationsParameter)
    }

    /// A method with explicit parameters.
    public init(iterations: Int = iterationsParameter.defaultValue) { self.iterations = iterations }

    public var parameterValues: [String: String] { recordedValues(Self.iterationsParameter.recorded(iterations)) }

    /// The symbol on the `n × (n/2 + 1)` half grid, then per frequency `t` Hermitian products:
    /// the first on the smaller side from the larger, the rest square.
    public func operationCount(on geometry: ConvolutionGeometry, context: MethodContext, outcome: MethodOutcome) -> OperationCount {
        let problem = CircularProblem(geometry, polyphase: false)
        let shape = problem.blockShape
        let frequencies = problem.gridHeight * (problem.gridWidth / 2 + 1)
        let side = min(shape.outputChannels, shape.inputChannels), other = max(shape.outputChannels, shape.inputChannels)
        var perFrequency = OperationCount()
        if iterations > 0 {
            perFrequency = .hermitianProduct(order: side, inner: other)
                + Double(iterations - 1) * .hermitianProduct(order: side, inner: side)
        }
        return .kernelSymbol(frequencies: frequencies, taps: shape.taps, entries: shape.outputChannels * shape.inputChannels)
            + Double(frequencies) * perFrequency
    }

    public func applicability(to geometry: ConvolutionGeometry) -> Applicability {
        geometry.padding == .circular ? .applies(.upper) : .applies(.estimate)
    }

    /// The spectrum's chunk and the `n·(⌊n/2⌋+1)` frequencies, and one frequency's Gram
    /// iterate: its `cout × cin` matrix and two square iterates of the smaller side.
    public func memoryNeed(on geometry: ConvolutionGeometry, context: MethodContext) -> MemoryNeed {
        let problem = CircularProblem(geometry, polyphase: false)
        let shape = problem.blockShape
        let side = min(shape.outputChannels, shape.inputChannels)
        let frequencies = MemoryNeed.product([problem.gridHeight, problem.gridWidth / 2 + 1])
        let precision = context.precision
        return KernelSpectrum.memoryNeed(shape: shape, frequencies: frequencies, precision: precision)
            + .complexes(precision, shape.outputChannels, shape.inputChannels) + 2 * .complexes(precision, side, side)
    }

    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    public func prepare<Scalar: LinearAlgebraScalar>(
        _ linearOperator: ConvolutionOperator<Scalar>, context: MethodContext
    ) throws -> any PreparedComputation {
        let problem = CircularProblem(linearOperator.geometry, polyphase: false)
        let grid = HalfFrequencyGrid(height: problem.gridHeight, width: problem.gridWidth)
        let blockKernel = problem.blockKernel(linearOperator.kernel)
        let spectrum = KernelSpectrum(kernel: blockKernel)
        let shape = blockKernel.shape
        let iterations = self.iterations
        return ClosureComputation {
            var best = -Double.infinity
            let entries = shape.outputChannels * shape.inputChannels
            try spectrum.forEachChunk(of: grid.frequencies, in: Scalar.self) { _, count, matrices in
                // Tasks of a few frequencies each, side by side on the thread budget.
                let perTask = 8
                let tasks = (count + perTask - 1) / perTask
                let bounds = try ParallelWork.map(count: tasks) { task in
                    var gram = GramIteration<Scalar>(rows: shape.outputChannels, columns: shape.inputChannels)
                    var taskBest = -Double.infinity
                    for f in (task * perTask)..<min(count, (task + 1) * perTask) {
                        gram.restart(from: matrices, offset: f * entries)
                        for _ in 0..<iterations { gram.step() }
                        taskBest = max(taskBest, gram.logBound)
                    }
                    return taskBest
                }
                best = max(best, bounds.max() ?? -.infinity)
            }
            return MethodOutcome(values: [exp(best)], iterations: iterations)
        }
    }
}
