import CProcessControl
#if canImport(Glibc)
import Glibc
#endif

/// Ties a helper process's life to its parent's (Linux `PR_SET_PDEATHSIG`).
///
/// A sweep's point processes (`bench run-point`) must not outlive the sweep: after `kill -9`,
/// SIGTERM or SIGINT of the parent they would otherwise keep running unsupervised, past their
/// time limit and memory cap. The child asks the kernel for SIGKILL when its parent dies, then
/// checks that the parent it was started by is still its parent (it may have died before the
/// request was made), and exits at once if not. Cost: two system calls.
public enum ProcessLifetime {
    /// Makes this process die (SIGKILL) when its parent dies. `expectedParent` is the process id
    /// the parent passed on the command line; if the current parent differs (the parent is
    /// already gone and this process was re-parented), this process exits with status 1.
    /// Returns false where the request is not supported (non-Linux).
    @discardableResult
    public static func dieWithParent(expectedParent: Int32?) -> Bool {
        guard specbench_set_parent_death_signal(SIGKILL) == 0 else { return false }
        if let expectedParent, getppid() != expectedParent { exit(1) }
        return true
    }
}
