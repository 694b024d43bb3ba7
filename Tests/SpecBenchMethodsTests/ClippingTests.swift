import Testing
import Foundation
import NumericCore
import SpecBenchCore
import SpecBenchMethods
import TestSupport

/// The clipping methods (docs/clipping.md) against the dense reference of the clipped operator.
@Suite("Clipping methods against the dense reference")
struct ClippingTests {
    static let context = MethodContext(seed: 7)

    /// Small operators of both paddings and strides 1–2, with seeded N(0, 1) kernels.
    static func operands() -> [ClipOperand] {
        var operands: [ClipOperand] = []
        var seed: UInt64 = 100
        for padding in [Padding.zero, .circular] {
            for stride in [1, 2] {
                for (cout, cin, k, n) in [(3, 2, 3, 6), (2, 3, 3, 4), (4, 2, 1, 4), (2, 2, 2, 6)] {
                    seed += 1
                    let kernel = Fixtures.kernel(cout, cin, k, k, seed: seed)
                    let geometry = try! ConvolutionGeometry(shape: kernel.shape, inputSize: n, padding: padding, stride: stride)
                    operands.append(ClipOperand(kernel: kernel, geometry: geometry))
                }
            }
        }
        return operands
    }

    static func dense(_ kernel: ConvolutionKernel, _ geometry: ConvolutionGeometry) -> Double {
        Fixtures.denseNorm(ConvolutionOperator(kernel: kernel, geometry: try! geometry.with(kernelShape: kernel.shape)))
    }

    @Test("rescale-exact lands on c to 1e-9 (both paddings, strides 1–2, targets below σ)")
    func rescaleExactLandsOnTarget() throws {
        let method = try ClippingCatalog.resolve(id: "rescale-exact", parameters: [:], context: Self.context)
        for operand in Self.operands() {
            let sigma = Self.dense(operand.kernel, operand.geometry)
            for target in [0.5, 1.0, sigma / 3] {
                let outcome = try method.clip(operand, target: target, context: Self.context)
                let after = Self.dense(outcome.composedKernel, operand.geometry)
                #expect(abs(after - target) <= 1e-9 * target, "\(operand.geometry) c = \(target): σ after \(after)")
            }
            // Above σ: left as it was.
            let untouched = try method.clip(operand, target: 2 * sigma, context: Self.context)
            #expect(untouched.composedKernel == operand.kernel)
        }
    }

    @Test("every rescale-<upper bound> never ends above c where its bound is upper", arguments: [
        "rescale-gram-zero", "rescale-gram-circular", "rescale-lipbound", "rescale-fantastic-four", "rescale-tn-bound", "rescale-aol",
    ])
    func rescaleByUpperBoundNeverAbove(_ id: String) throws {
        let method = try ClippingCatalog.resolve(id: id, parameters: [:], context: Self.context)
        var checked = 0
        for operand in Self.operands() {
            guard case .applies(let guarantee) = method.applicability(to: operand.geometry) else { continue }
            let sigma = Self.dense(operand.kernel, operand.geometry)
            for target in [1.0, sigma / 2] {
                let outcome = try method.clip(operand, target: target, context: Self.context)
                let after = Self.dense(outcome.composedKernel, operand.geometry)
                if guarantee == .upper {
                    #expect(after <= target * (1 + 1e-9), "\(id) on \(operand.geometry): σ after \(after) > c = \(target)")
                    checked += 1
                }
                // A rescaling only scales: the kernel's direction is kept.
                let factor = outcome.composedKernel.frobeniusNorm / operand.kernel.frobeniusNorm
                #expect(Fixtures.maxRelativeDifference(outcome.composedKernel.values, operand.kernel.values.map { $0 * factor }) < 1e-12)
            }
        }
        #expect(checked >= 16, "\(id): only \(checked) clips where the bound is upper")
    }

    @Test("rescale-power-iteration and rescale-reshape make no promise and are labelled so")
    func lowerAndReshapeRescalingsAreEstimates() throws {
        for id in ["rescale-power-iteration", "rescale-reshape", "fastclip"] {
            let method = try ClippingCatalog.resolve(id: id, parameters: [:], context: Self.context)
            for operand in Self.operands() {
                #expect(method.applicability(to: operand.geometry).guarantee == .estimate, "\(id)")
            }
        }
    }

    @Test("the kernel gradient is the adjoint of K ↦ A(K)·x, against matrices built from the definition")
    func kernelGradientMatchesDefinition() throws {
        struct Case { let padding: Padding; let stride: (Int, Int); let dilation: (Int, Int); let groups: Int }
        let settings = [
            Case(padding: .zero, stride: (1, 1), dilation: (1, 1), groups: 1),
            Case(padding: .circular, stride: (2, 2), dilation: (1, 1), groups: 1),
            Case(padding: .reflect, stride: (1, 2), dilation: (1, 1), groups: 1),
            Case(padding: .replicate, stride: (1, 1), dilation: (2, 2), groups: 1),
            Case(padding: .zero, stride: (2, 1), dilation: (1, 1), groups: 2),
        ]
        var cases: [(DefinitionMatrix.Layer, ConvolutionGeometry)] = []
        for (index, item) in settings.enumerated() {
            let kernel = Fixtures.kernel(4, 2, 3, 2, seed: 300 + UInt64(index))
            let pads = (item.dilation.0, item.dilation.1 / 2, item.dilation.0, item.dilation.1 / 2)
            let layer = DefinitionMatrix.Layer(kernel: kernel, height: 6, width: 6, padding: item.padding, stride: item.stride,
                                               dilation: item.dilation, pads: pads, groups: item.groups)
            let geometry = try ConvolutionGeometry(
                shape: kernel.shape, inputHeight: 6, inputWidth: 6, padding: item.padding, stride: AxisPair(item.stride.0, item.stride.1),
                dilation: AxisPair(item.dilation.0, item.dilation.1), pads: Pads(top: pads.0, left: pads.1, bottom: pads.2, right: pads.3),
                groups: item.groups)
            cases.append((layer, geometry))
        }
        for (layer, geometry) in cases {
            var generator = SeededGenerator(seed: 5, stream: "gradient")
            let input = generator.normals(geometry.columns)
            let residual = generator.normals(geometry.rows)
            let gradient = KernelGradient.correlate(residual: residual, input: input, geometry: geometry)
            for index in 0..<layer.kernel.shape.count {
                var unit = [Double](repeating: 0, count: layer.kernel.shape.count)
                unit[index] = 1
                var basis = layer
                basis.kernel = try ConvolutionKernel(shape: layer.kernel.shape, values: unit)
                let column = DefinitionMatrix.forward(basis).times(input)
                let expected = zip(residual, column).reduce(0) { $0 + $1.0 * $1.1 }
                #expect(abs(gradient[index] - expected) <= 1e-10 * max(1, abs(expected)), "\(geometry) entry \(index)")
            }
        }
    }

    @Test("FastClip's loss gradient (kernel and batch-norm weight) against central finite differences")
    func fastClipGradientAgainstFiniteDifferences() throws {
        let kernel = Fixtures.kernel(3, 2, 3, 3, seed: 11)
        let geometry = try ConvolutionGeometry(shape: kernel.shape, inputSize: 5, padding: .zero, stride: 1)
        var generator = SeededGenerator(seed: 12, stream: "fd")
        let input = generator.normals(geometry.columns)
        let wanted = generator.normals(geometry.rows)
        let gamma = [0.7, -1.3, 2.0], deviation = [1.5, 0.4, 0.9]
        for composed in [false, true] {
            let (_, gradient, gammaGradient) = try FastClip.loss(
                kernel: kernel.values, gamma: composed ? gamma : nil, deviation: composed ? deviation : nil,
                geometry: geometry, input: input, wanted: wanted)
            func loss(_ values: [Double], _ weights: [Double]?) throws -> Double {
                try FastClip.loss(kernel: values, gamma: weights, deviation: composed ? deviation : nil, geometry: geometry,
                                  input: input, wanted: wanted).loss
            }
            let h = 1e-6
            for index in stride(from: 0, to: kernel.values.count, by: 3) {
                var plus = kernel.values, minus = kernel.values
                plus[index] += h
                minus[index] -= h
                let numeric = (try loss(plus, composed ? gamma : nil) - (try loss(minus, composed ? gamma : nil))) / (2 * h)
                #expect(abs(numeric - gradient[index]) <= 1e-6 * max(1, abs(numeric)), "kernel entry \(index), composed \(composed)")
            }
            if composed {
                for o in gamma.indices {
                    var plus = gamma, minus = gamma
                    plus[o] += h
                    minus[o] -= h
                    let numeric = (try loss(kernel.values, plus) - (try loss(kernel.values, minus))) / (2 * h)
                    #expect(abs(numeric - gammaGradient![o]) <= 1e-6 * max(1, abs(numeric)), "γ[\(o)]")
                }
            }
        }
    }

    @Test("FastClip moves σ towards c on a layer and, run to its own stop test, ends near it")
    func fastClipApproachesTarget() throws {
        let kernel = Fixtures.kernel(4, 3, 3, 3, seed: 21)
        let geometry = try ConvolutionGeometry(shape: kernel.shape, inputSize: 6, padding: .zero)
        let operand = ClipOperand(kernel: kernel, geometry: geometry)
        let before = Self.dense(kernel, geometry)
        let published = try ClippingCatalog.resolve(id: "fastclip", parameters: [:], context: Self.context)
        let after = Self.dense(try published.clip(operand, target: 1, context: Self.context).composedKernel, geometry)
        #expect(after < before)
        let long = try ClippingCatalog.resolve(id: "fastclip", parameters: ["rounds": "200"], context: Self.context)
        let outcome = try long.clip(operand, target: 1, context: Self.context)
        #expect(outcome.converged == true)
        let afterLong = Self.dense(outcome.composedKernel, geometry)
        #expect(afterLong < 1.2 && afterLong > 0.9, "σ after 200 rounds: \(afterLong)")
    }

    @Test("a diverging FastClip step is a ClipFailure naming the step")
    func fastClipDivergenceNamesStep() throws {
        let kernel = Fixtures.kernel(4, 3, 3, 3, seed: 22)
        let operand = ClipOperand(kernel: kernel, geometry: try ConvolutionGeometry(shape: kernel.shape, inputSize: 6, padding: .zero))
        let method = try ClippingCatalog.resolve(id: "fastclip", parameters: ["stepSize": "1e6", "rounds": "50"], context: Self.context)
        #expect {
            _ = try method.clip(operand, target: 1, context: Self.context)
        } throws: { error in
            let text = String(describing: error)
            return error is ClipFailure && text.contains("round") && (text.contains("gradient step") || text.contains("PowerQR"))
        }
    }

    @Test("Sedghi's clip without the projection lands on c exactly for circular stride 1; the projection's move is reported")
    func sedghiClipExactWithoutProjection() throws {
        let full = try ClippingCatalog.resolve(id: "sedghi-clip", parameters: ["project": "false"], context: Self.context)
        let projected = try ClippingCatalog.resolve(id: "sedghi-clip", parameters: [:], context: Self.context)
        for (index, (cout, cin, k, n)) in [(3, 2, 3, 6), (2, 3, 3, 5), (4, 4, 2, 4), (2, 2, 3, 7)].enumerated() {
            let kernel = Fixtures.kernel(cout, cin, k, k, seed: 400 + UInt64(index))
            let geometry = try ConvolutionGeometry(shape: kernel.shape, inputSize: n, padding: .circular)
            let operand = ClipOperand(kernel: kernel, geometry: geometry)
            let sigma = Self.dense(kernel, geometry)
            let target = sigma / 2
            #expect(full.applicability(to: geometry).guarantee == .exact)
            let outcome = try full.clip(operand, target: target, context: Self.context)
            #expect(outcome.composedKernel.shape.height == n && outcome.composedKernel.shape.width == n)
            let after = Self.dense(outcome.composedKernel, geometry)
            #expect(abs(after - target) <= 1e-9 * target, "\(kernel.shape) n = \(n): σ after \(after), c = \(target)")
            // The singular values below c are kept: every value of the clipped operator is min(σ_i, c).
            let beforeValues = Fixtures.denseSingularValues(ConvolutionOperator(kernel: kernel, geometry: geometry))
            let afterValues = Fixtures.denseSingularValues(ConvolutionOperator(kernel: outcome.composedKernel, geometry: try geometry.with(kernelShape: outcome.composedKernel.shape)))
            let expected = beforeValues.map { min($0, target) }.sorted(by: >)
            #expect(Fixtures.maxRelativeDifference(Array(afterValues.prefix(expected.count)), expected) < 1e-8)

            let cut = try projected.clip(operand, target: target, context: Self.context)
            #expect(cut.composedKernel.shape == kernel.shape)
            let diagnostics = try #require(cut.diagnostics)
            #expect(diagnostics.contains("projection moved the kernel by"))
            #expect(projected.applicability(to: geometry).guarantee == .estimate)
        }
    }

    @Test("clipping methods work group by group on a grouped layer")
    func groupedLayer() throws {
        let kernel = Fixtures.kernel(4, 2, 3, 3, seed: 500)
        let geometry = try ConvolutionGeometry(shape: kernel.shape, inputHeight: 6, inputWidth: 6, padding: .circular, groups: 2)
        let operand = ClipOperand(kernel: kernel, geometry: geometry)
        for id in ["rescale-exact", "rescale-gram-zero"] {
            let method = try ClippingCatalog.resolve(id: id, parameters: [:], context: Self.context)
            let after = Self.dense(try method.clip(operand, target: 1, context: Self.context).composedKernel, geometry)
            #expect(after <= 1 + 1e-9, "\(id): \(after)")
        }
        let full = try ClippingCatalog.resolve(id: "sedghi-clip", parameters: ["project": "false"], context: Self.context)
        let clipped = try full.clip(operand, target: 1, context: Self.context).composedKernel
        #expect(abs(Self.dense(clipped, geometry) - 1) < 1e-9)
    }

    @Test("a conv + BN composition: rescalings scale the convolution, the composition lands where the kernel alone would")
    func compositionRescaling() throws {
        let kernel = Fixtures.kernel(3, 2, 3, 3, seed: 600)
        let geometry = try ConvolutionGeometry(shape: kernel.shape, inputSize: 5, padding: .zero)
        let gain = try BatchNormGain(gamma: [2, 0.5, -3], inverseDeviation: [1, 2, 0.5])
        let operand = ClipOperand(kernel: kernel, geometry: geometry, batchNorm: gain)
        let method = try ClippingCatalog.resolve(id: "rescale-exact", parameters: [:], context: Self.context)
        let outcome = try method.clip(operand, target: 1, context: Self.context)
        #expect(abs(Self.dense(outcome.composedKernel, geometry) - 1) < 1e-9)
        #expect(abs(Self.dense(try gain.folded(outcome.kernel), geometry) - 1) < 1e-9)
        #expect(outcome.batchNorm == gain)
    }

    @Test("unknown clipping methods and parameters are refused naming them")
    func badSelections() throws {
        #expect(throws: InvalidInput.self) { _ = try ClippingCatalog.resolve(id: "clip-everything", parameters: [:], context: Self.context) }
        #expect(throws: InvalidInput.self) { _ = try ClippingCatalog.resolve(id: "fastclip", parameters: ["speed": "1"], context: Self.context) }
        #expect(throws: InvalidInput.self) { _ = try ClippingCatalog.resolve(id: "fastclip", parameters: ["stepSize": "-1"], context: Self.context) }
        #expect(throws: InvalidInput.self) { _ = try ClippingCatalog.resolve(id: "rescale-gram-zero", parameters: ["iterations": "0"], context: Self.context) }
        #expect(ClippingCatalog.ids.count == 11)
    }

    @Test("aol is the Schur test on the infinite grid's AᵀA, written out by loops here; reshape-norm is the reshaped kernel's norm")
    func aolAndReshapeNormByDefinition() throws {
        for (index, (cout, cin, kh, kw)) in [(3, 2, 3, 3), (2, 4, 1, 1), (4, 3, 2, 3)].enumerated() {
            let kernel = Fixtures.kernel(cout, cin, kh, kw, seed: 700 + UInt64(index))
            var largest = 0.0
            for i in 0..<cin {
                var sum = 0.0
                for j in 0..<cin {
                    for ly in -(kh - 1)...(kh - 1) {
                        for lx in -(kw - 1)...(kw - 1) {
                            var entry = 0.0
                            for o in 0..<cout {
                                for dy in 0..<kh where dy + ly >= 0 && dy + ly < kh {
                                    for dx in 0..<kw where dx + lx >= 0 && dx + lx < kw {
                                        entry += kernel[o, i, dy, dx] * kernel[o, j, dy + ly, dx + lx]
                                    }
                                }
                            }
                            sum += abs(entry)
                        }
                    }
                }
                largest = max(largest, sum)
            }
            let geometry = try ConvolutionGeometry(shape: kernel.shape, inputSize: 6, padding: .zero)
            let linearOperator = ConvolutionOperator(kernel: kernel, geometry: geometry)
            let aol = try outcome(AOLMethod(), linearOperator).value
            #expect(abs(aol - largest.squareRoot()) <= 1e-12 * aol, "\(kernel.shape)")
            #expect(aol >= Fixtures.denseNorm(linearOperator) * (1 - 1e-12))
            let reshape = try outcome(ReshapeNormMethod(), linearOperator).value
            let expected = Fixtures.matrixNorm(rows: cout, columns: cin * kh * kw, kernel.values)
            #expect(abs(reshape - expected) <= 1e-12 * expected)
            if kh == 1 && kw == 1 {
                #expect(abs(reshape - Fixtures.denseNorm(linearOperator)) <= 1e-10 * reshape, "1×1 stride 1: exact")
            }
        }
    }
}
