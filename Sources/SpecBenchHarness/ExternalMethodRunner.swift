import Foundation
import ProcessControl
import SpecBenchCore
import NumericCore
import SpecBenchMethods
import SpecBenchResults
#if canImport(Glibc)
import Glibc
#endif

/// Runs an external method (`ExternalMethod`) at one operator by the protocol of
/// docs/external-methods.md: writes `operator.json` and `kernel.npy` into a fresh directory, runs
/// the entry's command with that directory as its last argument (stdin on /dev/null, the thread
/// variables set to the point's BLAS threads) under `GuardedCommand`, and turns its
/// `result.json` into the same `MethodResult` an internal method gives, or into an `error`,
/// `timeout` or `out-of-memory` record with a message saying what went wrong. Never throws.
public enum ExternalMethodRunner {
    /// The protocol version this harness writes and reads.
    public static let schemaVersion = 1

    /// What one run is asked to do.
    public struct Request: Sendable {
        /// The external run (its method an `ExternalMethod`).
        public var run: MethodRun
        /// The layer's kernel (not rescaled).
        public var kernel: ConvolutionKernel
        /// The operator.
        public var geometry: ConvolutionGeometry
        /// The run's seed.
        public var seed: UInt64
        /// Top singular values asked for.
        public var topK: Int
        /// Untimed warm-up runs the command should do.
        public var warmup: Int
        /// Timed repetitions the command should report.
        public var repetitions: Int
        /// Threads the command may use (`OMP_NUM_THREADS`, `OPENBLAS_NUM_THREADS`, `MKL_NUM_THREADS`).
        public var threads: Int
        /// Wall-clock seconds the command may run; nil: no limit.
        public var timeLimit: Double?
        /// Resident bytes the command's process tree may hold; nil: no limit.
        public var memoryLimit: Int?

        /// A request; see the properties.
        public init(run: MethodRun, kernel: ConvolutionKernel, geometry: ConvolutionGeometry, seed: UInt64, topK: Int,
                    warmup: Int, repetitions: Int, threads: Int, timeLimit: Double? = nil, memoryLimit: Int? = nil) {
            self.run = run
            self.kernel = kernel
            self.geometry = geometry
            self.seed = seed
            self.topK = topK
            self.warmup = warmup
            self.repetitions = repetitions
            self.threads = threads
            self.timeLimit = timeLimit
            self.memoryLimit = memoryLimit
        }
    }

    /// Runs `request` and returns its record (status `ok`, `not-applicable`, `error`, `timeout`
    /// or `out-of-memory`). `timing`: whether to record the repetitions' statistics (sweeps).
    public static func run(_ request: Request, timing: Bool = true) -> MethodResult {
        let run = request.run
        guard let method = run.method as? ExternalMethod else {
            return run.result(status: .error, message: "not an external method")
        }
        if case .notApplicable(let reason) = method.layerApplicability(to: request.geometry) {
            return run.result(status: .notApplicable, message: reason)
        }
        var result = run.result(status: .ok)
        result.guarantee = method.layerApplicability(to: request.geometry).guarantee
        let directory: String
        do {
            directory = try makeDirectory(for: method.name)
        } catch {
            return failed(result, "could not create the point's directory: \(error)")
        }
        defer {
            if ProcessInfo.processInfo.environment["SPECBENCH_KEEP_EXTERNAL_DIRECTORIES"] == nil {
                try? FileManager.default.removeItem(atPath: directory)
            }
        }
        do {
            try NumpyFile.write(request.kernel, to: directory + "/kernel.npy")
            try JSONCoding.prettyEncoder.encode(OperatorFile(request)).write(to: URL(fileURLWithPath: directory + "/operator.json"))
        } catch {
            return failed(result, "could not write the point's files: \(error)")
        }
        guard let executable = resolve(method.command[0], in: method.directory) else {
            return failed(result, "the command '\(method.command[0])' does not exist or is not executable (looked \(method.command[0].contains("/") ? "in \(method.directory)" : "on the PATH")); accepted: an executable file, or a program on the PATH")
        }
        let threads = String(request.threads)
        let arguments = Array(method.command.dropFirst()) + [directory]
        var record = ExternalRunRecord(command: method.command)
        let outcome = GuardedCommand.run(
            executable: executable, arguments: arguments, directory: method.directory,
            environment: ["OMP_NUM_THREADS": threads, "OPENBLAS_NUM_THREADS": threads, "MKL_NUM_THREADS": threads],
            timeLimit: request.timeLimit, memoryLimit: request.memoryLimit)
        record.processSeconds = outcome.seconds
        record.processPeakBytes = outcome.peakBytes
        result.external = record
        let stderr = tail(outcome.standardError)
        switch outcome.ending {
        case .timeLimit:
            result.status = .timeout
            result.message = "the command ran past its time limit of \(ResultFormatting.seconds(request.timeLimit ?? 0)) and was stopped" + stderr
            return cleared(result)
        case .memoryLimit:
            result.status = .outOfMemory
            result.message = "the command's processes reached \(ResultFormatting.bytes(outcome.peakBytes)) resident, above the limit of \(ResultFormatting.bytes(request.memoryLimit ?? 0))" + stderr
            return cleared(result)
        case .failedToStart(let reason):
            return failed(result, "the command could not be started: \(reason)")
        case .signaled(let signal):
            return failed(result, "the command was killed by signal \(signal)" + stderr)
        case .exited(let status):
            result.external?.exitStatus = Int(status)
            guard status == 0 else { return failed(result, "the command exited with status \(status)" + stderr) }
        }
        let resultPath = directory + "/result.json"
        guard let data = FileManager.default.contents(atPath: resultPath) else {
            return failed(result, "the command exited with status 0 but wrote no result.json in its directory" + stderr)
        }
        do {
            let parsed = try ExternalResultFile(data: data, repetitions: request.repetitions)
            if let reason = parsed.notApplicable {
                var refusal = run.result(status: .notApplicable, message: "the command says: \(reason)")
                refusal.external = result.external
                return refusal
            }
            result.value = parsed.values[0]
            result.values = parsed.values
            let later = method.layerGuaranteeOfLaterValues(on: request.geometry) ?? .estimate
            result.valueGuarantees = parsed.values.indices.map { $0 == 0 ? result.guarantee! : later }
            result.iterations = parsed.iterations
            result.converged = parsed.converged
            result.diagnostics = parsed.diagnostics
            result.setupSeconds = parsed.setupSeconds
            let statistics = TimingStatistics(samples: parsed.seconds)
            result.seconds = statistics.median
            if timing { result.timing = statistics }
            result.peakBytes = parsed.peakBytes ?? outcome.peakBytes
            result.external?.measuredBy = [
                "seconds": "command", "timing": "command", "setupSeconds": parsed.setupSeconds == nil ? "absent" : "command",
                "peakBytes": parsed.peakBytes == nil ? "harness (the command's process tree)" : "command",
                "processSeconds": "harness", "processPeakBytes": "harness",
            ]
            result.external?.resultSchemaVersion = parsed.schemaVersion
            result.external?.extraFields = parsed.extraFields.isEmpty ? nil : parsed.extraFields
            return result
        } catch let error as InvalidInput {
            return failed(result, "result.json: \(error.message)")
        } catch {
            return failed(result, "result.json: \(error)")
        }
    }

    /// The absolute path of `name`: as given when absolute, relative to `directory` when it has a
    /// slash, else the first executable of that name on the PATH; nil when there is none.
    static func resolve(_ name: String, in directory: String) -> String? {
        let manager = FileManager.default
        if name.contains("/") {
            let path = name.hasPrefix("/") ? name : URL(fileURLWithPath: directory).appendingPathComponent(name).path
            var isDirectory: ObjCBool = false
            return manager.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue && manager.isExecutableFile(atPath: path) ? path : nil
        }
        let search = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for folder in search.split(separator: ":") where !folder.isEmpty {
            let path = String(folder) + "/" + name
            var isDirectory: ObjCBool = false
            if manager.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue, manager.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    /// A fresh directory for one run (`mkdtemp` under the temporary directory).
    private static func makeDirectory(for name: String) throws -> String {
        let base = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array("\(base)/specbench-\(name)-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw InvalidInput("mkdtemp under \(base): \(String(cString: strerror(errno)))")
        }
        return String(cString: made)
    }

    /// `"; its stderr ends: …"` with the last lines of `text` (at most 600 characters), or "".
    private static func tail(_ text: String) -> String {
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !lines.isEmpty else { return "" }
        var kept: [String] = []
        var length = 0
        for line in lines.reversed() {
            let piece = line.count > 300 ? "…" + line.suffix(299) : line
            if length + piece.count > 600 || kept.count == 5 { break }
            kept.insert(piece, at: 0)
            length += piece.count
        }
        return "; its stderr ends: " + kept.joined(separator: " | ")
    }

    private static func failed(_ result: MethodResult, _ message: String) -> MethodResult {
        var result = cleared(result)
        result.status = .error
        result.message = message
        return result
    }

    private static func cleared(_ result: MethodResult) -> MethodResult {
        var result = result
        result.value = nil
        result.values = []
        result.valueGuarantees = nil
        return result
    }
}

/// `operator.json`: what the harness tells the command about one point (docs/external-methods.md).
struct OperatorFile: Encodable {
    struct Geometry: Encodable {
        var outputChannels: Int
        var inputChannelsPerGroup: Int
        var kernelHeight: Int
        var kernelWidth: Int
        var inputHeight: Int
        var inputWidth: Int
        var outputHeight: Int
        var outputWidth: Int
        var padding: Padding
        var pads: [Int]
        var stride: [Int]
        var dilation: [Int]
        var groups: Int
        var transposed: Bool
        var outputPadding: [Int]?
        var dimensions: Int
    }

    var schemaVersion = ExternalMethodRunner.schemaVersion
    var method: String
    var `operator`: OperatorDescription
    var geometry: Geometry
    var kernelFile = "kernel.npy"
    var resultFile = "result.json"
    var seed: UInt64
    var topK: Int
    var precision: Precision
    var warmup: Int
    var repetitions: Int
    var threads: Int
    var parameters: [String: JSONValue]

    init(_ request: ExternalMethodRunner.Request) {
        let g = request.geometry
        method = request.run.id
        `operator` = OperatorDescription(g)
        geometry = Geometry(
            outputChannels: g.shape.outputChannels, inputChannelsPerGroup: g.shape.inputChannels,
            kernelHeight: g.shape.height, kernelWidth: g.shape.width, inputHeight: g.inputHeight, inputWidth: g.inputWidth,
            outputHeight: g.outputHeight, outputWidth: g.outputWidth, padding: g.padding,
            pads: [g.pads.top, g.pads.left, g.pads.bottom, g.pads.right], stride: [g.stride.height, g.stride.width],
            dilation: [g.dilation.height, g.dilation.width], groups: g.groups, transposed: g.transposed != nil,
            outputPadding: g.transposed.map { [$0.outputPadding.height, $0.outputPadding.width] }, dimensions: g.dimensions)
        seed = request.seed
        topK = request.topK
        precision = request.run.precision
        warmup = request.warmup
        repetitions = request.repetitions
        threads = request.threads
        parameters = (request.run.method as? ExternalMethod)?.parameters ?? [:]
    }
}
