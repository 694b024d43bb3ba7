import ArgumentParser
import SpecBenchCore
import SpecBenchHarness
import SpecBenchResults

/// The options that give one operator: its kernel (a file or a seeded random draw) and its
/// geometry. Shared by `bench estimate` and `bench clip`.
struct OperatorOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Kernel file: .npy, float64 or float32, C order, shape (cout, cin/groups, kh, kw), or (cout, cin/groups, k) for 1-D.", valueName: "PATH.npy"))
    var kernel: String?

    @Option(name: .long, help: ArgumentHelp("Draw a seeded random kernel of this shape (three numbers: 1-D).", valueName: "COUT,CIN,KH,KW"),
            transform: DeclaredKernelShape.argument)
    var random: DeclaredKernelShape?

    @Option(name: .long, help: "Distribution of a random kernel.")
    var distribution: KernelDistribution = .normal

    @Option(name: .long, help: "Seed of the random kernel and of every random start.")
    var seed: UInt64 = 0

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp(
        "Input size: n (the input is cin × n × n), H,W, or W for a 1-D kernel; a transposed layer's own input.", valueName: "N|H,W"),
            transform: InputSizeArgument.argument)
    var inputSize: InputSizeArgument

    @Option(name: .long, help: "Padding.")
    var padding: Padding

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Stride, one value or per axis.", valueName: "S|SH,SW"),
            transform: StrideArgument.argument)
    var stride: StrideArgument?

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Dilation, one value or per axis.", valueName: "D|DH,DW"),
            transform: DilationArgument.argument)
    var dilation: DilationArgument?

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp(
        "Explicit pads (default d·⌊k/2⌋; 0 for --transposed).", valueName: "P|PH,PW|T,L,B,R"), transform: Pads.argument)
    var pad: Pads?

    @Option(name: .long, parsing: .unconditional, help: "Groups G: the kernel is (cout, cin/G, kh, kw); G = cout is depthwise.")
    var groups: Int = 1

    @Flag(name: .long, help: "A transposed convolution (ConvTranspose): the kernel in layout (cin, cout/groups, kh, kw).")
    var transposed = false

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp(
        "Output padding of a transposed convolution, below the stride.", valueName: "OH,OW"), transform: OutputPaddingArgument.argument)
    var outputPadding: OutputPaddingArgument?

    /// The kernel's source (exactly one of --kernel and --random).
    func source() throws -> KernelSource {
        try EstimateCommandLine.kernelSource(file: kernel, random: random?.shape, distribution: distribution, seed: seed)
    }

    /// The operator as given.
    func layer() throws -> OperatorSpecification {
        guard transposed || outputPadding == nil else {
            throw InvalidInput("--output-padding applies to a transposed convolution only; add --transposed")
        }
        return OperatorSpecification(
            inputSize: inputSize.value, padding: padding, stride: stride?.value ?? .one, dilation: dilation?.value ?? .one,
            pads: pad, groups: groups, outputPadding: transposed ? outputPadding?.value ?? .zero : nil)
    }

    /// 1 for a 1-D kernel, else 2.
    func dimensions(of source: KernelSource) throws -> Int {
        try random?.dimensions ?? EstimateCommandLine.dimensions(of: source)
    }
}
