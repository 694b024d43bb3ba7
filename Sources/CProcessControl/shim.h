// Process-lifetime calls that Swift cannot import directly (prctl is variadic).
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

// Ask the kernel to send `signal` to this process when its parent thread exits
// (PR_SET_PDEATHSIG). Returns 0 on success, -1 with errno set otherwise.
static inline int specbench_set_parent_death_signal(int signal) {
    return prctl(PR_SET_PDEATHSIG, (unsigned long)signal, 0UL, 0UL, 0UL);
}

#include <errno.h>
#include <stdio.h>

// Flushes stdio's stdout and reports whether everything buffered so far was written: 0, or the
// errno of the failure (EIO when none was set). Clears the stream's error flag.
static inline int specbench_flush_standard_output(void) {
    errno = 0;
    int failed = fflush(stdout) != 0 || ferror(stdout);
    if (!failed) return 0;
    int code = errno != 0 ? errno : EIO;
    clearerr(stdout);
    return code;
}
