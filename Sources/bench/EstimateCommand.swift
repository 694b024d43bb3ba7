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

    @OptionGroup var operatorOptions: OperatorOptions

    @Option(name: .long, help: ArgumentHelp("Comma-separated method ids, or all: " + MethodCatalog.ids.joined(separator: ", ") + ".", valueName: "ID[,ID...]"),
            transform: MethodSelection.argument)
    var methods: MethodSelection?

    @Option(name: .long, help: ArgumentHelp(
        "External methods: a YAML file whose 'external:' list gives each one's id, command and guarantee (docs/external-methods.md). Repeatable. Without --methods, the reference runs beside them.",
        valueName: "FILE.yaml"))
    var external: [String] = []

    @Option(name: .long, help: ArgumentHelp("Seconds an external method's command may run before it is stopped (timeout).", valueName: "SECONDS"))
    var externalTimeLimit: Double = 300

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

    /// The runs asked for: `--methods` (the reference alone when only `--external` is given),
    /// then the external methods of every `--external` file.
    private func methodRuns() throws -> [MethodRun] {
        guard externalTimeLimit > 0, externalTimeLimit.isFinite else {
            throw InvalidInput("invalid --external-time-limit \(externalTimeLimit); accepted: a positive number of seconds")
        }
        let externals = try ExternalMethodEntries.read(paths: external)
        let selection: MethodSelection
        if let methods {
            selection = methods
        } else if !externals.isEmpty {
            selection = try MethodSelection.argument(ReferenceMethod.id)
        } else {
            throw InvalidInput("missing --methods; accepted: comma-separated method ids (\(MethodCatalog.ids.joined(separator: ", "))), or all, or --external FILE.yaml")
        }
        return try EstimateRequest.runs(selection, assignments: param, seed: operatorOptions.seed, topK: topK, precision: precision)
            + EstimateRequest.runs(external: externals)
    }

    func run() throws {
        try reportingInvalidInput {
            let normalize = try normalizeSpectralNorm.map { value -> KernelNormalization in
                guard let normalization = try? KernelNormalization(spectralNorm: value) else {
                    throw InvalidInput("invalid --normalize-spectral-norm \(value); accepted: a number in (0, 1e12]")
                }
                return normalization
            }
            let source = try operatorOptions.source()
            var request = EstimateRequest(
                kernel: source, layer: try operatorOptions.layer(), dimensions: try operatorOptions.dimensions(of: source),
                runs: try methodRuns(),
                topK: topK, seed: operatorOptions.seed, normalize: normalize, memoryLimit: memoryLimit, precision: precision)
            request.exportKernelPath = exportKernel
            request.externalTimeLimit = externalTimeLimit
            request.faults = .fromEnvironment()
            let report = try EstimateRunner.run(request, progress: Progress.line, warning: Progress.warning)
            print(try EstimateCommandLine.render(report, format: format), terminator: "")
        }
    }
}
