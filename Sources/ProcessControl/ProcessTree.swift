import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Readings over a process and all its descendants (Linux `/proc`): what a limit on a command
/// that starts its own helpers (an interpreter, its workers) must add up.
public enum ProcessTree {
    /// The process ids of `root` and of every descendant alive now. O(processes on the machine):
    /// one read of `/proc/<pid>/stat` each.
    public static func members(under root: Int32) -> [Int32] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [root] }
        var children: [Int32: [Int32]] = [:]
        for entry in entries {
            guard let pid = Int32(entry), let parent = parentID(of: pid) else { continue }
            children[parent, default: []].append(pid)
        }
        var result: [Int32] = [], pending = [root]
        while let pid = pending.popLast() {
            result.append(pid)
            pending += children[pid] ?? []
        }
        return result
    }

    /// The summed resident memory (`VmRSS`) of `root` and its descendants, in bytes; 0 once
    /// they have all gone.
    public static func residentBytes(under root: Int32) -> Int {
        let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
        return members(under: root).reduce(0) { sum, pid in
            guard let text = try? String(contentsOfFile: "/proc/\(pid)/statm", encoding: .utf8) else { return sum }
            let fields = text.split(separator: " ")
            return sum + (fields.count > 1 ? (Int(fields[1]) ?? 0) * pageSize : 0)
        }
    }

    /// Whether `pid` names a live process (not a zombie awaiting its parent's wait).
    public static func isAlive(_ pid: Int32) -> Bool {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return false }
        let state = text[text.index(close, offsetBy: 2)...].prefix(1)
        return state != "Z" && state != "X"
    }

    /// The parent process id in `/proc/<pid>/stat` (the field after the command name, which
    /// may itself hold spaces and parentheses).
    private static func parentID(of pid: Int32) -> Int32? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        return fields.count > 1 ? Int32(fields[1]) : nil
    }
}
