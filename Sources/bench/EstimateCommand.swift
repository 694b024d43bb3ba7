import ArgumentParser
import Foundation
import NumericCore
import SpecBenchCore
import SpecBenchHarness
import SpecBenchResults
import SpecBenchMethods

/// `bench estimate`: run methods on one operator and print the results.
struct EstimateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "estimate",
        abstract: "Estimate the spectral norm of one convolution operator with the given methods.",
        discussion: """
            Exactly one of --kernel and --random gives the kernel. JSON goes to stdout; progress \
            and errors go to stderr. Exit codes: 0 success, 64 bad usage or bad input (including \
            an operator that no asked-for method can run within the memory limit).
            Method ids: \(MethodCatalog.ids.joined(separator: ", ")), or all.
            """)

    @Option(name: .long, help: ArgumentHelp("Kernel file: .npy, float64 or float32, C order, shape (cout, cin, kh, kw).", valueName: "PATH.npy"))
    var kernel: String?

    @Option(name: .long, help: ArgumentHelp("Draw a seeded random kernel of this shape.", valueName: "COUT,CIN,KH,KW"),
            transform: KernelShape.argument)
    var random: KernelShape?

    @Option(name: .long, help: "Distribution of a random kernel.")
    var distribution: KernelDistribution = .normal

    @Option(name: .long, help: "Seed of the random kernel and of every random start.")
    var seed: UInt64 = 0

    @Option(name: .long, parsing: .unconditional, help: "Input side n (the input is cin × n × n).")
    var inputSize: Int

    @Option(name: .long, help: "Padding.")
    var padding: Padding

    @Option(name: .long, parsing: .unconditional, help: "Stride s ≥ 1.")
    var stride: Int = 1

    @Option(name: .long, parsing: .unconditional, help: "Explicit pad P (default ⌊k/2⌋).")
    var pad: Int?

    @Option(name: .long, help: ArgumentHelp("Comma-separated method ids, or all: " + MethodCatalog.ids.joined(separator: ", ") + ".", valueName: "ID[,ID...]"),
            transform: MethodSelection.argument)
    var methods: MethodSelection

    @Option(name: .long, parsing: .unconditional, help: "Number of top singular values where a method has them.")
    var topK: Int = 1

    @Option(name: .long, help: ArgumentHelp(MethodDocumentation.parameterHelp(), valueName: "ID.KEY=VALUE"),
            transform: ParameterAssignment.argument)
    var param: [ParameterAssignment] = []

    @Option(name: .long, help: "Output format.")
    var format: EstimateCommandLine.Format = .json

    @Option(name: .long, help: "Precision the methods compute in (the reference is always float64).")
    var precision: Precision = .float64

    @Option(name: .long, help: ArgumentHelp("Also write the kernel used to this .npy file.", valueName: "PATH.npy"))
    var exportKernel: String?

    @Option(name: .long, help: ArgumentHelp(
        "Rescale the kernel so that this operator's exact spectral norm is S (untimed; e.g. 1 for a clipped layer).",
        valueName: "S"))
    var normalizeSpectralNorm: Double?

    @Option(name: .long, help: ArgumentHelp(
        "Refuse (as out-of-memory, not run) a method whose estimated need exceeds this (default: the memory this machine has available).",
        valueName: "BYTES"), transform: ByteCount.argument)
    var memoryLimit: ByteCount?

    func run() throws {
        try reportingInvalidInput {
            let normalize = try normalizeSpectralNorm.map { value -> KernelNormalization in
                guard let normalization = try? KernelNormalization(spectralNorm: value) else {
                    throw InvalidInput("invalid --normalize-spectral-norm \(value); accepted: a number in (0, 1e12]")
                }
                return normalization
            }
            var request = EstimateRequest(
                kernel: try EstimateCommandLine.kernelSource(file: kernel, random: random, distribution: distribution, seed: seed),
                inputSize: inputSize, padding: padding, stride: stride, pad: pad,
                runs: try EstimateRequest.runs(methods, assignments: param, seed: seed, topK: topK, precision: precision),
                topK: topK, seed: seed, normalize: normalize, memoryLimit: memoryLimit, precision: precision)
            request.exportKernelPath = exportKernel
            request.faults = .fromEnvironment()
            let report = try EstimateRunner.run(request, progress: Progress.line, warning: Progress.warning)
            print(try EstimateCommandLine.render(report, format: format), terminator: "")
        }
    }
}
