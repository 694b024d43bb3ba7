import SpecBenchCore
import SpecBenchResults
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An advisory lock that makes one sweep the owner of a run folder for its whole life: an
/// exclusive `flock` on `<run>/.lock`, which also holds the owner's process id and start time.
///
/// Two sweeps writing one run folder interleave their result lines; with the lock the second
/// sweep stops at once (exit 64) and names the live process. The kernel releases the lock when
/// its owner exits for any reason, `kill -9` included, so a killed run can be resumed at once.
/// The descriptor is close-on-exec: point processes never inherit the lock.
public final class RunLock {
    private let descriptor: Int32
    /// The lock file.
    public let url: URL

    private init(descriptor: Int32, url: URL) {
        self.descriptor = descriptor
        self.url = url
    }

    deinit { close(descriptor) }

    /// Takes the lock of run folder `folder` (creating the folder), or throws `InvalidInput`
    /// naming the process that holds it.
    public static func acquire(folder: URL) throws -> RunLock {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw InvalidInput("the run folder \(folder.path) is a file; pass --output with a folder path")
        }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw InvalidInput("cannot create the run folder \(folder.path): \(error.localizedDescription)")
        }
        let url = folder.appendingPathComponent(".lock")
        let descriptor = open(url.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw InvalidInput("cannot open the lock file \(url.path): \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            // The holder writes its pid right after taking the lock: give it a moment.
            var holder: [String] = []
            for _ in 0..<100 {
                holder = (try? String(contentsOf: url, encoding: .utf8))?.split(separator: "\n").map(String.init) ?? []
                if !holder.isEmpty { break }
                usleep(10_000)
            }
            close(descriptor)
            let who = holder.first.map { "process \($0)" } ?? "another process"
            let since = holder.count > 1 ? ", started \(holder[1])" : ""
            throw InvalidInput("the run folder \(folder.path) is in use by another sweep (\(who)\(since)); wait for it to end, or pass another --output")
        }
        let lock = RunLock(descriptor: descriptor, url: url)
        let text = "\(getpid())\n\(ISO8601DateFormatter().string(from: Date()))\n"
        _ = ftruncate(descriptor, 0)
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: false)
        try? handle.seek(toOffset: 0)
        try? handle.write(contentsOf: Data(text.utf8))
        return lock
    }
}
