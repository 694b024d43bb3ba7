import COpenBLAS
#if canImport(Glibc)
import Glibc
#endif

/// Thread counts of the numerical libraries, and their identifying strings for result manifests.
///
/// OpenBLAS honours `openblas_set_num_threads` at run time; FFTW takes the count for plans made
/// after `fftw_plan_with_nthreads` / `fftwf_plan_with_nthreads` (platform.md).
public enum ThreadControl {
    /// Sets the number of threads OpenBLAS uses for subsequent calls (≥ 1).
    public static func setBLASThreads(_ count: Int) {
        openblas_set_num_threads(Int32(max(1, count)))
    }

    /// The number of threads OpenBLAS currently uses.
    public static var blasThreads: Int { Int(openblas_get_num_threads()) }

    /// Whether this process adapts OpenBLAS's thread count to each problem: small BLAS calls on
    /// one thread (`sized`) and batches of small problems side by side on single-threaded
    /// libraries (`ParallelWork`). Off by default; turned on by a process that runs one
    /// computation at a time — the sweep's point worker, `bench estimate`, the calibration.
    /// Changing OpenBLAS's thread count while another thread is inside OpenBLAS corrupts its
    /// thread pool (a test process, which runs tests side by side, crashed so), so a process
    /// that calls the libraries from several threads of its own must leave it off; it then
    /// computes the same values with the thread count it was started with.
    nonisolated(unsafe) public static var adaptsToProblemSize = false

    /// Operations below which a BLAS call runs on one thread whatever the budget: 8 MFLOP, a
    /// few hundred microseconds on one core. Below it OpenBLAS's second thread costs more in
    /// start-up and synchronisation than it saves (a 16-channel power iteration took 33 ms with
    /// two threads and 16 ms with one), and on a loaded machine it spins waiting.
    public static let smallProblemOperations = 8e6

    /// Runs `body` with OpenBLAS on one thread when `operations` is below
    /// `smallProblemOperations` and more than one thread is set; restores the count after.
    @inlinable
    public static func sized<Result>(operations: Double, _ body: () throws -> Result) rethrows -> Result {
        guard adaptsToProblemSize, operations < smallProblemOperations else { return try body() }
        let threads = openblas_get_num_threads()
        guard threads > 1 else { return try body() }
        openblas_set_num_threads(1)
        defer { openblas_set_num_threads(threads) }
        return try body()
    }

    /// Sets the number of threads FFTW uses for plans made from now on (≥ 1), in both precisions.
    public static func setFFTThreads(_ count: Int) {
        _ = FFTWSetup.ready(Double.self)
        _ = FFTWSetup.ready(Float.self)
        Double.fftSetThreads(Int32(max(1, count)))
        Float.fftSetThreads(Int32(max(1, count)))
        fftThreadCount = max(1, count)
    }

    nonisolated(unsafe) private static var fftThreadCount = 1

    /// The number of threads FFTW plans are made with.
    public static var fftThreads: Int { fftThreadCount }

    /// OpenBLAS's build configuration string (version, target CPU, threading), followed by
    /// `OPENBLAS_THREAD_TIMEOUT=v` when that is set (`OpenBLASEnvironment`).
    public static var blasConfiguration: String {
        guard let text = openblas_get_config() else { return "unknown" }
        return String(cString: text) + (OpenBLASEnvironment.current.map { " \(OpenBLASEnvironment.variable)=\($0)" } ?? "")
    }

    /// FFTW's version string, e.g. `fftw-3.3.10-sse2-avx`.
    public static var fftwVersion: String {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "fftw_version") else { return "unknown" }
        return String(cString: symbol.assumingMemoryBound(to: CChar.self))
    }
}
