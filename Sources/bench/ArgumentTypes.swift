import ArgumentParser
import NumericCore
import SpecBenchCompare
import SpecBenchCore
import SpecBenchHarness
import SpecBenchMethods
import SpecBenchModels
import SpecBenchResults

// Option values parsed as types where they enter: an unknown or malformed value is a usage error
// (exit 64) whose one-line message names the value and what is accepted, and `--help` shows the
// accepted form. Fixed sets list their values.
extension Thresholds.Preset: ExpressibleByArgument {}
extension RunComparison.Normalization: ExpressibleByArgument {}
extension RunComparison.Clock: ExpressibleByArgument {}
extension ComparisonFormatter.Format: ExpressibleByArgument {}
extension Padding: ExpressibleByArgument {}
extension KernelDistribution: ExpressibleByArgument {}
extension EstimateCommandLine.Format: ExpressibleByArgument {}
extension Precision: ExpressibleByArgument {}
extension ModelPreset: ExpressibleByArgument {}

/// A type read from an option's text by a throwing `init(parsing:)` whose `InvalidInput` says
/// what is accepted. `@Option(transform: Type.argument)` shows that message; the failable
/// `init?(argument:)` serves `@Argument` and arrays.
protocol ParsedArgument: ExpressibleByArgument {
    init(parsing text: String) throws
}

extension ParsedArgument {
    public init?(argument: String) {
        guard let value = try? Self(parsing: argument) else { return nil }
        self = value
    }

    /// The value `text` writes; its error's message (the accepted form) is what the user sees.
    static func argument(_ text: String) throws -> Self {
        do {
            return try Self(parsing: text)
        } catch let error as InvalidInput {
            throw ValidationError(error.message)
        }
    }
}

extension KernelShape: ParsedArgument {
    init(parsing text: String) throws { self = try KernelShape.parse(text) }
}

/// `--random COUT,CIN,KH,KW` or `COUT,CIN,K` (a 1-D kernel): the shape and its dimensions.
struct DeclaredKernelShape: ParsedArgument {
    let shape: KernelShape
    let dimensions: Int
    init(parsing text: String) throws { (shape, dimensions) = try KernelShape.parseDeclared(text) }
}

/// `--input-size N` or `H,W`.
struct InputSizeArgument: ParsedArgument {
    let value: AxisPair
    init(parsing text: String) throws { value = try AxisPair.parse(text, name: "input size", symbol: "n", minimum: 1) }
}

/// `--stride`: one value or two.
struct StrideArgument: ParsedArgument {
    let value: AxisPair
    init(parsing text: String) throws { value = try AxisPair.parse(text, name: "stride", minimum: 1) }
}

/// `--dilation`: one value or two.
struct DilationArgument: ParsedArgument {
    let value: AxisPair
    init(parsing text: String) throws { value = try AxisPair.parse(text, name: "dilation", minimum: 1) }
}

/// `--output-padding OH,OW` (or one value).
struct OutputPaddingArgument: ParsedArgument {
    let value: AxisPair
    init(parsing text: String) throws { value = try AxisPair.parse(text, name: "output padding", minimum: 0) }
}

extension Pads: ParsedArgument {
    init(parsing text: String) throws { self = try Pads.parse(text) }
}
extension ByteCount: ParsedArgument {}
extension ShardSelection.ShardBalance: ExpressibleByArgument {}
extension ShardSelection: ParsedArgument {
    init(parsing text: String) throws { self = try ShardSelection.parse(text) }
}
extension MethodSelection: ParsedArgument {}
extension ParameterAssignment: ParsedArgument {}
/// `--param ID.KEY=VALUE` of `bench clip`: a clipping method's parameter.
struct ClipParameterArgument: ParsedArgument {
    let value: ParameterAssignment
    init(parsing text: String) throws {
        value = try ParameterAssignment(parsing: text, methods: ClippingCatalog.ids, kind: "clipping method")
    }
}
extension ThresholdOverride: ParsedArgument {}
