import Foundation
import NumericCore
import SpecBenchCore

/// `sedghi-clip`: the clipping of Sedghi, Gupta & Long 2019 ("The singular values of
/// convolutional layers", their `Clip_OperatorNorm`): the kernel's `H × W` DFT (the stride-1
/// circular operator on the layer's input grid), each frequency's `cout × cin` matrix
/// `U·S·Vᴴ` replaced by `U·min(S, c)·Vᴴ`, the inverse DFT's real part, and the projection back to
/// the `kh × kw` support (their slice). Without the projection (`project=false`, a kernel of the
/// grid's size) the circular stride-1 operator lands exactly on `min(σ, c)`; with it, the clipped
/// norm can move either way: the outcome's diagnostics say how far the projection moved the kernel
/// (relative Frobenius) and the circular norm before it. `rounds` alternates clip and projection
/// (the paper's suggestion; their code clips once per call).
/// Each frequency's complex SVD is taken through the real `2cout × 2cin` embedding
/// `[[Re, −Im], [Im, Re]]` (same singular values, each twice; clipping commutes with it), half
/// the grid by conjugate symmetry (docs/fidelity.md).
/// Cost per round: `H·W/2` real SVDs of `2cout × 2cin` with vectors, plus the two DFTs
/// (`O(cout·cin·H·W·(kh + kw))` projected; the projection's move by Parseval).
public struct SedghiClip: Codable, Sendable, Equatable {
    /// Clip-and-project rounds (default 1, their code).
    public static let roundsParameter = MethodParameter(
        "rounds", default: 1, accepted: 1...1000, meaning: "alternations of the per-frequency clip and the support projection")
    /// Whether to project back to the kernel's support (default true, their code).
    public static let projectParameter = MethodParameter(
        "project", default: true, meaning: "true: back to kh × kw (theirs); false: keep the H × W kernel (exact for circular stride 1)")

    /// The parameters' specifications, in order.
    public static let parameters = [roundsParameter.specification, projectParameter.specification]

    public var rounds: Int
    public var project: Bool

    /// Reads the parameters (keys without the `sedghi-clip.` prefix), applying defaults.
    public init(parameters: inout ParameterReader) throws {
        rounds = try parameters.read(Self.roundsParameter)
        project = try parameters.read(Self.projectParameter)
    }

    /// The effective parameters, as recorded.
    public var parameterValues: [String: String] {
        Dictionary(uniqueKeysWithValues: [Self.roundsParameter.recorded(rounds), Self.projectParameter.recorded(project)].map { ($0.key, $0.value) })
    }

    /// `exact` for circular stride-1 undilated layers without the projection; `estimate` for the
    /// rest; not applicable to dilated layers and kernels larger than the grid.
    public func applicability(to geometry: ConvolutionGeometry) -> Applicability {
        if geometry.dilation != .one {
            return .notApplicable(reason: "sedghi-clip clips the undilated kernel's spectrum on the input grid; dilated layers are not supported")
        }
        let s = geometry.shape
        if s.height > geometry.inputHeight || s.width > geometry.inputWidth {
            return .notApplicable(reason: "sedghi-clip needs the kernel (\(s.height)×\(s.width)) to fit the input grid (\(geometry.inputLabel))")
        }
        if !project && geometry.padding == .circular && geometry.stride == .one && geometry.transposed == nil {
            return .applies(.exact)
        }
        return .applies(.estimate)
    }

    /// Clips the composition of `operand` (batch norm folded in, then left as it was) group by group.
    public func clip(_ operand: ClipOperand, target c: Double, context: MethodContext) throws -> ClipOutcome {
        let composed = try operand.composedKernel()
        let geometry = operand.geometry
        let groups = geometry.groups
        var values: [Double] = []
        var moved = 0.0, circularNorm = 0.0, largest = 0.0
        var outputShape = composed.shape
        for g in 0..<groups {
            var kernel = groups == 1 ? composed : composed.group(g, of: groups)
            for _ in 0..<rounds {
                let result = try Self.clipSpectrum(kernel, height: geometry.inputHeight, width: geometry.inputWidth, target: c, project: project)
                kernel = result.kernel
                moved = max(moved, result.projectionMove)
                circularNorm = max(circularNorm, result.clippedNorm)
                largest = max(largest, result.largestBefore)
            }
            values += kernel.values
            outputShape = KernelShape(outputChannels: composed.shape.outputChannels, inputChannels: kernel.shape.inputChannels,
                                      height: kernel.shape.height, width: kernel.shape.width)
        }
        let clipped = try ConvolutionKernel(shape: outputShape, values: values)
        var outcome = try ClipOutcome(kernel: clipped, batchNorm: nil, estimate: largest)
        // The composition was clipped whole; its convolution alone is the clipped kernel divided
        // back by the batch norm's scales where they are not zero.
        if let batchNorm = operand.batchNorm, project {
            let inverse = batchNorm.scales.map { $0 == 0 ? 0 : 1 / $0 }
            outcome.kernel = try clipped.scalingOutputChannels(by: inverse)
            outcome.batchNorm = batchNorm
        }
        outcome.iterations = rounds
        outcome.diagnostics = project
            ? "circular norm before the projection \(circularNorm); the projection moved the kernel by \(moved) (relative Frobenius)"
            : "kernel kept at the grid's size \(geometry.inputHeight)×\(geometry.inputWidth)"
        return outcome
    }

    /// One clip of `kernel` (one group) on the `height × width` grid: the clipped kernel
    /// (projected or full), the relative Frobenius move of the projection, the clipped spectrum's
    /// largest value and the largest before.
    static func clipSpectrum(_ kernel: ConvolutionKernel, height h: Int, width w: Int, target c: Double, project: Bool) throws
        -> (kernel: ConvolutionKernel, projectionMove: Double, clippedNorm: Double, largestBefore: Double)
    {
        let s = kernel.shape
        let cout = s.outputChannels, cin = s.inputChannels, kh = s.height, kw = s.width
        let pairs = cout * cin
        // Forward DFT, separable: first along x (kw taps → w frequencies), then along y.
        let cosW = (0..<w).map { v in (0..<w).map { x in cos(2 * Double.pi * Double(v * x % w) / Double(w)) } }
        let sinW = (0..<w).map { v in (0..<w).map { x in sin(2 * Double.pi * Double(v * x % w) / Double(w)) } }
        let cosH = (0..<h).map { u in (0..<h).map { y in cos(2 * Double.pi * Double(u * y % h) / Double(h)) } }
        let sinH = (0..<h).map { u in (0..<h).map { y in sin(2 * Double.pi * Double(u * y % h) / Double(h)) } }
        // spectrum[(u·w + v)·pairs + o·cin + i] = Σ K e^{−i(…)}
        var real = [Double](repeating: 0, count: h * w * pairs), imaginary = real
        for pair in 0..<pairs {
            var rowReal = [Double](repeating: 0, count: kh * w), rowImaginary = rowReal
            for dy in 0..<kh {
                for v in 0..<w {
                    var re = 0.0, im = 0.0
                    for dx in 0..<kw {
                        let value = kernel.values[(pair * kh + dy) * kw + dx]
                        re += value * cosW[v][dx]
                        im -= value * sinW[v][dx]
                    }
                    rowReal[dy * w + v] = re
                    rowImaginary[dy * w + v] = im
                }
            }
            for u in 0..<h {
                for v in 0..<w {
                    var re = 0.0, im = 0.0
                    for dy in 0..<kh {
                        let (a, b) = (rowReal[dy * w + v], rowImaginary[dy * w + v])
                        let (cs, sn) = (cosH[u][dy], sinH[u][dy])
                        // (a + ib)·(cs − i·sn)
                        re += a * cs + b * sn
                        im += b * cs - a * sn
                    }
                    real[(u * w + v) * pairs + pair] = re
                    imaginary[(u * w + v) * pairs + pair] = im
                }
            }
        }
        // Clip each frequency through the real embedding; the conjugate partner takes the conjugate.
        var largestBefore = 0.0, clippedNorm = 0.0
        for u in 0..<h {
            for v in 0..<w {
                let partner = ((h - u) % h) * w + (w - v) % w
                let index = u * w + v
                if partner < index { continue }
                var embedding = Matrix<Double>(rows: 2 * cout, columns: 2 * cin)
                for o in 0..<cout {
                    for i in 0..<cin {
                        let re = real[index * pairs + o * cin + i], im = imaginary[index * pairs + o * cin + i]
                        embedding[o, i] = re
                        embedding[o, cin + i] = -im
                        embedding[cout + o, i] = im
                        embedding[cout + o, cin + i] = re
                    }
                }
                let (left, singular, right) = try LAPACK.singularValueDecomposition(of: embedding)
                largestBefore = max(largestBefore, singular.first ?? 0)
                clippedNorm = max(clippedNorm, min(singular.first ?? 0, c))
                guard let first = singular.first, first > c else { continue }
                // M' = M − Σ_{s_k > c} (s_k − c)·u_k·v_kᵀ
                var clipped = embedding
                for k in singular.indices where singular[k] > c {
                    let excess = singular[k] - c
                    for row in 0..<(2 * cout) {
                        let a = excess * left[row, k]
                        for column in 0..<(2 * cin) { clipped[row, column] -= a * right[k, column] }
                    }
                }
                for o in 0..<cout {
                    for i in 0..<cin {
                        // Each singular value appears twice in the embedding; the two blocks agree.
                        let re = 0.5 * (clipped[o, i] + clipped[cout + o, cin + i])
                        let im = 0.5 * (clipped[cout + o, i] - clipped[o, cin + i])
                        real[index * pairs + o * cin + i] = re
                        imaginary[index * pairs + o * cin + i] = im
                        real[partner * pairs + o * cin + i] = re
                        imaginary[partner * pairs + o * cin + i] = -im
                    }
                }
            }
        }
        // The clipped full kernel's energy by Parseval, (1/HW)·Σ_ω ‖M′(ω)‖²_F, so that the
        // projection's move needs the inverse DFT on the support only.
        let scale = 1 / Double(h * w)
        var fullEnergy = 0.0
        for index in 0..<(h * w * pairs) { fullEnergy += real[index] * real[index] + imaginary[index] * imaginary[index] }
        fullEnergy *= scale
        // Inverse DFT (real part) on the support, or on the whole grid.
        let (outHeight, outWidth) = project ? (kh, kw) : (h, w)
        var full = [Double](repeating: 0, count: pairs * outHeight * outWidth)
        var projectedEnergy = 0.0
        for pair in 0..<pairs {
            // along u first: for each y < outHeight and frequency v, then along v.
            var partialReal = [Double](repeating: 0, count: outHeight * w), partialImaginary = partialReal
            for y in 0..<outHeight {
                let cosRow = cosH.map { $0[y] }, sinRow = sinH.map { $0[y] }
                for v in 0..<w {
                    var re = 0.0, im = 0.0
                    for u in 0..<h {
                        let index = (u * w + v) * pairs + pair
                        let (a, b) = (real[index], imaginary[index])
                        // (a + ib)·(cs + i·sn)
                        re += a * cosRow[u] - b * sinRow[u]
                        im += a * sinRow[u] + b * cosRow[u]
                    }
                    partialReal[y * w + v] = re
                    partialImaginary[y * w + v] = im
                }
            }
            for y in 0..<outHeight {
                for x in 0..<outWidth {
                    var re = 0.0
                    for v in 0..<w {
                        re += partialReal[y * w + v] * cosW[v][x] - partialImaginary[y * w + v] * sinW[v][x]
                    }
                    re *= scale
                    full[(pair * outHeight + y) * outWidth + x] = re
                    projectedEnergy += re * re
                }
            }
        }
        let move = fullEnergy > 0 ? (max(0, fullEnergy - projectedEnergy) / fullEnergy).squareRoot() : 0
        let shape = KernelShape(outputChannels: cout, inputChannels: cin, height: outHeight, width: outWidth)
        return (try ConvolutionKernel(shape: shape, values: full), project ? move : 0, clippedNorm, largestBefore)
    }
}
