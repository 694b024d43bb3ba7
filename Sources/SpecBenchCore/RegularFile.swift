import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Input files must be regular files (symbolic links followed): opening a named pipe with no
/// writer blocks forever, and a pipe or device has no size to check a header against.
public enum RegularFile {
    /// Throws `InvalidInput` naming `path` (described as `what`, e.g. "kernel file") when it
    /// exists and is not a regular file; a missing file is left to the reader's own message.
    /// One `stat` call; opens nothing.
    public static func check(_ path: String, what: String, accepted: String) throws {
        var info = stat()
        guard stat(path, &info) == 0 else { return }
        let type = info.st_mode & S_IFMT
        guard type != S_IFREG else { return }
        let kind: String
        switch type {
        case S_IFIFO: kind = "a named pipe"
        case S_IFDIR: kind = "a folder"
        case S_IFCHR, S_IFBLK: kind = "a device"
        case S_IFSOCK: kind = "a socket"
        default: kind = "not a regular file"
        }
        throw InvalidInput("\(what) '\(path)' is \(kind) (process substitution gives a pipe); accepted: \(accepted), a regular file")
    }
}
