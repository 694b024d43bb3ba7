/// How the exact reference obtained its values (methods.md §2, `reference`).
public enum ReferenceTier: String, Codable, Sendable, CaseIterable {
    /// LAPACK `dgesdd` on the explicit unrolled matrix.
    case dense
    /// Per-frequency SVD of the block-diagonalised circular operator (exact; strided via polyphase).
    case fftBlockSVD = "fft-block-svd"
    /// Golub–Kahan–Lanczos with full reorthogonalisation to relative residual 1e-12 (zero padding).
    case lanczos
}
