import Testing
import SpecBenchCore
import SpecBenchMethods
import TestSupport

/// One operator of the per-method validation grid.
struct ValidationCase: CustomTestStringConvertible, Sendable {
    let cout, cin, k, n, stride: Int
    let padding: Padding
    let seed: UInt64
    var testDescription: String { "\(cout)×\(cin)×\(k)×\(k) n=\(n) \(padding.rawValue) s=\(stride)" }

    var convolution: ConvolutionOperator<Double> {
        Fixtures.convolution(Fixtures.kernel(cout, cin, k, k, seed: seed), n: n, padding: padding, stride: stride)
    }

    /// cout ≠ cin, k ∈ {1, 2, 3, 5, 7}, several n, both paddings, strides 1 and 2.
    static let all: [ValidationCase] = {
        var cases: [ValidationCase] = []
        var seed: UInt64 = 500
        for k in [1, 2, 3, 5, 7] {
            for padding in Padding.allCases {
                for stride in [1, 2] {
                    for (cout, cin, n) in [(2, 3, 4), (3, 2, 6), (1, 2, 8)] {
                        seed += 1
                        cases.append(ValidationCase(cout: cout, cin: cin, k: k, n: n, stride: stride, padding: padding, seed: seed))
                    }
                }
            }
        }
        return cases
    }()
}

@Suite("Each method against the dense reference (docs/methods.md §3)")
struct MethodAgainstReferenceTests {
    @Test("applicability and guarantee follow the table of docs/methods.md §3", arguments: ValidationCase.all)
    func applicabilityTable(_ testCase: ValidationCase) {
        let g = testCase.convolution.geometry
        for method in convergedMethods() {
            let id = type(of: method).id
            let expected = documentedGuarantee(id, geometry: g)
            #expect(method.applicability(to: g).guarantee == expected, "\(id)")
        }
        for evenOrRectangular in [(2, 2), (4, 4), (3, 5), (1, 3)] {
            let shape = KernelShape(outputChannels: 2, inputChannels: 2, height: evenOrRectangular.0, width: evenOrRectangular.1)
            let geometry = try! ConvolutionGeometry(shape: shape, inputSize: 6, padding: .zero)
            if case .notApplicable(let reason) = LipBoundMethod().applicability(to: geometry) {
                #expect(reason.contains("odd square"))
            } else {
                Issue.record("lipbound must refuse a \(shape.height)×\(shape.width) kernel")
            }
        }
    }

    @Test("exact values equal the reference; bounds lie on their side", arguments: ValidationCase.all)
    func valuesAgainstReference(_ testCase: ValidationCase) throws {
        let op = testCase.convolution
        let g = op.geometry
        let reference = Fixtures.denseSingularValues(op)
        let sigma = reference[0]
        for method in convergedMethods(topK: 3) {
            let id = type(of: method).id
            guard let guarantee = method.applicability(to: g).guarantee else { continue }
            let result = try outcome(method, op, topK: 3)
            let value = result.value
            switch guarantee {
            case .exact:
                #expect(Fixtures.isClose(value, sigma, relative: 1e-10), "\(id): \(value) vs \(sigma)")
                if id == "sedghi" {
                    let top = Array(reference.prefix(3))
                    #expect(Fixtures.maxRelativeDifference(result.values, top) < 1e-10, "sedghi top-3")
                }
            case .upper:
                #expect(value >= sigma * (1 - 1e-10), "\(id) claims upper: \(value) < \(sigma)")
            case .lower:
                #expect(value <= sigma * (1 + 1e-10), "\(id) claims lower: \(value) > \(sigma)")
                // Long runs also come close (zero padding's small spectral gaps keep it from 1e-6).
                #expect(Fixtures.isClose(value, sigma, relative: 1e-3), "\(id) after many steps: \(value) vs \(sigma)")
            case .estimate:
                #expect(value.isFinite && value > 0, "\(id)")
            }
        }
    }

    @Test("powerqr's top-k approach the reference's top-k")
    func powerQRTopK() throws {
        for seed: UInt64 in 40..<46 {
            let op = Fixtures.convolution(Fixtures.kernel(3, 2, 3, 3, seed: seed), n: 5, padding: seed % 2 == 0 ? .zero : .circular)
            let reference = Array(Fixtures.denseSingularValues(op).prefix(3))
            let result = try outcome(PowerQRMethod(k: 3, iterations: 5000), op)
            #expect(result.values.count == 3)
            #expect(result.values[0] <= reference[0] * (1 + 1e-12))
            // Repeated values (conjugate frequencies) converge slowly; 1e-4 is what 5000 steps give.
            #expect(Fixtures.maxRelativeDifference(result.values, reference) < 1e-4, "\(result.values) vs \(reference)")
        }
    }

    @Test("fantastic-four's published power iteration stays below its exact variant")
    func fantasticFourVariants() throws {
        for seed: UInt64 in 60..<70 {
            let op = Fixtures.convolution(Fixtures.kernel(3, 4, 3, 3, seed: seed), n: 5, padding: .zero)
            let power = try outcome(FantasticFourMethod(iterations: 50), op).value
            let exact = try outcome(FantasticFourMethod(exact: true), op).value
            #expect(power <= exact * (1 + 1e-12))
            #expect(Fixtures.isClose(power, exact, relative: 0.05))
        }
    }
}
