import Foundation
import Testing
import TestSupport

/// Shapes, pads and strides whose arithmetic overflows are refused with one line and exit 64,
/// checked before anything is allocated (issue "the harness under abuse", item 3; they used to
/// end in a Swift arithmetic-overflow trap, exit 132).
@Suite("Overflowing shapes, pads and strides")
struct OverflowInputTests {
    @Test("bench estimate refuses them with the value named", arguments: [
        (["--random", "4294967296,4294967296,1,1", "--input-size", "4"], "4294967296×4294967296×1×1"),
        (["--random", "3037000500,3037000500,1,1", "--input-size", "4"], "2^31 entries"),
        (["--random", "2,2,3,3", "--input-size", "8", "--pad", "1000000000"], "invalid pad 1000000000"),
        (["--random", "2,2,3,3", "--input-size", "8", "--stride", "9223372036854775807"], "invalid stride 9223372036854775807"),
        (["--random", "1024,1024,1,1", "--input-size", "32768"], "2^31 per side"),
    ])
    func refused(_ arguments: [String], _ mention: String) throws {
        let run = try BenchProcess.run(["estimate"] + arguments + ["--padding", "zero", "--methods", "sedghi"])
        #expect(run.status == 64, "exit \(run.status): \(run.stderr.prefix(300))")
        #expect(run.stderr.contains(mention), "\(run.stderr.prefix(300))")
        #expect(run.stderr.split(separator: "\n").count == 1, "one line: \(run.stderr.prefix(300))")
    }

    @Test("a .npy header declaring 2^32 × 2^32 entries is refused before any read or allocation")
    func hugeNumpyHeader() throws {
        var header = "{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296, 4294967296, 1, 1), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0]
        bytes += [UInt8(header.utf8.count & 0xff), UInt8(header.utf8.count >> 8)]
        bytes += Array(header.utf8) + [UInt8](repeating: 0, count: 64)
        let file = BenchProcess.temporaryDirectory().appendingPathComponent("huge.npy")
        try Data(bytes).write(to: file)
        let run = try BenchProcess.run(["estimate", "--kernel", file.path, "--input-size", "4", "--padding", "zero", "--methods", "sedghi"])
        #expect(run.status == 64, "exit \(run.status): \(run.stderr.prefix(300))")
        #expect(run.stderr.contains("2^31"), "\(run.stderr.prefix(300))")
    }

    @Test("impossible random kernels are refused before they are drawn", arguments: [
        (["--random", "4096,4096,3,3", "--input-size", "4096"], "2^31 per side"),
        (["--random", "15000,15000,3,3", "--input-size", "8", "--memory-limit", "8GiB"], "alone need 15.1 GiB, above the memory limit of 8 GiB"),
    ])
    func refusedBeforeDrawing(_ arguments: [String], _ mention: String) throws {
        let started = Date()
        let run = try BenchProcess.run(["estimate"] + arguments + ["--padding", "zero", "--methods", "sedghi"])
        #expect(run.status == 64 && run.stderr.contains(mention), "exit \(run.status): \(run.stderr.prefix(300))")
        // Drawing the 4096² kernel took 7.7 s and 1.2 GB; refusing it must not draw it.
        #expect(Date().timeIntervalSince(started) < 5, "refused only after drawing the kernel")
    }
}
