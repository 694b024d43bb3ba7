import Testing
import NumericCore
import SpecBenchCore
import TestSupport

/// The general operators of docs/methods.md §5 (groups, dilation, rectangular inputs, asymmetric
/// pads, reflect and replicate padding, per-axis strides, transposed and 1-D layers) against the
/// explicit matrix built column by column from the definition in the test (`DefinitionMatrix`):
/// the geometry's sizes, the operator's forward and adjoint products, and every tier of the exact
/// reference (dense, Lanczos, the FFT block SVD for circular padding with dilation's subgrids).
@Suite("General operators against their explicit matrix (docs/methods.md §5)")
struct GeneralOperatorTests {
    /// One small case: the library's geometry and the definition's layer.
    struct Case: CustomStringConvertible, Sendable {
        let name: String
        let cout: Int, cinPerGroup: Int, kh: Int, kw: Int
        let height: Int, width: Int
        let padding: Padding
        let stride: (Int, Int), dilation: (Int, Int)
        let pads: (Int, Int, Int, Int)
        let groups: Int

        var description: String { name }

        func kernel(seed: UInt64) -> ConvolutionKernel { Fixtures.kernel(cout, cinPerGroup, kh, kw, seed: seed) }

        func geometry() throws -> ConvolutionGeometry {
            try ConvolutionGeometry(
                shape: KernelShape(outputChannels: cout, inputChannels: cinPerGroup, height: kh, width: kw),
                inputHeight: height, inputWidth: width, padding: padding, stride: AxisPair(stride.0, stride.1),
                dilation: AxisPair(dilation.0, dilation.1), pads: Pads(top: pads.0, left: pads.1, bottom: pads.2, right: pads.3),
                groups: groups)
        }

        func definition(_ kernel: ConvolutionKernel) -> DefinitionMatrix.Dense {
            DefinitionMatrix.forward(DefinitionMatrix.Layer(
                kernel: kernel, height: height, width: width, padding: padding, stride: stride, dilation: dilation,
                pads: pads, groups: groups))
        }
    }

    static func c(_ name: String, _ cout: Int, _ cin: Int, _ kh: Int, _ kw: Int, _ h: Int, _ w: Int, _ padding: Padding,
                  stride: (Int, Int) = (1, 1), dilation: (Int, Int) = (1, 1), pads: (Int, Int, Int, Int) = (1, 1, 1, 1),
                  groups: Int = 1) -> Case {
        Case(name: name, cout: cout, cinPerGroup: cin, kh: kh, kw: kw, height: h, width: w, padding: padding,
             stride: stride, dilation: dilation, pads: pads, groups: groups)
    }

    /// Each new axis alone, then combinations.
    static let cases: [Case] = [
        c("depthwise 4 groups, zero", 4, 1, 3, 3, 6, 6, .zero, groups: 4),
        c("grouped 2 groups, 2 in / 4 out per group, circular", 4, 2, 3, 3, 5, 5, .circular, groups: 2),
        c("grouped 3 groups, stride 2, zero", 6, 2, 3, 3, 7, 7, .zero, stride: (2, 2), groups: 3),
        c("dilation 2, zero", 3, 2, 3, 3, 7, 7, .zero, dilation: (2, 2), pads: (2, 2, 2, 2)),
        c("dilation 3, zero, pads 1", 2, 2, 3, 3, 8, 8, .zero, dilation: (3, 3)),
        c("dilation 2, circular, divisible", 3, 2, 3, 3, 8, 6, .circular, dilation: (2, 2)),
        c("dilation 3, circular, not divisible", 2, 3, 3, 3, 7, 8, .circular, dilation: (3, 3)),
        c("dilation (2, 1), circular, stride 2", 2, 2, 3, 3, 8, 6, .circular, stride: (2, 2), dilation: (2, 1)),
        c("rectangular 5×9, zero", 3, 2, 3, 3, 5, 9, .zero),
        c("rectangular 4×10, circular, stride (2, 1)", 2, 3, 3, 3, 4, 10, .circular, stride: (2, 1)),
        c("asymmetric pads (0, 1, 2, 1), zero", 3, 2, 3, 3, 6, 6, .zero, pads: (0, 1, 2, 1)),
        c("asymmetric pads, circular (a shift)", 3, 2, 3, 3, 6, 6, .circular, pads: (0, 2, 1, 0)),
        c("reflect pad 1", 3, 2, 3, 3, 6, 6, .reflect),
        c("reflect pads 2 on 4×5 (overlapping mirrors)", 2, 2, 3, 3, 4, 5, .reflect, pads: (2, 2, 2, 1)),
        c("replicate pad 2", 3, 2, 3, 3, 5, 5, .replicate, pads: (2, 2, 2, 2)),
        c("replicate, stride (2, 1), dilation 2", 2, 2, 3, 3, 7, 8, .replicate, stride: (2, 1), dilation: (2, 2), pads: (2, 1, 2, 1)),
        c("reflect, depthwise, stride 2", 3, 1, 3, 3, 6, 6, .reflect, stride: (2, 2), groups: 3),
        c("rectangular kernel 2×3, dilation (1, 2), zero, asymmetric", 2, 3, 2, 3, 5, 7, .zero, dilation: (1, 2), pads: (1, 0, 0, 2)),
        c("grouped, dilated, rectangular, replicate", 4, 1, 3, 3, 5, 7, .replicate, stride: (1, 2), dilation: (2, 1), pads: (2, 1, 1, 1), groups: 2),
    ]

    @Test("sizes, products and singular values equal the explicit matrix's", arguments: cases)
    func againstExplicitMatrix(_ testCase: Case) throws {
        let geometry = try testCase.geometry()
        for seed in [UInt64(11), 12] {
            let kernel = testCase.kernel(seed: seed)
            let explicit = testCase.definition(kernel)
            #expect(geometry.rows == explicit.rows && geometry.columns == explicit.columns, "\(testCase): \(geometry.rows)×\(geometry.columns) vs \(explicit.rows)×\(explicit.columns)")
            let op = ConvolutionOperator(kernel: kernel, geometry: geometry)
            // Forward and adjoint products.
            var generator = SeededGenerator(seed: seed, stream: "general-products")
            let x = generator.normals(geometry.columns), y = generator.normals(geometry.rows)
            #expect(Fixtures.maxRelativeDifference(op.apply(x), explicit.times(x)) < 1e-12, "\(testCase): A·x")
            #expect(Fixtures.maxRelativeDifference(op.applyAdjoint(y), explicit.transposeTimes(y)) < 1e-12, "\(testCase): Aᵀ·y")
            // Every singular value of the library's unrolled matrix (groups: the union).
            let values = explicit.singularValues()
            #expect(Fixtures.maxRelativeDifference(Fixtures.denseSingularValues(op).sorted(by: >), values) < 1e-10, "\(testCase): unrolled")
            // Each tier of the reference.
            let reference = ExactReference()
            let dense = try reference.topSingularValues(of: op, count: 3, seed: seed)
            #expect(dense.tier == .dense)
            #expect(Fixtures.maxRelativeDifference(dense.values, Array(values.prefix(3))) < 1e-10, "\(testCase): dense \(dense.values) vs \(values.prefix(3))")
            let lanczos = try reference.topSingularValues(of: op, count: 1, seed: seed, forcing: .plainLanczos)
            #expect(Fixtures.isClose(lanczos.values[0], values[0], relative: 1e-9), "\(testCase): lanczos \(lanczos.values) vs \(values[0])")
            let restarted = try reference.topSingularValues(of: op, count: 2, seed: seed, forcing: .restartedLanczos)
            #expect(Fixtures.maxRelativeDifference(restarted.values, Array(values.prefix(2))) < 1e-9, "\(testCase): restarted \(restarted.values)")
            if testCase.padding == .circular {
                let blocks = try reference.topSingularValues(of: op, count: 3, seed: seed, forcing: .fftBlockSVD)
                #expect(Fixtures.maxRelativeDifference(blocks.values, Array(values.prefix(3))) < 1e-10, "\(testCase): fft \(blocks.values) vs \(values.prefix(3))")
                // Every value, not only the top ones, for one group (subgrids of a dilation included).
                if geometry.groups == 1 {
                    let all = try CircularSpectrum.singularValues(kernel: kernel, problem: CircularProblem(geometry), in: Double.self)
                    #expect(Fixtures.maxRelativeDifference(all, values) < 1e-10, "\(testCase): every circular value")
                }
            }
        }
    }

    @Test("dilation's subgrids: d_h·d_w copies of the undilated circular operator on (H/d_h)×(W/d_w)")
    func dilationSubgrids() throws {
        let kernel = Fixtures.kernel(3, 2, 3, 3, seed: 5)
        let dilated = try ConvolutionGeometry(shape: kernel.shape, inputHeight: 8, inputWidth: 8, padding: .circular, dilation: AxisPair(2))
        #expect(CircularProblem(dilated).multiplicity == 4 && CircularProblem(dilated).gridHeight == 4)
        let small = try ConvolutionGeometry(shape: kernel.shape, inputSize: 4, padding: .circular)
        let once = try CircularSpectrum.singularValues(kernel: kernel, problem: CircularProblem(small), in: Double.self)
        let copies = once.flatMap { [$0, $0, $0, $0] }
        let explicit = DefinitionMatrix.forward(DefinitionMatrix.Layer(
            kernel: kernel, height: 8, width: 8, padding: .circular, dilation: (2, 2), pads: (2, 2, 2, 2))).singularValues()
        #expect(Fixtures.maxRelativeDifference(copies, explicit) < 1e-10)
    }

    @Test("a transposed convolution (stride 2, output padding, groups) has its forward convolution's singular values")
    func transposed() throws {
        let cases: [(cin: Int, coutPerGroup: Int, k: Int, h: Int, w: Int, stride: Int, pad: Int, op: (Int, Int), groups: Int, dilation: Int)] = [
            (3, 2, 3, 4, 5, 2, 1, (1, 1), 1, 1),
            (4, 1, 3, 3, 4, 2, 0, (1, 0), 2, 1),
            (2, 3, 4, 3, 3, 2, 1, (0, 0), 1, 1),
            (2, 2, 3, 3, 4, 3, 1, (2, 1), 1, 2),
            (4, 2, 3, 5, 3, 1, 1, (0, 0), 2, 1),
        ]
        for (index, t) in cases.enumerated() {
            let weight = Fixtures.kernel(t.cin, t.coutPerGroup, t.k, t.k, seed: UInt64(40 + index))
            let explicit = DefinitionMatrix.transposed(
                weight: weight, height: t.h, width: t.w, stride: (t.stride, t.stride), dilation: (t.dilation, t.dilation),
                pads: (t.pad, t.pad, t.pad, t.pad), outputPadding: t.op, groups: t.groups)
            let geometry = try ConvolutionGeometry.transposedConvolution(
                weightShape: weight.shape, inputHeight: t.h, inputWidth: t.w, stride: AxisPair(t.stride),
                dilation: AxisPair(t.dilation), pads: Pads(height: t.pad, width: t.pad),
                outputPadding: AxisPair(t.op.0, t.op.1), groups: t.groups)
            // The forward convolution maps the transposed layer's output grid back to its input.
            #expect(geometry.outputHeight == t.h && geometry.outputWidth == t.w, "case \(index)")
            #expect(geometry.columns == explicit.rows && geometry.rows == explicit.columns, "case \(index)")
            let op = ConvolutionOperator(kernel: weight, geometry: geometry)
            let values = explicit.singularValues()
            let reference = try ExactReference().topSingularValues(of: op, count: 2, seed: 1)
            #expect(Fixtures.maxRelativeDifference(reference.values, Array(values.prefix(2))) < 1e-10, "case \(index): \(reference.values) vs \(values.prefix(2))")
            // The adjoint itself: the explicit ConvTranspose matrix is Aᵀ.
            var generator = SeededGenerator(seed: UInt64(index), stream: "transposed")
            let y = generator.normals(geometry.rows)
            #expect(Fixtures.maxRelativeDifference(op.applyAdjoint(y), explicit.times(y)) < 1e-12, "case \(index): ConvTranspose = Aᵀ")
        }
    }

    @Test("a 1-D convolution (kernel (cout, cin/g, k) on 1 × W) is the 2-D case kh = 1, H = 1")
    func oneDimensional() throws {
        let cases: [(cout: Int, cin: Int, k: Int, w: Int, stride: Int, dilation: Int, pads: (Int, Int), groups: Int)] = [
            (3, 2, 5, 12, 1, 1, (2, 2), 1), (4, 1, 3, 10, 2, 1, (1, 0), 4), (2, 3, 3, 11, 1, 3, (3, 3), 1), (4, 2, 4, 9, 2, 2, (0, 3), 2),
        ]
        for (index, t) in cases.enumerated() {
            let kernel = Fixtures.kernel(t.cout, t.cin, 1, t.k, seed: UInt64(60 + index))
            let specification = OperatorSpecification(
                inputSize: AxisPair(t.w), padding: .zero, stride: AxisPair(t.stride), dilation: AxisPair(t.dilation),
                pads: Pads(top: 0, left: t.pads.0, bottom: 0, right: t.pads.1), groups: t.groups)
            let geometry = try specification.geometry(kernel: kernel.shape, dimensions: 1)
            #expect(geometry.dimensions == 1 && geometry.inputHeight == 1 && geometry.inputWidth == t.w)
            let explicit = DefinitionMatrix.oneDimensional(
                kernel: kernel, width: t.w, stride: t.stride, dilation: t.dilation, pads: t.pads, groups: t.groups)
            let op = ConvolutionOperator(kernel: kernel, geometry: geometry)
            let values = explicit.singularValues()
            let reference = try ExactReference().topSingularValues(of: op, count: 2, seed: 1)
            #expect(Fixtures.maxRelativeDifference(reference.values, Array(values.prefix(2))) < 1e-10, "case \(index)")
        }
    }

    @Test("bad geometries are refused naming the value: groups, dilation, reflect pads, output padding, 1-D rows")
    func badGeometries() {
        let shape = KernelShape(outputChannels: 6, inputChannels: 2, height: 3, width: 3)
        func message(_ body: () throws -> Any) -> String {
            do { _ = try body(); return "" } catch let error as InvalidInput { return error.message } catch { return "\(error)" }
        }
        #expect(message { try ConvolutionGeometry(shape: shape, inputHeight: 8, inputWidth: 8, padding: .zero, groups: 4) }.contains("groups 4 do not divide"))
        #expect(message { try ConvolutionGeometry(shape: shape, inputHeight: 4, inputWidth: 4, padding: .zero, dilation: AxisPair(3), pads: 0) }.contains("larger than the padded input"))
        #expect(message { try ConvolutionGeometry(shape: shape, inputHeight: 4, inputWidth: 4, padding: .reflect, pads: 4) }.contains("reflect padding needs each pad smaller"))
        #expect(message { try ConvolutionGeometry.transposedConvolution(weightShape: shape, inputHeight: 4, inputWidth: 4, stride: AxisPair(2), outputPadding: AxisPair(2)) }.contains("invalid output padding"))
        #expect(message { try ConvolutionGeometry(shape: shape, inputHeight: 2, inputWidth: 8, padding: .zero, dimensions: 1) }.contains("1-D"))
        #expect(message { try ConvolutionGeometry(shape: shape, inputHeight: 9, inputWidth: 8, padding: .circular, stride: AxisPair(2)) }.contains("does not divide H = 9"))
    }
}
