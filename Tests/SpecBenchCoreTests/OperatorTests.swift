import Testing
import NumericCore
import SpecBenchCore
import TestSupport

/// One operator configuration for parameterised tests.
struct OperatorCase: CustomTestStringConvertible, Sendable {
    let cout, cin, kh, kw, n, stride: Int
    let padding: Padding
    let pad: Int?
    let seed: UInt64

    var testDescription: String {
        "\(cout)×\(cin)×\(kh)×\(kw) n=\(n) \(padding.rawValue) s=\(stride)" + (pad.map { " p=\($0)" } ?? "")
    }

    /// Odd, even and rectangular kernels; both paddings; strides 1–3; pad overrides.
    static let all: [OperatorCase] = {
        var cases: [OperatorCase] = []
        var seed: UInt64 = 100
        let kernels = [(2, 3, 3, 3), (3, 2, 2, 2), (2, 2, 1, 1), (1, 2, 3, 5), (2, 1, 4, 2), (3, 3, 5, 5)]
        for (cout, cin, kh, kw) in kernels {
            for padding in Padding.allCases {
                for stride in 1...3 {
                    for pad in [nil, 0, 2] as [Int?] {
                        let n = padding == .circular ? 6 : 7
                        if padding == .circular && n % stride != 0 { continue }
                        if padding == .zero && (n + 2 * (pad ?? kh / 2) < kh || n + 2 * (pad ?? kw / 2) < kw) { continue }
                        seed += 1
                        cases.append(OperatorCase(cout: cout, cin: cin, kh: kh, kw: kw, n: n, stride: stride,
                                                  padding: padding, pad: pad, seed: seed))
                    }
                }
            }
        }
        return cases
    }()

    var convolution: ConvolutionOperator<Double> {
        Fixtures.convolution(Fixtures.kernel(cout, cin, kh, kw, seed: seed), n: n, padding: padding, stride: stride, pad: pad)
    }

    /// The operator in every scheme: the patch matrix, tap by tap, Winograd and the direct
    /// correlation wherever they apply (direct: on CPUs with AVX-512).
    var convolutions: [ConvolutionOperator<Double>] {
        let kernel = Fixtures.kernel(cout, cin, kh, kw, seed: seed)
        let geometry = try! ConvolutionGeometry(shape: kernel.shape, inputSize: n, padding: padding, stride: stride, pad: pad)
        return [ConvolutionScheme.patchMatrix, .tapByTap, .winograd, .direct].map {
            ConvolutionOperator(kernel: kernel, geometry: geometry, precision: Double.self, scheme: $0)
        }
    }
}

@Suite("The convolution operator (docs/methods.md §1)")
struct OperatorTests {
    @Test("forward and adjoint agree: ⟨Ax, y⟩ = ⟨x, Aᵀy⟩ to 1e-12", arguments: OperatorCase.all)
    func adjointIdentity(_ testCase: OperatorCase) {
        for op in testCase.convolutions {
            var generator = SeededGenerator(seed: testCase.seed, stream: "adjoint")
            let x = generator.normals(op.inputDimension)
            let y = generator.normals(op.outputDimension)
            let ax = op.apply(x)
            let aty = op.applyAdjoint(y)
            let left = BLAS.dot(ax, y)
            let right = BLAS.dot(x, aty)
            let scale = BLAS.norm(ax) * BLAS.norm(y) + BLAS.norm(x) * BLAS.norm(aty)
            #expect(abs(left - right) <= 1e-12 * scale, "\(op.scheme): ⟨Ax,y⟩ = \(left), ⟨x,Aᵀy⟩ = \(right)")
        }
    }

    @Test("forward and adjoint agree in float32 too: ⟨Ax, y⟩ = ⟨x, Aᵀy⟩ to 1e-5, every scheme", arguments: OperatorCase.all)
    func adjointIdentityFloat32(_ testCase: OperatorCase) {
        for op in testCase.convolutions.map({ $0.converted(to: Float.self) }) {
            var generator = SeededGenerator(seed: testCase.seed, stream: "adjoint")
            let x = Float.rounding(generator.normals(op.inputDimension))
            let y = Float.rounding(generator.normals(op.outputDimension))
            let ax = op.apply(x), aty = op.applyAdjoint(y)
            let left = Double(BLAS.dot(ax, y)), right = Double(BLAS.dot(x, aty))
            let scale = Double(BLAS.norm(ax) * BLAS.norm(y) + BLAS.norm(x) * BLAS.norm(aty))
            #expect(abs(left - right) <= 1e-5 * scale, "\(op.scheme): ⟨Ax,y⟩ = \(left), ⟨x,Aᵀy⟩ = \(right)")
        }
    }

    @Test("the unrolled matrix times x equals the operator applied to x", arguments: OperatorCase.all)
    func unrolledMatrixMatchesOperator(_ testCase: OperatorCase) {
        for op in testCase.convolutions {
            let g = op.geometry
            var generator = SeededGenerator(seed: testCase.seed, stream: "unrolled")
            let x = generator.normals(op.inputDimension)
            let matrix = UnrolledMatrix.build(kernel: op.kernel, geometry: g).elements  // column-major rows × columns
            var dense = [Double](repeating: 0, count: g.rows)
            // Column-major A is row-major Aᵀ (columns × rows): A·x = (Aᵀ)ᵀ·x.
            BLAS.multiplyVector(rows: g.columns, columns: g.rows, a: matrix, transpose: true, x: x, into: &dense)
            let applied = op.apply(x)
            #expect(Fixtures.maxRelativeDifference(dense, applied) < 1e-13, "\(op.scheme)")
        }
    }

    @Test("the tap-by-tap gemms and the patch matrix give the same forward and adjoint at layer sizes",
          arguments: [(32, 24, 3, 20, Padding.zero), (24, 32, 3, 20, Padding.circular), (16, 16, 5, 12, Padding.zero),
                      (16, 8, 4, 10, Padding.circular), (8, 16, 1, 9, Padding.zero)])
    func schemesAgree(_ shape: (Int, Int, Int, Int, Padding)) throws {
        let (cout, cin, k, n, padding) = shape
        let kernel = Fixtures.kernel(cout, cin, k, k, seed: UInt64(cout * 1000 + n))
        let geometry = try ConvolutionGeometry(shape: kernel.shape, inputSize: n, padding: padding)
        let tapByTap = ConvolutionOperator(kernel: kernel, geometry: geometry, precision: Double.self, scheme: .tapByTap)
        let patches = ConvolutionOperator(kernel: kernel, geometry: geometry, precision: Double.self, scheme: .patchMatrix)
        #expect(tapByTap.scheme == .tapByTap && patches.scheme == .patchMatrix)
        var generator = SeededGenerator(seed: UInt64(n), stream: "schemes")
        let x = generator.normals(2 * geometry.columns), y = generator.normals(2 * geometry.rows)
        #expect(Fixtures.maxRelativeDifference(tapByTap.apply(batch: x, count: 2), patches.apply(batch: x, count: 2)) < 1e-13)
        #expect(Fixtures.maxRelativeDifference(tapByTap.applyAdjoint(batch: y, count: 2), patches.applyAdjoint(batch: y, count: 2)) < 1e-13)
        // A workspace reused across calls and shapes of batch gives the same numbers.
        var workspace = ConvolutionWorkspace<Double>()
        var output = [Double](repeating: .nan, count: 2 * geometry.rows)
        tapByTap.apply(batch: x, count: 2, into: &output, workspace: &workspace)
        tapByTap.apply(batch: x, count: 1, into: &output, workspace: &workspace)
        #expect(Array(output[0..<geometry.rows]) == tapByTap.apply(Array(x[0..<geometry.columns])))
    }

    /// 3×3 stride-1 geometries at layer-like sizes: sides that are and are not multiples of the
    /// 4×4 tile, pads 0–2, both paddings, tall and wide channel counts.
    static let winogradCases: [(Int, Int, Int, Padding, Int?)] = [
        (32, 24, 20, .zero, nil), (24, 32, 20, .circular, nil), (16, 16, 13, .zero, nil), (16, 8, 9, .circular, nil),
        (8, 16, 11, .zero, 0), (12, 12, 10, .zero, 2), (20, 12, 7, .circular, 2), (3, 5, 5, .zero, nil), (4, 4, 6, .circular, 0),
    ]

    @Test("Winograd F(4×4, 3×3) gives the patch matrix's forward and adjoint, in float64 and float32, batched, with the adjoint identity",
          arguments: winogradCases)
    func winogradAgrees(_ shape: (Int, Int, Int, Padding, Int?)) throws {
        let (cout, cin, n, padding, pad) = shape
        let kernel = Fixtures.kernel(cout, cin, 3, 3, seed: UInt64(cout * 100 + n))
        let geometry = try ConvolutionGeometry(shape: kernel.shape, inputSize: n, padding: padding, pad: pad)
        let winograd = ConvolutionOperator(kernel: kernel, geometry: geometry, precision: Double.self, scheme: .winograd)
        let patches = ConvolutionOperator(kernel: kernel, geometry: geometry, precision: Double.self, scheme: .patchMatrix)
        // float32 against float64's values: F(4,3) costs about a digit (its transforms scale
        // entries by up to 8 before rounding).
        let (x, y, single) = try Self.expectAgreement(winograd, with: patches, scheme: .winograd, seed: UInt64(n), float32Tolerance: 2e-5)
        let left32 = BLAS.dot(single.apply(batch: Float.rounding(x), count: 3), Float.rounding(y))
        let right32 = BLAS.dot(Float.rounding(x), single.applyAdjoint(batch: Float.rounding(y), count: 3))
        #expect(abs(Double(left32 - right32)) <= 1e-5 * Double(abs(left32) + abs(right32)) + 1e-3)
    }

    /// Checks that `scheme` took its scheme and gives `patches`' forward and adjoint on a batch of
    /// three seeded vectors (1e-13), with the adjoint identity; and that its float32 conversion
    /// keeps the scheme and gives float64's values within `float32Tolerance`. Returns the batch
    /// and the float32 operator.
    static func expectAgreement(
        _ scheme: ConvolutionOperator<Double>, with patches: ConvolutionOperator<Double>, scheme expected: ConvolutionScheme,
        seed: UInt64, float32Tolerance: Double
    ) throws -> (x: [Double], y: [Double], single: ConvolutionOperator<Float>) {
        #expect(scheme.scheme == expected)
        var generator = SeededGenerator(seed: seed, stream: expected.rawValue)
        let x = generator.normals(3 * scheme.geometry.columns), y = generator.normals(3 * scheme.geometry.rows)
        let forward = scheme.apply(batch: x, count: 3), adjoint = scheme.applyAdjoint(batch: y, count: 3)
        #expect(Fixtures.maxRelativeDifference(forward, patches.apply(batch: x, count: 3)) < 1e-13)
        #expect(Fixtures.maxRelativeDifference(adjoint, patches.applyAdjoint(batch: y, count: 3)) < 1e-13)
        let left = BLAS.dot(forward, y), right = BLAS.dot(x, adjoint)
        #expect(abs(left - right) <= 1e-12 * (BLAS.norm(forward) * BLAS.norm(y) + BLAS.norm(x) * BLAS.norm(adjoint)))
        let single = scheme.converted(to: Float.self)
        #expect(single.scheme == expected)
        let forward32 = single.apply(batch: Float.rounding(x), count: 3).map(Double.init)
        let adjoint32 = single.applyAdjoint(batch: Float.rounding(y), count: 3).map(Double.init)
        #expect(Fixtures.maxRelativeDifference(forward32, forward) < float32Tolerance)
        #expect(Fixtures.maxRelativeDifference(adjoint32, adjoint) < float32Tolerance)
        return (x, y, single)
    }

    /// Stride-1 geometries at layer-like sizes for the direct correlation: channel counts below,
    /// at and across its 16-channel blocks, widths that are and are not whole registers (16
    /// float32, 8 float64), odd, even, rectangular and 1×1 kernels, pads 0–3, both paddings.
    static let directCases: [(Int, Int, Int, Int, Int, Padding, Int?)] = [
        (16, 16, 3, 3, 64, .zero, nil), (17, 20, 3, 3, 21, .circular, nil), (33, 8, 5, 5, 19, .zero, nil),
        (8, 40, 1, 1, 16, .zero, nil), (24, 12, 2, 4, 13, .circular, nil), (12, 12, 3, 3, 10, .zero, 0),
        (20, 16, 3, 3, 9, .circular, 2), (16, 24, 7, 7, 12, .zero, 3), (3, 5, 3, 3, 5, .zero, nil),
    ]

    @Test("the direct correlation gives the patch matrix's forward and adjoint, in float64 and float32, batched, with the adjoint identity",
          arguments: directCases)
    func directAgrees(_ shape: (Int, Int, Int, Int, Int, Padding, Int?)) throws {
        let (cout, cin, kh, kw, n, padding, pad) = shape
        let kernel = Fixtures.kernel(cout, cin, kh, kw, seed: UInt64(cout * 100 + n))
        let geometry = try ConvolutionGeometry(shape: kernel.shape, inputSize: n, padding: padding, pad: pad)
        let direct = ConvolutionOperator(kernel: kernel, geometry: geometry, precision: Double.self, scheme: .direct)
        let patches = ConvolutionOperator(kernel: kernel, geometry: geometry, precision: Double.self, scheme: .patchMatrix)
        guard DirectCorrelation<Double>.isAvailable else {
            #expect(direct.scheme != .direct, "without AVX-512 the direct scheme must not be taken")
            return
        }
        // float32: a direct sum in float32 rounds like the patch matrix's gemm (no transforms).
        let (x, _, _) = try Self.expectAgreement(direct, with: patches, scheme: .direct, seed: UInt64(n), float32Tolerance: 1e-5)
        let forward = direct.apply(batch: x, count: 3)
        // A workspace reused across batch sizes gives the same numbers as a fresh one.
        var workspace = ConvolutionWorkspace<Double>()
        var output = [Double](repeating: .nan, count: 3 * geometry.rows)
        direct.apply(batch: x, count: 3, into: &output, workspace: &workspace)
        direct.apply(batch: x, count: 1, into: &output, workspace: &workspace)
        #expect(Array(output[0..<geometry.rows]) == Array(forward[0..<geometry.rows]))
    }

    @Test("wide strided outputs (copied run by run) match the unrolled matrix and the adjoint identity",
          arguments: [(Padding.zero, 2, 34), (Padding.circular, 2, 34), (Padding.zero, 3, 50), (Padding.circular, 1, 17)])
    func wideRunsMatchUnrolled(_ shape: (Padding, Int, Int)) throws {
        let (padding, stride, n) = shape
        let kernel = Fixtures.kernel(2, 3, 3, 5, seed: UInt64(40 + n))
        let geometry = try ConvolutionGeometry(shape: kernel.shape, inputSize: n, padding: padding, stride: stride)
        #expect(geometry.outputWidth >= PatchMatrixLayout.narrowWidth, "the case must take the run-by-run copy")
        let op = ConvolutionOperator(kernel: kernel, geometry: geometry, precision: Double.self, scheme: .patchMatrix)
        var generator = SeededGenerator(seed: UInt64(n), stream: "wide")
        let x = generator.normals(geometry.columns), y = generator.normals(geometry.rows)
        let matrix = UnrolledMatrix.build(kernel: kernel, geometry: geometry).elements
        var dense = [Double](repeating: 0, count: geometry.rows)
        BLAS.multiplyVector(rows: geometry.columns, columns: geometry.rows, a: matrix, transpose: true, x: x, into: &dense)
        #expect(Fixtures.maxRelativeDifference(dense, op.apply(x)) < 1e-13)
        var denseAdjoint = [Double](repeating: 0, count: geometry.columns)
        BLAS.multiplyVector(rows: geometry.columns, columns: geometry.rows, a: matrix, x: y, into: &denseAdjoint)
        #expect(Fixtures.maxRelativeDifference(denseAdjoint, op.applyAdjoint(y)) < 1e-13)
    }

    @Test("output sizes follow docs/methods.md §1")
    func outputSizes() throws {
        let shape = KernelShape(outputChannels: 1, inputChannels: 1, height: 3, width: 2)
        let zero = try ConvolutionGeometry(shape: shape, inputSize: 7, padding: .zero, stride: 2)
        // p_h = 1, p_w = 1: ⌊(7 + 2 − 3)/2⌋ + 1 = 4 and ⌊(7 + 2 − 2)/2⌋ + 1 = 4.
        #expect(zero.outputHeight == 4 && zero.outputWidth == 4)
        let explicit = try ConvolutionGeometry(shape: shape, inputSize: 7, padding: .zero, stride: 1, pad: 0)
        #expect(explicit.outputHeight == 5 && explicit.outputWidth == 6)
        let circular = try ConvolutionGeometry(shape: shape, inputSize: 6, padding: .circular, stride: 3)
        #expect(circular.outputHeight == 2 && circular.rows == 4 && circular.columns == 36)
    }

    @Test("a hand-computed 1-D-like convolution")
    func handComputed() {
        // A 1×1×1×3 kernel [1, 2, 3] with p = 1: y[r, c] = x[r, c−1] + 2x[r, c] + 3x[r, c+1],
        // applied to the 3×3 identity image.
        let kernel = Fixtures.kernel(1, 1, 1, 3, values: [1, 2, 3])
        let op = Fixtures.convolution(kernel, n: 3, padding: .zero)
        let x: [Double] = [1, 0, 0, 0, 1, 0, 0, 0, 1]
        #expect(op.apply(x) == [2, 1, 0, 3, 2, 1, 0, 3, 2])
        let circular = Fixtures.convolution(kernel, n: 3, padding: .circular)
        #expect(circular.apply(x) == [2, 1, 3, 3, 2, 1, 1, 3, 2])
    }
}
