import FuzzSupport
import SpecBenchCore

/// Fuzz target: the `.npy` kernel reader (`NumpyFile.decodeKernel`), header and data.
func fuzzNumpy(_ bytes: [UInt8]) {
    _ = try? NumpyFile.decodeKernel(bytes, name: "fuzz.npy")
}

@_cdecl("LLVMFuzzerTestOneInput")
public func LLVMFuzzerTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt { FuzzReplay.testOneInput(data, size, fuzzNumpy) }

@main enum Entry { static func main() { FuzzReplay.main(fuzzNumpy) } }
