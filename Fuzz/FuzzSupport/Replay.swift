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

    /// libFuzzer's `LLVMFuzzerTestOneInput` for `body`: the `size` bytes at `data`, then 0.
    public static func testOneInput(_ data: UnsafePointer<UInt8>, _ size: Int, _ body: ([UInt8]) -> Void) -> CInt {
        body(bytes(data, size))
        return 0
    }

    /// The target's entry point: libFuzzer's driver on `body` when built for fuzzing
    /// (`-DFUZZING`), else `run(body)`. SwiftPM names an executable's entry point after the
    /// target, so the fuzzing build starts libFuzzer from here rather than from its own `main`.
    public static func main(_ body: @escaping ([UInt8]) -> Void) {
        #if FUZZING
        target = body
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in
            FuzzReplay.target?(size == 0 || data == nil ? [] : Array(UnsafeBufferPointer(start: data, count: size)))
            return 0
        })
        #else
        run(body)
        #endif
    }

    #if FUZZING
    /// The body libFuzzer's callback calls (a C callback cannot capture it).
    nonisolated(unsafe) static var target: (([UInt8]) -> Void)?
    #endif

    /// The bytes libFuzzer hands over, as an array.
    public static func bytes(_ data: UnsafePointer<UInt8>, _ size: Int) -> [UInt8] {
        size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    }
}

#if FUZZING
/// libFuzzer's driver (`FuzzerInterface.h`), linked by `-sanitize=fuzzer`.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt
#endif
