import Foundation
import FuzzSupport
import SpecBenchModels

/// Fuzz target: the ONNX reader with its spatial-size inference (`OnnxModel`), every layer's
/// geometry and weights, and the model listing.
func fuzzOnnx(_ bytes: [UInt8]) {
    let data = Data(bytes)
    if let model = try? OnnxModel(data: data, path: "fuzz.onnx") {
        for layer in model.convolutions {
            _ = try? layer.geometry()
            _ = try? model.kernel(of: layer)
        }
    }
    _ = try? ModelInventory(data: data, path: "fuzz.onnx")
}

@_cdecl("LLVMFuzzerTestOneInput")
public func LLVMFuzzerTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt { FuzzReplay.testOneInput(data, size, fuzzOnnx) }

@main enum Entry { static func main() { FuzzReplay.main(fuzzOnnx) } }
