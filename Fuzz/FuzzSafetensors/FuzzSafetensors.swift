import Foundation
import FuzzSupport
import SpecBenchCore

/// Fuzz target: the safetensors reader (`SafetensorsFile`), header, entries and every tensor's
/// values.
func fuzzSafetensors(_ bytes: [UInt8]) {
    guard let file = try? SafetensorsFile(data: Data(bytes), path: "fuzz.safetensors") else { return }
    for entry in file.entries { _ = try? file.values(of: entry) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func LLVMFuzzerTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt { FuzzReplay.testOneInput(data, size, fuzzSafetensors) }

@main enum Entry { static func main() { FuzzReplay.main(fuzzSafetensors) } }
