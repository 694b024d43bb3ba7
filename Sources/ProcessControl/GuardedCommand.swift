import CProcessControl
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs an outside command (an external method, docs/external-methods.md) so that it can neither
/// outlive nor flood the harness: the command runs in a process group of its own under a small
/// guard process that kills that whole group when the command ends and when the caller dies, by
/// whatever means (`kill -9` included: the guard learns it through `PR_SET_PDEATHSIG`). Stdin is
/// `/dev/null`; stdout and stderr are read as they come and only their first 4 KiB and last
/// 8 KiB kept. The caller's limits on wall time and on the resident memory of the command's
/// process tree are enforced by polling (every 10 ms; the tree's memory every 50 ms).
///
/// Cost: two forks and one exec; polling reads `/proc` once per 50 ms while the command runs.
public enum GuardedCommand {
    /// How a command ended.
    public enum Ending: Sendable, Equatable {
        /// It exited with this status.
        case exited(Int32)
        /// A signal it did not handle ended it.
        case signaled(Int32)
        /// It ran past the time limit and was killed.
        case timeLimit
        /// Its process tree's resident memory passed the limit and it was killed.
        case memoryLimit
        /// The guard could not start it.
        case failedToStart(String)
    }

    /// What a run of a command produced.
    public struct Outcome: Sendable {
        /// How it ended.
        public var ending: Ending
        /// Wall-clock seconds from start to end, as the caller saw them.
        public var seconds: Double
        /// The largest resident memory of the command's process tree: the largest of the sums
        /// polled and of the kernel's `ru_maxrss` of the command.
        public var peakBytes: Int
        /// The head and tail of its stdout.
        public var standardOutput: String
        /// The head and tail of its stderr.
        public var standardError: String
        /// Bytes it wrote on stdout and stderr in all (what was not kept included).
        public var outputBytes: Int
    }

    /// Runs `executable` (an absolute path) with `arguments` in `directory`, its environment
    /// this process's plus `environment`, under `timeLimit` seconds and `memoryLimit` bytes of
    /// resident memory (nil: none), and waits for its end.
    public static func run(
        executable: String, arguments: [String], directory: String?, environment: [String: String],
        timeLimit: Double?, memoryLimit: Int?
    ) -> Outcome {
        var merged = ProcessInfo.processInfo.environment
        for (key, value) in environment { merged[key] = value }
        let start = Date()
        var outputPipe: [Int32] = [0, 0], errorPipe: [Int32] = [0, 0], reportPipe: [Int32] = [0, 0]
        guard specbench_pipe_cloexec(&outputPipe) == 0 else { return failure("pipe: \(String(cString: strerror(errno)))") }
        guard specbench_pipe_cloexec(&errorPipe) == 0 else {
            closeAll(outputPipe)
            return failure("pipe: \(String(cString: strerror(errno)))")
        }
        guard specbench_pipe_cloexec(&reportPipe) == 0 else {
            closeAll(outputPipe + errorPipe)
            return failure("pipe: \(String(cString: strerror(errno)))")
        }
        let guardPid: pid_t = withCStrings([executable] + arguments) { argv in
            withCStrings(merged.map { "\($0.key)=\($0.value)" }) { envp in
                if let directory {
                    return directory.withCString { specbench_spawn_guarded(executable, argv, envp, $0, outputPipe[1], errorPipe[1], reportPipe[1]) }
                }
                return specbench_spawn_guarded(executable, argv, envp, nil, outputPipe[1], errorPipe[1], reportPipe[1])
            }
        }
        close(outputPipe[1])
        close(errorPipe[1])
        close(reportPipe[1])
        guard guardPid > 0 else {
            closeAll([outputPipe[0], errorPipe[0], reportPipe[0]])
            return failure("fork: \(String(cString: strerror(errno)))")
        }
        var output = BoundedText(), errors = BoundedText()
        var stopped: Ending?
        var peak = 0
        var lastTreeCheck = -1.0
        var guardStatus: Int32 = 0
        var guardEnded = false
        var guardEndedAt = 0.0
        var open: [Int32] = [outputPipe[0], errorPipe[0]]
        while !guardEnded || !open.isEmpty {
            open = pump(open, output: &output, errors: &errors, outputFD: outputPipe[0], timeout: guardEnded ? 200 : 10)
            if !guardEnded {
                guardEnded = waitpid(guardPid, &guardStatus, WNOHANG) == guardPid
                guardEndedAt = Date().timeIntervalSince(start)
            } else if !open.isEmpty && Date().timeIntervalSince(start) > guardEndedAt + 2 {
                break  // a descendant that left the group (setsid) still holds the pipes: stop reading
            }
            let elapsed = Date().timeIntervalSince(start)
            if !guardEnded && stopped == nil {
                if elapsed - lastTreeCheck >= 0.05 {
                    lastTreeCheck = elapsed
                    let resident = ProcessTree.residentBytes(under: guardPid)
                    peak = max(peak, resident)
                    if let memoryLimit, resident > memoryLimit {
                        stopped = .memoryLimit
                        kill(guardPid, SIGTERM)
                    }
                }
                if stopped == nil, let timeLimit, elapsed > timeLimit {
                    stopped = .timeLimit
                    kill(guardPid, SIGTERM)
                }
            }
        }
        if !guardEnded { waitpid(guardPid, &guardStatus, 0) }
        let seconds = Date().timeIntervalSince(start)
        var report = specbench_guard_report(kind: 3, code: 0, peak_kilobytes: 0)
        let got = withUnsafeMutableBytes(of: &report) { read(reportPipe[0], $0.baseAddress, $0.count) }
        closeAll(open + [reportPipe[0]])
        peak = max(peak, report.peak_kilobytes * 1024)
        let ending: Ending
        if let stopped {
            ending = stopped
        } else if got != MemoryLayout<specbench_guard_report>.size {
            ending = .failedToStart("the guard process ended without a report (status \(guardStatus))")
        } else {
            switch report.kind {
            case 0: ending = .exited(report.code)
            case 1: ending = .signaled(report.code)
            case 2: ending = .signaled(SIGTERM)
            default: ending = .failedToStart("the guard process could not start the command")
            }
        }
        return Outcome(ending: ending, seconds: seconds, peakBytes: peak,
                       standardOutput: output.text, standardError: errors.text, outputBytes: output.total + errors.total)
    }

    /// Reads what is available on `fds` (waiting up to `timeout` ms), returning those still open.
    private static func pump(_ fds: [Int32], output: inout BoundedText, errors: inout BoundedText, outputFD: Int32, timeout: Int32) -> [Int32] {
        guard !fds.isEmpty else {
            usleep(UInt32(timeout) * 1000)
            return fds
        }
        var polled = fds.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        guard poll(&polled, nfds_t(polled.count), timeout) > 0 else { return fds }
        var stillOpen: [Int32] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        for entry in polled {
            if entry.revents == 0 {
                stillOpen.append(entry.fd)
                continue
            }
            let count = buffer.withUnsafeMutableBytes { read(entry.fd, $0.baseAddress, $0.count) }
            if count > 0 {
                if entry.fd == outputFD { output.append(buffer[0..<count]) } else { errors.append(buffer[0..<count]) }
                stillOpen.append(entry.fd)
            } else if count < 0 && errno == EINTR {
                stillOpen.append(entry.fd)
            } else {
                close(entry.fd)
            }
        }
        return stillOpen
    }

    private static func failure(_ message: String) -> Outcome {
        Outcome(ending: .failedToStart(message), seconds: 0, peakBytes: 0, standardOutput: "", standardError: "", outputBytes: 0)
    }

    private static func closeAll(_ fds: [Int32]) {
        for fd in fds { close(fd) }
    }

    /// Calls `body` with a NULL-terminated C array of `strings`.
    private static func withCStrings<Result>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> Result) -> Result {
        var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        pointers.append(nil)
        defer { for pointer in pointers { free(pointer) } }
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}

/// The first 4 KiB and the last 8 KiB of a stream, and its total length: what an error message
/// needs from a command's output, however much it writes.
struct BoundedText {
    private var head: [UInt8] = []
    private var tail: [UInt8] = []
    /// Bytes received in all.
    private(set) var total = 0

    mutating func append(_ bytes: ArraySlice<UInt8>) {
        total += bytes.count
        var rest = bytes
        if head.count < 4096 {
            let taken = rest.prefix(4096 - head.count)
            head += taken
            rest = rest.dropFirst(taken.count)
        }
        tail += rest
        if tail.count > 16384 { tail.removeFirst(tail.count - 8192) }
    }

    /// The head, an ellipsis line when bytes were dropped, and the tail.
    var text: String {
        let keptTail = tail.suffix(8192)
        let dropped = total - head.count - keptTail.count
        let middle = dropped > 0 ? Array("\n… (\(dropped) bytes not kept) …\n".utf8) : []
        return String(decoding: head + middle + keptTail, as: UTF8.self)
    }
}
