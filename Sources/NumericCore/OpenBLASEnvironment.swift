#if canImport(Glibc)
import Glibc
#endif

/// OpenBLAS's idle threads, told to sleep at once instead of spinning.
///
/// After a threaded call, OpenBLAS's worker threads spin in `sched_yield` for about 2^28 cycles
/// (its default `THREAD_TIMEOUT`, a tenth of a second) before they sleep. specbench alternates
/// threaded calls with its own threads running single-threaded BLAS (`ParallelWork`) and with
/// vector updates, so the pool spun through most of the work: `gram-zero` with 6 steps at
/// c = 128 spent 7.6 of its 12.8 s in system time, the Lanczos reference a third of both cores
/// (`perf`: `sched_yield`). OpenBLAS reads `OPENBLAS_THREAD_TIMEOUT` (2^value cycles, 4 to 30)
/// once, when the library loads, before `main`; so a `bench` process that finds it unset sets
/// it and executes itself again (`BLASCoreSelection.prepareProcess`, together with the core). Point processes inherit it. A value the user set is kept.
public enum OpenBLASEnvironment {
    /// The variable OpenBLAS reads.
    public static let variable = "OPENBLAS_THREAD_TIMEOUT"
    /// Its value here: 2^4 cycles, i.e. sleep as soon as idle.
    public static let value = "4"

    /// Sets the variable when it is unset; true when it did, i.e. when this process must execute
    /// itself again (`executeAgain`) for OpenBLAS to read it.
    public static func setIdleThreadsSleep() -> Bool {
        guard getenv(variable) == nil else { return false }
        return setenv(variable, value, 1) == 0
    }

    /// Re-executes this program (`/proc/self/exe`, same arguments, the current environment), so
    /// that OpenBLAS reads the variables set since it loaded. Returns only when execution failed
    /// (the program then runs on with the library as it loaded: slower, but correct).
    public static func executeAgain() {
        var arguments = CommandLine.arguments.map { strdup($0) }
        arguments.append(nil)
        execv("/proc/self/exe", &arguments)
        for argument in arguments { free(argument) }
    }

    /// The value in force in this process, for run manifests; nil when unset.
    public static var current: String? {
        getenv(variable).map { String(cString: $0) }
    }
}
