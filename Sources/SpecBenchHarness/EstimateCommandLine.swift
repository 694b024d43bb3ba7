import SpecBenchResults
import Foundation
import NumericCore
import SpecBenchCore
import SpecBenchMethods

/// The argument handling of `bench estimate` that is more than parsing: turning raw flag values
/// into a validated `EstimateRequest`, and rendering the report. Kept in the library so that the
/// executable only parses arguments.
public enum EstimateCommandLine {
    /// Output formats.
    public enum Format: String, Sendable, CaseIterable { case json, text }

    /// Builds a request from raw flag values, throwing `InvalidInput` for bad ones.
    public static func request(
        kernel: String?, random: String?, distribution: KernelDistribution, seed: UInt64, inputSize: Int, padding: Padding,
        stride: Int, pad: Int?, methods: String, topK: Int, parameters: [String], normalizeSpectralNorm: Double? = nil,
        memoryLimit: String? = nil, exportKernel: String? = nil, precision: Precision = .float64
    ) throws -> EstimateRequest {
        let source: KernelSource
        switch (kernel, random) {
        case (let path?, nil):
            source = .file(path: path)
        case (nil, let shapeText?):
            source = .random(shape: try KernelShape.parse(shapeText), distribution: distribution, seed: seed)
        case (.some, .some):
            throw InvalidInput("give either --kernel PATH.npy or --random COUT,CIN,KH,KW, not both")
        case (nil, nil):
            throw InvalidInput("no kernel given; use --kernel PATH.npy or --random COUT,CIN,KH,KW")
        }
        let paddingValue = padding
        let ids = try MethodCatalog.parseList(methods)
        guard topK >= 1 else {
            throw InvalidInput("invalid --top-k \(topK); it must be a positive integer no larger than the operator's rank")
        }
        let parsed = try EstimateRequest.parseParameters(parameters, methods: ids)
        let normalize = try normalizeSpectralNorm.map { value -> KernelNormalization in
            guard let normalization = try? KernelNormalization(spectralNorm: value) else {
                throw InvalidInput("invalid --normalize-spectral-norm \(value); accepted: a number in (0, 1e12]")
            }
            return normalization
        }
        let limit = try memoryLimit.map { text -> Int in
            guard let bytes = ResultFormatting.parseBytes(text) else {
                throw InvalidInput("invalid --memory-limit '\(text)'; accepted: a positive number of bytes, optionally with a unit KiB, MiB, GiB, TiB (e.g. 8GiB)")
            }
            return bytes
        }
        var request = EstimateRequest(kernel: source, inputSize: inputSize, padding: paddingValue, stride: stride, pad: pad,
                                      methods: ids, parameters: parsed, topK: topK, seed: seed, normalize: normalize,
                                      memoryLimit: limit, precision: precision)
        request.exportKernelPath = exportKernel
        return request
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

