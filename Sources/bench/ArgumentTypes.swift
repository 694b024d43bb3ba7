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
extension ByteCount: ParsedArgument {}
extension ShardSelection: ParsedArgument {
    init(parsing text: String) throws { self = try ShardSelection.parse(text) }
}
extension MethodSelection: ParsedArgument {}
extension ParameterAssignment: ParsedArgument {}
extension ThresholdOverride: ParsedArgument {}
