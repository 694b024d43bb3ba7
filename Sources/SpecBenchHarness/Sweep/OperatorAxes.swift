import SpecBenchCore
import SpecBenchResults

extension SweepConfiguration.GridSpecification {
    /// Calls `body` with every operator of this grid for each of `shapes` (each with a payload,
    /// e.g. its kernel source), nested in the order paddings, strides, dilations, groups,
    /// shapes, input sizes, pads. Throws `InvalidInput` naming the point when one cannot be
    /// built (docs/methods.md §5 says what is accepted). O(points).
    func forEachOperator<Payload>(
        shapes: [(KernelShape, Payload)], _ body: (ConvolutionGeometry, Payload) throws -> Void
    ) throws {
        for padding in paddings {
            for stride in strides {
                for dilation in dilations ?? [.one] {
                    for groupCount in groups ?? [1] {
                        for (shape, payload) in shapes {
                            for size in inputSizes {
                                for pad in pads.isEmpty ? [nil] : pads.map(Optional.some) {
                                    let geometry: ConvolutionGeometry
                                    do {
                                        geometry = try ConvolutionGeometry(
                                            shape: shape, inputHeight: size.height, inputWidth: size.width, padding: padding,
                                            stride: stride, dilation: dilation, pads: pad, groups: groupCount)
                                    } catch let error as InvalidInput {
                                        let extras = (dilation == .one ? "" : " dilation=\(dilation)") + (groupCount == 1 ? "" : " groups=\(groupCount)")
                                            + (pad.map { " pad=\($0)" } ?? "")
                                        throw InvalidInput("the point \(shape) n=\(size) \(padding.rawValue) stride=\(stride)\(extras) cannot be built: \(error.message)")
                                    }
                                    try body(geometry, payload)
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

extension SweepConfiguration.LayerSpecification {
    /// The kernel shape as given: `(cout, cin/groups, kh, kw)`, or a transposed layer's weight
    /// `(cin_t, cout_t/groups, kh, kw)`.
    var shape: KernelShape {
        KernelShape(outputChannels: cout, inputChannels: cin, height: kernelHeight, width: kernelWidth)
    }

    /// The layer's operator with `padding`: a forward convolution, or for a transposed layer the
    /// forward convolution whose adjoint it is (docs/methods.md §5). Throws `InvalidInput`.
    func geometry(padding: Padding) throws -> ConvolutionGeometry {
        let specification = OperatorSpecification(
            inputSize: inputSize, padding: padding, stride: stride, dilation: dilation ?? .one, pads: pad,
            groups: groups ?? 1, outputPadding: outputPadding)
        return try specification.geometry(kernel: shape, dimensions: dimensions ?? 2)
    }
}
