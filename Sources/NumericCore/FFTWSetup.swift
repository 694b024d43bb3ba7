
/// One-time FFTW initialisation per precision (FFTW's double and single libraries are separate):
/// a thread-safe planner (Swift Testing and the harness may plan from several threads,
/// platform.md) and the threads library, before the first plan of that precision.
enum FFTWSetup {
    private static let float64 = Double.fftPrepare()
    private static let float32 = Float.fftPrepare()

    /// Whether the threads library of `Scalar`'s FFTW started; evaluated once per precision.
    static func ready<Scalar: LinearAlgebraScalar>(_ scalar: Scalar.Type) -> Bool {
        scalar == Double.self ? float64 : float32
    }
}
