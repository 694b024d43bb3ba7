import CFFTW3

/// One-time FFTW initialisation: a thread-safe planner (Swift Testing and the harness may plan
/// from several threads, platform.md) and the threads library.
enum FFTWSetup {
    /// Evaluated once, on first use, by any FFT entry point.
    static let ready: Bool = {
        fftw_make_planner_thread_safe()
        return fftw_init_threads() != 0
    }()
}
