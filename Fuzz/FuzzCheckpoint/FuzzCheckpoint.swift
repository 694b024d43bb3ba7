import Foundation
import FuzzSupport
import SpecBenchModels

/// Fuzz target: PyTorch checkpoints, legacy and zip (`TorchCheckpoint`: the restricted
/// unpickler, the storages, the zip reader), and the model listing built on them.
func fuzzCheckpoint(_ bytes: [UInt8]) {
    let data = Data(bytes)
    // Reading decodes every tensor's values.
    _ = try? TorchCheckpoint(data: data, path: "fuzz.pt")
    _ = try? ModelInventory(data: data, path: "fuzz.pt")
}

@_cdecl("LLVMFuzzerTestOneInput")
public func LLVMFuzzerTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt { FuzzReplay.testOneInput(data, size, fuzzCheckpoint) }

@main enum Entry { static func main() { FuzzReplay.main(fuzzCheckpoint) } }
