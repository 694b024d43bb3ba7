import Testing
import NumericCore
import SpecBenchCore
import SpecBenchMethods
import TestSupport

/// Every method's guarantee on the general operators, by docs/methods.md §5, checked over seeded
/// kernels against the explicit matrix built from the definition (`DefinitionMatrix`): an upper
/// bound is never below σ, a lower estimate never above, an exact value equal; the guarantee each
/// method declares is §5's row (transcribed independently in `documentedGuarantee`); a method
/// that cannot run says why. Grouped layers run per group and take the maximum.
@Suite("Guarantees on general operators (docs/methods.md §5)")
struct GeneralOperatorGuaranteeTests {
    /// A geometry, its explicit matrix's norm, and a name.
    struct Case: CustomStringConvertible, Sendable {
        let name: String
        let geometry: ConvolutionGeometry
        let transposedInput: (Int, Int)?
        var description: String { name }

        /// σ of the explicit matrix of `kernel` under this case, from the definition.
        func explicitNorm(_ kernel: ConvolutionKernel) -> Double {
            let g = geometry
            if let transposed = g.transposed, let input = transposedInput {
                return DefinitionMatrix.transposed(
                    weight: kernel, height: input.0, width: input.1, stride: (g.stride.height, g.stride.width),
                    dilation: (g.dilation.height, g.dilation.width), pads: (g.pads.top, g.pads.left, g.pads.bottom, g.pads.right),
                    outputPadding: (transposed.outputPadding.height, transposed.outputPadding.width), groups: g.groups).singularValues()[0]
            }
            return DefinitionMatrix.forward(DefinitionMatrix.Layer(
                kernel: kernel, height: g.inputHeight, width: g.inputWidth, padding: g.padding,
                stride: (g.stride.height, g.stride.width), dilation: (g.dilation.height, g.dilation.width),
                pads: (g.pads.top, g.pads.left, g.pads.bottom, g.pads.right), groups: g.groups)).singularValues()[0]
        }
    }

    static func geometry(_ cout: Int, _ cin: Int, _ kh: Int, _ kw: Int, _ h: Int, _ w: Int, _ padding: Padding,
                         stride: AxisPair = .one, dilation: AxisPair = .one, pads: Pads? = nil, groups: Int = 1) -> ConvolutionGeometry {
        try! ConvolutionGeometry(shape: KernelShape(outputChannels: cout, inputChannels: cin, height: kh, width: kw),
                                 inputHeight: h, inputWidth: w, padding: padding, stride: stride, dilation: dilation, pads: pads, groups: groups)
    }

    static let cases: [Case] = [
        Case(name: "depthwise, zero", geometry: geometry(4, 1, 3, 3, 6, 6, .zero, groups: 4), transposedInput: nil),
        Case(name: "grouped, circular", geometry: geometry(4, 2, 3, 3, 6, 6, .circular, groups: 2), transposedInput: nil),
        Case(name: "grouped, stride 2, zero", geometry: geometry(6, 2, 3, 3, 7, 7, .zero, stride: 2, groups: 3), transposedInput: nil),
        Case(name: "dilation 2, zero", geometry: geometry(3, 2, 3, 3, 7, 7, .zero, dilation: 2), transposedInput: nil),
        Case(name: "dilation 3, zero, pad 1", geometry: geometry(2, 3, 3, 3, 8, 8, .zero, dilation: 3, pads: 1), transposedInput: nil),
        Case(name: "dilation 2, circular, divisible", geometry: geometry(3, 2, 3, 3, 8, 8, .circular, dilation: 2), transposedInput: nil),
        Case(name: "dilation 3, circular, not divisible", geometry: geometry(2, 2, 3, 3, 7, 8, .circular, dilation: 3), transposedInput: nil),
        Case(name: "rectangular, zero", geometry: geometry(3, 2, 3, 3, 5, 9, .zero), transposedInput: nil),
        Case(name: "rectangular, circular, stride (2, 1)", geometry: geometry(2, 3, 3, 3, 4, 10, .circular, stride: AxisPair(2, 1)), transposedInput: nil),
        Case(name: "asymmetric pads, zero", geometry: geometry(3, 2, 3, 3, 6, 6, .zero, pads: Pads(top: 0, left: 1, bottom: 2, right: 1)), transposedInput: nil),
        Case(name: "reflect", geometry: geometry(3, 2, 3, 3, 6, 6, .reflect), transposedInput: nil),
        Case(name: "reflect, stride 2", geometry: geometry(3, 3, 3, 3, 6, 6, .reflect, stride: 2), transposedInput: nil),
        Case(name: "replicate pad 2", geometry: geometry(3, 2, 3, 3, 5, 5, .replicate, pads: 2), transposedInput: nil),
        Case(name: "1-D", geometry: try! OperatorSpecification(inputSize: 12, padding: .zero).geometry(
            kernel: KernelShape(outputChannels: 3, inputChannels: 2, height: 1, width: 5), dimensions: 1), transposedInput: nil),
        Case(name: "transposed, stride 2, output padding 1", geometry: try! ConvolutionGeometry.transposedConvolution(
            weightShape: KernelShape(outputChannels: 3, inputChannels: 2, height: 3, width: 3), inputHeight: 4, inputWidth: 5,
            stride: 2, pads: 1, outputPadding: 1), transposedInput: (4, 5)),
    ]

    @Test("each method's guarantee holds on seeded kernels and is §5's", arguments: cases)
    func guaranteesHold(_ testCase: Case) throws {
        let g = testCase.geometry
        for seed in UInt64(0)..<4 {
            let kernel = Fixtures.kernel(g.shape.outputChannels, g.shape.inputChannels, g.shape.height, g.shape.width, seed: 300 + seed)
            let sigma = testCase.explicitNorm(kernel)
            let op = ConvolutionOperator(kernel: kernel, geometry: g)
            for method in convergedMethods() + [ReferenceMethod()] {
                let id = type(of: method).id
                let applicability = method.layerApplicability(to: g)
                #expect(applicability.guarantee == documentedGuarantee(id, geometry: g.perGroup), "\(testCase) \(id)")
                guard let guarantee = applicability.guarantee else {
                    if case .notApplicable(let reason) = applicability { #expect(!reason.isEmpty) }
                    continue
                }
                let value = try method.prepare(onFloat64: op, context: MethodContext(seed: seed)).run().value
                switch guarantee {
                case .exact: #expect(Fixtures.isClose(value, sigma, relative: 1e-9), "\(testCase) \(id): \(value) vs σ = \(sigma)")
                case .upper: #expect(value >= sigma * (1 - 1e-9), "\(testCase) \(id): upper \(value) < σ = \(sigma)")
                case .lower: #expect(value <= sigma * (1 + 1e-9), "\(testCase) \(id): lower \(value) > σ = \(sigma)")
                case .estimate: #expect(value.isFinite && value > 0, "\(testCase) \(id)")
                }
            }
        }
    }

    @Test("reflect padding can exceed σ_∞, so σ_∞ bounds are estimates there; ×‖P‖ they hold")
    func reflectExceedsInfiniteGrid() throws {
        // Over seeded kernels, reflect's σ stays within ‖P‖·σ_∞ (‖P‖ = √2·√2 for pad 1 on 6×6: each
        // pixel copied at most twice per axis), and at least one seed shows σ > σ_∞.
        var exceeded = false
        for seed in UInt64(0)..<40 {
            let kernel = Fixtures.kernel(3, 2, 3, 3, seed: 500 + seed)
            let g = Self.geometry(3, 2, 3, 3, 6, 6, .reflect)
            let sigma = Case(name: "", geometry: g, transposedInput: nil).explicitNorm(kernel)
            let infinite = InfiniteGridNorm.norm(kernel)
            #expect(sigma <= 2 * infinite * (1 + 1e-9))
            exceeded = exceeded || sigma > infinite * (1 + 1e-9)
        }
        #expect(exceeded, "no seeded kernel had σ_reflect > σ_∞; docs/methods.md §5 gives one")
    }

    @Test("grouped layers: the maximum over groups, not the product (docs/methods.md §5)")
    func groupsTakeTheMaximum() throws {
        // Two groups with norms well under 1: the product would be below σ.
        let kernel = try Fixtures.kernel(4, 2, 3, 3, seed: 9).scaled(by: 0.05)
        let g = Self.geometry(4, 2, 3, 3, 6, 6, .zero, groups: 2)
        let op = ConvolutionOperator(kernel: kernel, geometry: g)
        let perGroup = try op.groupOperators.map { try ExactReference().topSingularValues(of: $0, count: 1, seed: 0).values[0] }
        let layer = try ReferenceMethod().prepare(onFloat64: op, context: MethodContext(seed: 0)).run().value
        #expect(Fixtures.isClose(layer, perGroup.max()!, relative: 1e-12) && layer > perGroup.reduce(1, *))
    }
}
