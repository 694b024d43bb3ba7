import SpecBenchCore
import SpecBenchResults
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A child process whose stdout is read line by line on a background thread and whose stderr is
/// kept (the first 4 KiB and the last 8 KiB) for error messages. Used by `PointSupervisor` to run one sweep point.
final class ChildProcess: @unchecked Sendable {
    private let process = Process()
    private let lock = NSLock()
    private var pendingLines: [String] = []
    private var partialLine = Data()
    private var errorHead = Data()
    private var errorTail = Data()
    private let readers = DispatchGroup()

    /// Starts `executable` with `arguments`, writing `input` to its stdin and closing it.
    init(executable: URL, arguments: [String], input: Data) throws {
        process.executableURL = executable
        process.arguments = arguments
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        InterruptHandling.live.insert(process.processIdentifier)
        drain(stdout) { [self] chunk in
            partialLine.append(chunk)
            while let newline = partialLine.firstIndex(of: UInt8(ascii: "\n")) {
                pendingLines.append(String(decoding: partialLine[partialLine.startIndex..<newline], as: UTF8.self))
                partialLine.removeSubrange(partialLine.startIndex...newline)
            }
        }
        drain(stderr) { [self] chunk in
            if errorHead.count < 4096 { errorHead.append(chunk.prefix(4096 - errorHead.count)) }
            errorTail.append(chunk)
            if errorTail.count > 8192 { errorTail.removeFirst(errorTail.count - 8192) }
        }
        stdin.fileHandleForWriting.write(input)
        try? stdin.fileHandleForWriting.close()
    }

    /// Reads `pipe` to its end on a background thread, handing each chunk to `take` under the lock.
    private func drain(_ pipe: Pipe, _ take: @escaping @Sendable (Data) -> Void) {
        readers.enter()
        DispatchQueue.global().async { [self] in
            let handle = pipe.fileHandleForReading
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                lock.lock()
                take(chunk)
                lock.unlock()
            }
            readers.leave()
        }
    }

    /// The child's process id.
    var pid: Int32 { process.processIdentifier }

    /// Whether the child is still running.
    var isRunning: Bool { process.isRunning }

    /// Complete stdout lines received since the last call.
    func takeLines() -> [String] {
        lock.lock()
        defer { lock.unlock() }
        let lines = pendingLines
        pendingLines.removeAll()
        return lines
    }

    /// The end of what the child wrote on stderr.
    var errorText: String {
        lock.lock()
        defer { lock.unlock() }
        // The head keeps a crash's first lines (the reason), the tail the latest output.
        let text = errorHead.count < 4096 ? errorTail : errorHead + Data("\n…\n".utf8) + errorTail
        return String(decoding: text, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Kills the child at once (SIGKILL).
    func kill() {
        if process.isRunning { _ = Glibc.kill(process.processIdentifier, SIGKILL) }
    }

    /// Waits for the child to exit and for its output to be read.
    func wait() {
        process.waitUntilExit()
        InterruptHandling.live.remove(process.processIdentifier)
        readers.wait()
    }

    /// How the child ended: its exit status, or the signal that stopped it.
    var termination: (status: Int32, signaled: Bool) {
        (process.terminationStatus, process.terminationReason == .uncaughtSignal)
    }
}
