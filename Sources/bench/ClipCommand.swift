import ArgumentParser
import SpecBenchCore
import SpecBenchHarness
import SpecBenchMethods
import SpecBenchResults

/// `bench clip`: clip one operator's spectral norm to a target with the given methods and judge
/// each by the exact norm after the clip.
struct ClipCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clip",
        abstract: "Clip one convolution operator's spectral norm to a target and measure the exact norm after.",
        discussion: """
            Exactly one of --kernel and --random gives the kernel. JSON goes to stdout (one record \
            per method, "task": "clip"); progress and errors go to stderr. Exit codes: 0 success, \
            64 bad usage or bad input. Clipping methods: \(ClippingCatalog.ids.joined(separator: ", ")), or all.
            """)

    @OptionGroup var operatorOptions: OperatorOptions

    @Option(name: .long, help: ArgumentHelp("The spectral norm to clip to (finite, above 0).", valueName: "C"))
    var target: Double

    @Option(name: .long, help: ArgumentHelp("Comma-separated clipping method ids, or all: " + ClippingCatalog.ids.joined(separator: ", ") + ".",
                                            valueName: "ID[,ID...]"))
    var methods: String = "all"

    @Option(name: .long, help: ArgumentHelp("A method's parameter (a rescaling takes its estimator's).", valueName: "ID.KEY=VALUE"),
            transform: ClipParameterArgument.argument)
    var param: [ClipParameterArgument] = []

    @Option(name: .long, parsing: .unconditional, help: "Number of top singular values recorded before and after.")
    var topK: Int = 1

    @Option(name: .long, parsing: .unconditional, help: "Timed repetitions per method (the median is recorded).")
    var repetitions: Int = 1

    @Option(name: .long, help: ArgumentHelp(
        "Rescale the kernel first so that this operator's exact spectral norm is S (untimed).", valueName: "S"))
    var normalizeSpectralNorm: Double?

    @Option(name: .long, help: ArgumentHelp("Write original.npy and <method>.npy (each clipped kernel) into this folder.", valueName: "DIR"))
    var exportKernel: String?

    @Option(name: .long, help: "Output format.")
    var format: EstimateCommandLine.Format = .json

    func run() throws {
        try reportingInvalidInput {
            let source = try operatorOptions.source()
            let normalize = try normalizeSpectralNorm.map { value -> KernelNormalization in
                guard let normalization = try? KernelNormalization(spectralNorm: value) else {
                    throw InvalidInput("invalid --normalize-spectral-norm \(value); accepted: a number in (0, 1e12]")
                }
                return normalization
            }
            guard (1...1000).contains(repetitions) else {
                throw InvalidInput("invalid --repetitions \(repetitions); accepted: an integer from 1 to 1000")
            }
            let context = MethodContext(seed: operatorOptions.seed, topK: topK)
            let methods = try ClippingCatalog.selection(methods, assignments: param.map(\.value), context: context)
            let request = ClipCommandRunner.Request(
                kernel: source, layer: try operatorOptions.layer(), dimensions: try operatorOptions.dimensions(of: source),
                methods: methods, target: try ClipCommandRunner.checkedTarget(target), topK: topK, seed: operatorOptions.seed,
                normalize: normalize, exportDirectory: exportKernel, repetitions: repetitions)
            let report = try ClipCommandRunner.run(request, progress: Progress.line)
            switch format {
            case .json: print(try EstimateCommandLine.render(report, format: .json), terminator: "")
            case .text: print(ResultFormatting.clipTable(report), terminator: "")
            }
        }
    }
}
