#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Resident-memory readings of the current process (Linux `/proc/self/status`).
///
/// Recipe of platform.md: `malloc_trim(0)`, reset the high-water mark through
/// `/proc/self/clear_refs`, read `VmRSS` as the baseline, run, read `VmHWM − baseline`.
/// On systems without procfs every reading is 0 and `isAvailable` is false.
public enum MemoryProbe {
    /// Whether `/proc/self/status` can be read.
    public static var isAvailable: Bool { readStatusField("VmRSS") != nil }

    /// Current resident set size in bytes (`VmRSS`).
    public static func residentBytes() -> Int { readStatusField("VmRSS") ?? 0 }

    /// Peak resident set size since the last reset, in bytes (`VmHWM`).
    public static func peakResidentBytes() -> Int { readStatusField("VmHWM") ?? 0 }

    /// Peak resident set size of another process, in bytes, or nil once it has gone.
    public static func peakResidentBytes(ofProcess pid: Int32) -> Int? {
        readStatusField("VmHWM", path: "/proc/\(pid)/status")
    }

    /// Memory the system can give a new allocation without swapping (`MemAvailable` of
    /// `/proc/meminfo`), or nil where it cannot be read.
    public static func availableBytes() -> Int? {
        readStatusField("MemAvailable", path: "/proc/meminfo")
    }

    /// Returns freed heap to the system and resets the high-water mark to the current RSS.
    /// Returns the resident bytes right after the reset: the baseline of the next measurement.
    @discardableResult
    public static func resetPeak() -> Int {
        trimHeap()
        if let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") {
            handle.write(Data("5".utf8))
            try? handle.close()
        }
        return residentBytes()
    }

    /// `malloc_trim(0)` through `dlsym`: it is not in Glibc's Swift module.
    public static func trimHeap() {
        typealias MallocTrim = @convention(c) (Int) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return }
        _ = unsafeBitCast(symbol, to: MallocTrim.self)(0)
    }

    private static func readStatusField(_ name: String, path: String = "/proc/self/status") -> Int? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(name + ":") {
            let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard parts.count >= 2, let kilobytes = Int(parts[1]) else { return nil }
            return kilobytes * 1024
        }
        return nil
    }
}
