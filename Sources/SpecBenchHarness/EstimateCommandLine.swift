import ProcessControl
import SpecBenchResults
import Foundation
import NumericCore
import SpecBenchCore
import SpecBenchMethods

/// The argument handling of `bench estimate` that is more than parsing: the kernel's source,
/// exporting it, and rendering the report. Kept in the library so that the executable only
/// parses arguments.
public enum EstimateCommandLine {
    /// Output formats.
    public enum Format: String, Sendable, CaseIterable { case json, text }

    /// The kernel source of `--kernel PATH` or `--random SHAPE` (exactly one of them), or an
    /// `InvalidInput` saying which to give.
    public static func kernelSource(file: String?, random: KernelShape?, distribution: KernelDistribution, seed: UInt64) throws -> KernelSource {
        switch (file, random) {
        case (let path?, nil): return .file(path: path)
        case (nil, let shape?): return .random(shape: shape, distribution: distribution, seed: seed)
        case (.some, .some): throw InvalidInput("give either --kernel PATH.npy or --random COUT,CIN,KH,KW, not both")
        case (nil, nil): throw InvalidInput("no kernel given; use --kernel PATH.npy or --random COUT,CIN,KH,KW")
        }
    }

    /// The dimensions of a kernel source: 1 for a rank-3 `.npy` file, else 2 (a random
    /// kernel's are those its shape was given with).
    public static func dimensions(of source: KernelSource) throws -> Int {
        if case .file(let path) = source { return try NumpyFile.readDeclaredShape(path: path).dimensions }
        return 2
    }

    /// Writes a kernel to a `.npy` file (`--export-kernel`).
    public static func exportKernel(_ kernel: ConvolutionKernel, to path: String) throws {
        do {
            try NumpyFile.write(kernel, to: path)
        } catch let error as InvalidInput {
            throw error
        } catch {
            throw InvalidInput("cannot write the kernel to '\(path)': \(error.localizedDescription)")
        }
    }

    /// The report as pretty JSON (keys sorted) or as a text table, newline-terminated.
    public static func render(_ report: EstimateReport, format: Format) throws -> String {
        switch format {
        case .json:
            return String(decoding: try JSONCoding.prettyEncoder.encode(report), as: UTF8.self) + "\n"
        case .text:
            return ResultFormatting.table(report)
        }
    }
}

/// Progress lines on stderr, only when stderr is a terminal (quiet in pipes and CI logs).
public enum Progress {
    /// Whether stderr is interactive.
    public static let isInteractive: Bool = isatty(STDERR_FILENO) != 0

    /// Writes `text` as a line on stderr when interactive.
    public static func line(_ text: String) {
        guard isInteractive else { return }
        StandardStreams.writeError(text + "\n")
    }

    /// Writes `text` as a line on stderr, terminal or not: something the user must know about
    /// although the command goes on (a method refused for its memory need).
    public static func warning(_ text: String) {
        StandardStreams.writeError("warning: " + text + "\n")
    }
}

