import CProcessControl
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The process's standard streams, written so that a closed, full or broken stream never
/// crashes the tool and a lost result is never reported as success.
///
/// - A stream the caller closed (`2>&-`) is reopened on `/dev/null` at start-up
///   (`reopenClosedDescriptors`): otherwise the next file the tool opens takes its number and
///   error messages land inside results, and Foundation's `FileHandle` traps on the bad
///   descriptor (exit 132).
/// - Messages go to stderr through `writeError`, which ignores failures (there is nowhere left
///   to report them).
/// - Machine-readable output goes to stdout through `print` or `writeOutput`; `finishOutput`
///   flushes it and says whether everything was written (`> /dev/full` exited 0 with nothing
///   written). O(bytes) each.
public enum StandardStreams {
    /// Opens `/dev/null` on each of descriptors 0, 1 and 2 that is closed. Call first thing.
    public static func reopenClosedDescriptors() {
        for descriptor in Int32(0)...2 where fcntl(descriptor, F_GETFD) == -1 && errno == EBADF {
            let opened = open("/dev/null", descriptor == 0 ? O_RDONLY : O_WRONLY)
            if opened >= 0 && opened != descriptor {
                dup2(opened, descriptor)
                close(opened)
            }
        }
    }

    /// Writes `text` to stderr, ignoring failures.
    public static func writeError(_ text: String) {
        _ = writeAll(Array(text.utf8), to: STDERR_FILENO)
    }

    /// Writes `data` to stdout after whatever `print` has buffered; throws `OutputFailure`
    /// naming the system's reason when not all of it was written.
    public static func writeOutput(_ data: Data) throws {
        try finishOutput()
        if let failure = writeAll(Array(data), to: STDOUT_FILENO) { throw failure }
    }

    /// Flushes what `print` buffered on stdout; throws `OutputFailure` when stdout could not
    /// take it (a full disk, a closed pipe, a closed descriptor).
    public static func finishOutput() throws {
        let code = specbench_flush_standard_output()
        if code != 0 { throw OutputFailure(reason: String(cString: strerror(code))) }
    }

    /// stdout could not take the output.
    public struct OutputFailure: Error, CustomStringConvertible {
        /// The system's reason (`strerror`).
        public let reason: String
        public var description: String { "writing to standard output failed: \(reason)" }
    }

    /// Writes every byte, retrying interrupted and partial writes; the failure, or nil.
    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> OutputFailure? {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                return OutputFailure(reason: String(cString: strerror(errno)))
            }
            offset += written
        }
        return nil
    }
}
