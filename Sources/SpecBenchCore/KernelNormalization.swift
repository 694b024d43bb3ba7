/// Rescales a kernel so that its operator has a given exact spectral norm: `K ← K · s/σ(A)`,
/// with `σ(A)` from `ExactReference` on the point's own operator (padding, size, stride).
///
/// Why: random N(0, 1) kernels have `σ ≫ 1`, which hides scale-dependent behaviour. PowerQR's
/// iterate `X + AᵀA·X` is not scale-invariant before convergence (docs/methods.md §4, fact 9: −3e-4
/// at σ ≈ 9 but −4e-2 at σ ≈ 0.3 after 100 iterations), and trained or clipped layers sit near
/// σ = 1. After normalisation the reference measures `s` up to rounding.
/// Cost: one exact reference computation on top of the point's work.
public struct KernelNormalization: Codable, Sendable, Hashable {
    /// The exact spectral norm the operator is given.
    public var spectralNorm: Double

    /// A normalisation to `spectralNorm` (finite, positive).
    public init(spectralNorm: Double) throws {
        guard spectralNorm.isFinite, spectralNorm > 0, spectralNorm <= 1e12 else {
            throw InvalidInput("invalid spectral norm \(spectralNorm) for kernel normalisation; accepted: a number in (0, 1e12]")
        }
        self.spectralNorm = spectralNorm
    }

    /// `kernel` scaled so that its operator under `geometry` has spectral norm `spectralNorm`;
    /// a kernel whose operator is zero cannot be normalised (InvalidInput).
    public func apply(
        to kernel: ConvolutionKernel, geometry: ConvolutionGeometry,
        reference: ExactReference = ExactReference(), seed: UInt64
    ) throws -> ConvolutionKernel {
        let linearOperator = ConvolutionOperator(kernel: kernel, geometry: geometry)
        let sigma = try reference.topSingularValues(of: linearOperator, count: 1, seed: seed).values[0]
        guard sigma > 0, sigma.isFinite else {
            throw InvalidInput("cannot normalise a kernel whose operator has spectral norm \(sigma) to \(spectralNorm)")
        }
        return try kernel.scaled(by: spectralNorm / sigma)
    }

    /// Short label for results and point ids, e.g. `sn1`.
    public var label: String {
        // Whole numbers without ".0" (the value is at most 1e12, so Int cannot overflow).
        let text = spectralNorm == spectralNorm.rounded() ? String(Int(spectralNorm)) : String(spectralNorm)
        return "sn" + text
    }
}
