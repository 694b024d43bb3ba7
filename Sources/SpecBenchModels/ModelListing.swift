import SpecBenchCore
import Foundation

/// The text `bench model` prints: one row per convolution (name, shape, stride, pads, input
/// size, batch norm, status) and a summary of what can be benchmarked. O(layers).
public enum ModelListing {
    /// The listing of `inventory`.
    public static func text(_ inventory: ModelInventory) -> String {
        var lines: [String] = []
        let size = inventory.inputSize.map { "\($0[0])×\($0[1])" } ?? "unknown"
        lines.append("\(inventory.path): \(inventory.format.rawValue), \(inventory.convolutions.count) convolutions, input \(size)")
        let headers = ["#", "layer", "shape (cout×cin×kh×kw)", "stride", "pads (t,l,b,r)", "dilation", "groups", "input", "batch norm", "status"]
        var rows: [[String]] = []
        for (index, layer) in inventory.convolutions.enumerated() {
            let shape = layer.shape
            // Checkpoints and safetensors store no geometry: a preset or a config places them.
            let placed = inventory.format == .onnx || layer.inputSize != nil
            rows.append([
                "\(index + 1)", layer.name,
                "\(shape.outputChannels)×\(shape.inputChannels)×\(shape.height)×\(shape.width)",
                placed ? layer.strides.map(String.init).joined(separator: ",") : "?",
                placed ? layer.pads.map(String.init).joined(separator: ",") : "?",
                layer.dilations.map(String.init).joined(separator: ","),
                "\(layer.groups)" + (layer.isTransposed ? " (transposed)" : ""),
                layer.inputSize.map { "\($0[0])×\($0[1])" } ?? "?",
                layer.batchNorm ?? "—",
                layer.problem.map { "not run: \($0)" } ?? "ok",
            ])
        }
        let widths = headers.indices.map { column in
            max(headers[column].count, rows.map { $0[column].count }.max() ?? 0)
        }
        func render(_ cells: [String]) -> String {
            cells.enumerated().map { column, cell in
                column == cells.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        lines.append(render(headers))
        lines += rows.map(render)
        let supported = inventory.supported.count
        var summary = "\(supported) of \(inventory.convolutions.count) convolutions can be benchmarked"
        let unsupported = inventory.convolutions.count - supported
        if unsupported > 0 { summary += "; \(unsupported) unsupported" }
        if inventory.groupedCount > 0 { summary += "; \(inventory.groupedCount) grouped or depthwise (groups ≠ 1)" }
        let transposed = inventory.convolutions.filter(\.isTransposed).count
        if transposed > 0 { summary += "; \(transposed) transposed" }
        let unplaced = inventory.convolutions.filter { $0.inputSize == nil }.count
        if unplaced > 0 { summary += "; \(unplaced) have no inferred input size" }
        lines.append(summary)
        return lines.joined(separator: "\n") + "\n"
    }
}
