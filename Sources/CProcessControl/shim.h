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

#include <fcntl.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>

// How a guarded command ended, as its guard reports it (one write on the report pipe).
typedef struct {
    int kind;               // 0: exited (code: status), 1: killed by a signal (code: signal),
                            // 2: stopped on request (the guard got SIGTERM), 3: the guard failed
    int code;
    long peak_kilobytes;    // ru_maxrss of the command and its waited-for descendants
} specbench_guard_report;

static inline void specbench_write_fully(int fd, const void *data, size_t size) {
    const char *bytes = (const char *)data;
    while (size > 0) {
        ssize_t written = write(fd, bytes, size);
        if (written < 0 && errno == EINTR) continue;
        if (written <= 0) return;
        bytes += written;
        size -= (size_t)written;
    }
}

// Starts `path` with `argv`/`envp` in `directory` under a guard process, and returns the guard's
// pid (or -1 with errno). The command runs in a process group of its own with stdin on
// /dev/null, stdout on `stdout_fd`, stderr on `stderr_fd`, every other descriptor closed and
// every signal at its default. The guard dies with its parent as a SIGTERM (PR_SET_PDEATHSIG),
// and on that SIGTERM, as on the command's own end, kills the command's whole process group:
// whatever kills the caller, no descendant of the command outlives it. On the command's end the
// guard writes one `specbench_guard_report` on `report_fd` and exits.
// Between fork and exec only async-signal-safe calls are made (the caller is multi-threaded).
static inline pid_t specbench_spawn_guarded(const char *path, char *const argv[], char *const envp[],
                                            const char *directory, int stdout_fd, int stderr_fd, int report_fd) {
    pid_t caller = getpid();
    pid_t guard = fork();
    if (guard != 0) return guard;

    specbench_guard_report report = {3, 0, 0};
    sigset_t watched;
    sigemptyset(&watched);
    sigaddset(&watched, SIGTERM);
    sigaddset(&watched, SIGCHLD);
    sigprocmask(SIG_BLOCK, &watched, NULL);
    signal(SIGCHLD, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    if (prctl(PR_SET_PDEATHSIG, (unsigned long)SIGTERM, 0UL, 0UL, 0UL) != 0 || getppid() != caller) _exit(3);
    pid_t self = getpid();
    pid_t command = fork();
    if (command < 0) {
        specbench_write_fully(report_fd, &report, sizeof report);
        _exit(3);
    }
    if (command == 0) {
        setpgid(0, 0);
        prctl(PR_SET_PDEATHSIG, (unsigned long)SIGKILL, 0UL, 0UL, 0UL);
        if (getppid() != self) _exit(1);
        int null_fd = open("/dev/null", O_RDONLY);
        if (null_fd < 0 || dup2(null_fd, 0) < 0 || dup2(stdout_fd, 1) < 0 || dup2(stderr_fd, 2) < 0) _exit(126);
        syscall(SYS_close_range, 3U, ~0U, 0U);
        for (int number = 1; number < NSIG; number++) {
            if (number != SIGKILL && number != SIGSTOP) signal(number, SIG_DFL);
        }
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        if (directory != NULL && chdir(directory) != 0) {
            static const char message[] = "specbench: cannot enter the command's working directory\n";
            specbench_write_fully(2, message, sizeof message - 1);
            _exit(126);
        }
        execve(path, argv, envp);
        static const char message[] = "specbench: the command could not be executed (execve failed)\n";
        specbench_write_fully(2, message, sizeof message - 1);
        _exit(127);
    }
    setpgid(command, command);
    for (;;) {
        int number = 0;
        if (sigwait(&watched, &number) != 0) continue;
        if (number == SIGTERM) {
            kill(-command, SIGKILL);
            kill(command, SIGKILL);
            waitpid(command, NULL, 0);
            report.kind = 2;
            specbench_write_fully(report_fd, &report, sizeof report);
            _exit(2);
        }
        int status = 0;
        struct rusage usage;
        memset(&usage, 0, sizeof usage);
        pid_t ended = wait4(command, &status, WNOHANG, &usage);
        if (ended != command) continue;
        kill(-command, SIGKILL);  // descendants left behind in the command's group
        report.kind = WIFSIGNALED(status) ? 1 : 0;
        report.code = WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status);
        report.peak_kilobytes = usage.ru_maxrss;
        specbench_write_fully(report_fd, &report, sizeof report);
        _exit(0);
    }
}

// A pipe whose two ends are close-on-exec. Returns 0, or -1 with errno set.
static inline int specbench_pipe_cloexec(int fds[2]) {
    if (pipe(fds) != 0) return -1;
    fcntl(fds[0], F_SETFD, FD_CLOEXEC);
    fcntl(fds[1], F_SETFD, FD_CLOEXEC);
    return 0;
}
