import Foundation
import Testing
import NumericCore
import SpecBenchCore
import SpecBenchMethods
import TestSupport

/// Every method in float32 against the same method in float64 (the precision axis of
/// docs/precision.md), over seeded random kernels, both paddings and strides 1 and 2.
///
/// Each method runs at its declared validation variants (where it has converged on these small
/// kernels) and must agree within its declared `float32Tolerance` (docs/precision.md: about ten
/// times the largest difference measured over these kernels, 2.4e-7 for gram-zero): methods
/// that compute their value directly from the kernel's symbol or a dense factorisation agree
/// to 2e-6 relative; the iterative ones, run to convergence, to 5e-6 (float32 stalls an
/// iteration at its own rounding level). A method added to the catalog is tested here too.
@Suite("float32 against float64, per method")
struct PrecisionTests {
    /// Every method but the reference at each validation variant, with its tolerance.
    static var methods: [(method: any SpectralNormMethod, tolerance: Double)] {
        MethodCatalog.all.filter { $0.precisions.contains(.float32) }.flatMap { type in
            type.metadata.validationVariants.map { variant in
                (try! MethodCatalog.resolve(id: type.id, parameters: variant, context: MethodContext(seed: 5)).method, type.metadata.float32Tolerance)
            }
        }
    }

    /// Small operators: cout ≠ cin, k ∈ {1, 3, 5}, both paddings, strides 1 and 2.
    static let cases: [ValidationCase] = {
        var cases: [ValidationCase] = []
        var seed: UInt64 = 9100
        for k in [1, 3, 5] {
            for padding in Padding.allCases {
                for stride in [1, 2] {
                    seed += 1
                    cases.append(ValidationCase(cout: 6, cin: 4, k: k, n: 8, stride: stride, padding: padding, seed: seed))
                }
            }
        }
        return cases
    }()

    @Test("each method's float32 value is within its documented tolerance of its float64 value", arguments: cases)
    func float32AgainstFloat64(_ testCase: ValidationCase) throws {
        let double = testCase.convolution
        let single = double.converted(to: Float.self)
        #expect(single.precision == .float32)
        for (method, tolerance) in Self.methods {
            guard method.applicability(to: double.geometry).guarantee != nil else { continue }
            let context = MethodContext(seed: 5, topK: 1)
            let value64 = try method.prepare(double, context: context).run().value
            let value32 = try method.prepare(single, context: context).run().value
            let difference = abs(value32 - value64) / value64
            #expect(value32.isFinite && value32 > 0, "\(type(of: method).id): float32 value \(value32)")
            #expect(difference <= tolerance,
                    "\(type(of: method).id) \(method.parameterValues): float32 \(value32) vs float64 \(value64), relative \(difference) > \(tolerance)")
        }
    }

    @Test("the float32 operator's forward and adjoint match float64 to float32 rounding")
    func operatorApplication() {
        let double = Fixtures.convolution(Fixtures.kernel(8, 5, 3, 3, seed: 9200), n: 9, padding: .zero, stride: 2)
        let single = double.converted(to: Float.self)
        var generator = SeededGenerator(seed: 9201, stream: "input")
        let x = generator.normals(double.inputDimension)
        let y64 = double.apply(x), y32 = single.apply(x.map(Float.init)).map(Double.init)
        let scale = y64.map(abs).max()!
        #expect(zip(y64, y32).map { abs($0 - $1) }.max()! <= 1e-5 * scale)
        let z64 = double.applyAdjoint(y64), z32 = single.applyAdjoint(y64.map(Float.init)).map(Double.init)
        #expect(zip(z64, z32).map { abs($0 - $1) }.max()! <= 1e-5 * z64.map(abs).max()!)
    }

    /// The matrix-free methods through the Winograd F(4×4, 3×3) operator, which `automatic`
    /// picks at layer sizes: in float32 within each method's float32 tolerance of float64 by
    /// the patch matrix, and in float64 equal to it to 1e-12.
    @Test("power iteration and PowerQR through the Winograd operator: float32 within tolerance, float64 unchanged",
          arguments: [Padding.zero, .circular])
    func winogradOperator(_ padding: Padding) throws {
        let kernel = Fixtures.kernel(32, 40, 3, 3, seed: 9300)
        let geometry = try ConvolutionGeometry(shape: kernel.shape, inputSize: 24, padding: padding)
        let direct = ConvolutionOperator(kernel: kernel, geometry: geometry, precision: Double.self, scheme: .patchMatrix)
        let automatic = ConvolutionOperator(kernel: kernel, geometry: geometry, precision: Double.self)
        #expect(automatic.scheme == .winograd, "this size takes Winograd by default")
        let single = automatic.converted(to: Float.self)
        let context = MethodContext(seed: 5, topK: 1)
        for id in [PowerIterationMethod.id, PowerQRMethod.id] {
            let type = try #require(MethodCatalog.all.first { $0.id == id })
            let method = try MethodCatalog.resolve(id: id, parameters: [:], context: context).method
            let reference = try method.prepare(direct, context: context).run().value
            let double = try method.prepare(automatic, context: context).run().value
            let float = try method.prepare(single, context: context).run().value
            #expect(abs(double - reference) <= 1e-12 * reference, "\(id): \(double) vs \(reference)")
            #expect(abs(float - reference) <= type.metadata.float32Tolerance * reference, "\(id): float32 \(float) vs \(reference)")
        }
    }

    /// Kernels whose exact norm (infinite grid for gram-zero, circular for gram-circular) spans
    /// six decades: at 12 Gram steps the iterate's entries would reach σ^(2^12) without the
    /// per-step normalisation — far beyond float32's 3.4e38 and below its 1.2e-38.
    @Test("Gram iteration in float32 neither overflows nor underflows at 12 steps, σ from 1e-3 to 1e3",
          arguments: [1e-3, 1e-1, 1.0, 1e1, 1e3])
    func gramAtTwelveSteps(_ sigma: Double) throws {
        let context = MethodContext(seed: 1, topK: 1)
        // gram-circular on a 3×3 kernel at n = 8.
        let circularKernel = Fixtures.kernel(5, 3, 3, 3, seed: 9300)
        let unit = Fixtures.convolution(circularKernel, n: 8, padding: .circular)
        let circular = Fixtures.convolution(try circularKernel.scaled(by: sigma / Fixtures.denseNorm(unit)), n: 8, padding: .circular)
        let method = GramCircularMethod(iterations: 12)
        let circular64 = try method.prepare(circular, context: context).run().value
        let circular32 = try method.prepare(circular.converted(to: Float.self), context: context).run().value
        #expect(circular32.isFinite && circular32 > 0)
        #expect(Fixtures.isClose(circular64, sigma, relative: 1e-9), "float64 at 12 steps: \(circular64) vs σ_circ \(sigma)")
        #expect(Fixtures.isClose(circular32, sigma, relative: 1e-5), "float32 at 12 steps: \(circular32) vs σ_circ \(sigma)")
        // gram-zero on 1×3 and 3×1 kernels (a 4097- or 8193-point grid at t = 12; a square
        // kernel would need 8193² frequencies).
        for (kh, kw) in [(1, 3), (3, 1)] {
            let kernel = Fixtures.kernel(4, 3, kh, kw, seed: 9301)
            let probe = Fixtures.convolution(kernel, n: 8, padding: .zero)
            let scaled = Fixtures.convolution(try kernel.scaled(by: sigma / Fixtures.denseNorm(probe)), n: 8, padding: .zero)
            let zero = GramZeroMethod(iterations: 12)
            let zero64 = try zero.prepare(scaled, context: context).run().value
            let zero32 = try zero.prepare(scaled.converted(to: Float.self), context: context).run().value
            #expect(zero32.isFinite && zero32 > 0, "\(kh)×\(kw): float32 value \(zero32)")
            #expect(zero64 >= sigma * (1 - 1e-9), "\(kh)×\(kw): the float64 bound \(zero64) is below σ \(sigma)")
            #expect(Fixtures.isClose(zero32, zero64, relative: 1e-5), "\(kh)×\(kw): float32 \(zero32) vs float64 \(zero64)")
        }
    }
}
