// Process-lifetime calls that Swift cannot import directly (prctl is variadic).
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

// Ask the kernel to send `signal` to this process when its parent thread exits
// (PR_SET_PDEATHSIG). Returns 0 on success, -1 with errno set otherwise.
static inline int specbench_set_parent_death_signal(int signal) {
    return prctl(PR_SET_PDEATHSIG, (unsigned long)signal, 0UL, 0UL, 0UL);
}
