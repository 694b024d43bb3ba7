import SpecBenchCore
import ArgumentParser
import Foundation
import SpecBenchModels
import SpecBenchResults

/// `bench model PATH`: every convolution of a trained model file, with its shape, stride,
/// padding, inferred input size, the batch norm that follows it, and why a layer cannot be
/// benchmarked when it cannot.
struct ModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "List the convolutions of a model file (.onnx; .safetensors tensors without geometry).",
        discussion: "Input sizes are followed through the graph from the image input (--input-size overrides or supplies it). Layers that cannot be placed or benchmarked are listed with the reason. Exit codes: 0 success, 64 not a model, a damaged file, or no convolutions.")

    /// Output formats.
    enum Format: String, CaseIterable, ExpressibleByArgument { case text, json }

    @Argument(help: ArgumentHelp("The model file.", valueName: "PATH"))
    var path: String

    @Option(name: .long, help: ArgumentHelp("Input size of the network's image input, n or H,W (overrides the size the file declares).", valueName: "N|H,W"),
            transform: InputSizeArgument.argument)
    var inputSize: InputSizeArgument?

    @Option(name: .long, help: "Place a checkpoint's layers from their names: torchvision-resnet (needs --input-size).")
    var preset: ModelPreset?

    @Option(name: .long, help: "Output format.")
    var format: Format = .text

    func run() throws {
        let inventory = try reportingInvalidInput { try ModelInventory(path: path, inputSize: inputSize?.value, preset: preset) }
        switch format {
        case .json:
            print(String(decoding: try JSONCoding.prettyEncoder.encode(inventory), as: UTF8.self))
        case .text:
            print(ModelListing.text(inventory), terminator: "")
        }
    }
}
