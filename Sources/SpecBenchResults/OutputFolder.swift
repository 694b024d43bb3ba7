import Foundation
import SpecBenchCore

/// A folder the tool is asked to write into (`--output`, `--plots`), checked before any work
/// starts: a sweep that runs for an hour and then cannot write its figures, or a merge into a
/// regular file, is refused at once with the path and what is accepted (exit 64).
public enum OutputFolder {
    /// Throws `InvalidInput` naming `option` and `path` when `path` exists and is not a folder,
    /// or does not exist and cannot be created (its nearest existing ancestor is not a writable
    /// folder). O(path depth) file-system calls; creates nothing.
    public static func check(_ path: String, option: String) throws {
        let manager = FileManager.default
        var isFolder: ObjCBool = false
        if manager.fileExists(atPath: path, isDirectory: &isFolder) {
            guard isFolder.boolValue else {
                throw InvalidInput("\(option) '\(path)' is a file; accepted: a folder, existing or to be created")
            }
            guard manager.isWritableFile(atPath: path) else {
                throw InvalidInput("\(option) '\(path)' is a folder this user cannot write into; accepted: a writable folder")
            }
            return
        }
        var ancestor = URL(fileURLWithPath: path).standardizedFileURL.deletingLastPathComponent()
        while !manager.fileExists(atPath: ancestor.path, isDirectory: &isFolder) && ancestor.path != "/" {
            ancestor.deleteLastPathComponent()
        }
        guard isFolder.boolValue else {
            throw InvalidInput("\(option) '\(path)' cannot be created: '\(ancestor.path)' is a file; accepted: a folder, existing or to be created")
        }
        guard manager.isWritableFile(atPath: ancestor.path) else {
            throw InvalidInput("\(option) '\(path)' cannot be created: '\(ancestor.path)' is not writable; accepted: a writable folder")
        }
    }
}
