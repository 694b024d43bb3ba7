import Foundation
import FuzzSupport
import SpecBenchHarness
import SpecBenchResults

/// Fuzz target: the sweep-config parser (YAML to a `SweepPlan`, every key path checked, every
/// method resolved) and the expansion of a parsed config into points.
func fuzzSweepConfig(_ bytes: [UInt8]) {
    let text = String(decoding: bytes, as: UTF8.self)
    guard let plan = try? SweepConfigurationParser.parse(text: text, file: "fuzz.yaml", defaultName: "fuzz", folder: "/nonexistent")
    else { return }
    _ = try? SweepPoint.expand(plan.configuration)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func LLVMFuzzerTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt { FuzzReplay.testOneInput(data, size, fuzzSweepConfig) }

@main enum Entry { static func main() { FuzzReplay.main(fuzzSweepConfig) } }
