import Foundation

/// What every fuzz target shares: running its entry point on files, the way a built-in
/// regression test does (`fuzz-numpy CRASH-FILE` or a corpus folder), when it is built without
/// libFuzzer. Built with `scripts/fuzz` (`-sanitize=fuzzer -DFUZZING`), libFuzzer's own `main`
/// drives `LLVMFuzzerTestOneInput` instead.
public enum FuzzReplay {
    /// Calls `body` on the bytes of every file named in the arguments (folders: every file in
    /// them, sorted), printing each name to stderr; exit 0 when none crashed.
    public static func run(_ body: ([UInt8]) -> Void) {
        var files: [String] = []
        for argument in CommandLine.arguments.dropFirst() {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: argument, isDirectory: &isFolder) else {
                FileHandle.standardError.write(Data("replay: '\(argument)' does not exist\n".utf8))
                exit(64)
            }
            if isFolder.boolValue {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: argument)) ?? []
                files += names.sorted().map { argument + "/" + $0 }
            } else {
                files.append(argument)
            }
        }
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else { continue }
            body([UInt8](data))
        }
        FileHandle.standardError.write(Data("replay: \(files.count) inputs, no crash\n".utf8))
    }

    /// The bytes libFuzzer hands over, as an array.
    public static func bytes(_ data: UnsafePointer<UInt8>, _ size: Int) -> [UInt8] {
        size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    }
}
