/// How the exact reference obtained its values (docs/methods.md §2, `reference`).
public enum ReferenceTier: String, Codable, Sendable, CaseIterable {
    /// LAPACK `dgesdd` on the explicit unrolled matrix.
    case dense
    /// Per-frequency SVD of the block-diagonalised circular operator (exact; strided via polyphase).
    case fftBlockSVD = "fft-block-svd"
    /// The plain Lanczos recurrence (no reorthogonalisation) on the Gram operator of the smaller
    /// side, to relative residual 1e-12, O(N) memory: zero padding, one value (`PlainLanczos`).
    case plainLanczos = "plain-lanczos"
    /// Implicitly restarted Lanczos (ARPACK) on the Gram operator of the smaller side, to
    /// relative residual 1e-12, memory bounded by its basis: zero padding, several values
    /// (`RestartedLanczos`).
    case restartedLanczos = "restarted-lanczos"
    /// Golub–Kahan–Lanczos with full reorthogonalisation to relative residual 1e-12: the tier
    /// docs/methods.md §2 names; kept as the second tier that checks `restarted-lanczos`
    /// (`LanczosBidiagonalization`), chosen only when forced.
    case lanczos
}
