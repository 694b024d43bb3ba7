import ArgumentParser
import NumericCore
import SpecBenchCompare
import SpecBenchCore
import SpecBenchHarness
import SpecBenchResults

// Fixed sets of option values parsed as types: an unknown value is a usage error (exit 64) whose
// message lists the accepted values, and `--help` lists them too.
extension Thresholds.Preset: ExpressibleByArgument {}
extension RunComparison.Normalization: ExpressibleByArgument {}
extension RunComparison.Clock: ExpressibleByArgument {}
extension ComparisonFormatter.Format: ExpressibleByArgument {}
extension Padding: ExpressibleByArgument {}
extension KernelDistribution: ExpressibleByArgument {}
extension EstimateCommandLine.Format: ExpressibleByArgument {}
extension Precision: ExpressibleByArgument {}
