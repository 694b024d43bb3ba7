import Foundation
import NumericCore
import SpecBenchCore

/// Helpers shared by the test targets: seeded kernels, the dense reference, tolerant comparisons.
public enum Fixtures {
    /// A seeded standard-normal kernel.
    public static func kernel(_ cout: Int, _ cin: Int, _ kh: Int, _ kw: Int, seed: UInt64) -> ConvolutionKernel {
        try! ConvolutionKernel.random(
            shape: KernelShape(outputChannels: cout, inputChannels: cin, height: kh, width: kw),
            distribution: .normal, seed: seed)
    }

    /// A kernel with explicit entries.
    public static func kernel(_ cout: Int, _ cin: Int, _ kh: Int, _ kw: Int, values: [Double]) -> ConvolutionKernel {
        try! ConvolutionKernel(
            shape: KernelShape(outputChannels: cout, inputChannels: cin, height: kh, width: kw), values: values)
    }

    /// The operator of `kernel` under the given geometry.
    public static func convolution(
        _ kernel: ConvolutionKernel, n: Int, padding: Padding, stride: Int = 1, pad: Int? = nil
    ) -> ConvolutionOperator<Double> {
        let geometry = try! ConvolutionGeometry(shape: kernel.shape, inputSize: n, padding: padding, stride: stride, pad: pad)
        return ConvolutionOperator(kernel: kernel, geometry: geometry)
    }

    /// All singular values of the explicit unrolled matrix, by LAPACK (descending).
    public static func denseSingularValues(_ linearOperator: ConvolutionOperator<Double>) -> [Double] {
        let matrix = UnrolledMatrix.build(kernel: linearOperator.kernel, geometry: linearOperator.geometry)
        return try! LAPACK.singularValues(
            rows: linearOperator.geometry.rows, columns: linearOperator.geometry.columns, buffer: matrix,
            order: .columnMajor)
    }

    /// The dense spectral norm of the operator.
    public static func denseNorm(_ linearOperator: ConvolutionOperator<Double>) -> Double {
        denseSingularValues(linearOperator).first ?? 0
    }

    /// The spectral norm of a small real matrix given row-major.
    public static func matrixNorm(rows: Int, columns: Int, _ elements: [Double]) -> Double {
        try! LAPACK.singularValues(of: DenseMatrix(rows: rows, columns: columns, elements: elements)).first ?? 0
    }

    /// `|a − b| ≤ tolerance·max(|a|, |b|)`.
    public static func isClose(_ a: Double, _ b: Double, relative tolerance: Double) -> Bool {
        abs(a - b) <= tolerance * max(abs(a), abs(b))
    }

    /// The largest relative difference between two equally long lists.
    public static func maxRelativeDifference(_ a: [Double], _ b: [Double]) -> Double {
        precondition(a.count == b.count, "lists differ in length")
        let scale = max(a.map(abs).max() ?? 0, 1e-300)
        return zip(a, b).map { abs($0 - $1) / scale }.max() ?? 0
    }
}

/// Running the built `bench` executable from tests (end-to-end).
public enum BenchProcess {
    /// The result of one invocation.
    public struct Output: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String
    }

    /// The `bench` binary next to the test bundle (both live in the build products folder).
    public static var executable: URL {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("bench").path),
              directory.path != "/" {
            directory.deleteLastPathComponent()
        }
        return directory.appendingPathComponent("bench")
    }

    /// Runs `bench` with `arguments` in `directory` (default: the package root) and waits;
    /// `environment` is added to this process's, less the variables in `unsetting`.
    public static func run(_ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:],
                           unsetting: Set<String> = []) throws -> Output {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        for key in unsetting { env[key] = nil }
        process.environment = env
        return try collect(process)
    }

    /// Runs `bench` with `arguments` through `/bin/sh` with `redirect` appended (`2>&-`,
    /// `> /dev/full`) and `shellPrefix` before (`ulimit -f 16;`), so that the tool meets a
    /// closed or full stream or file; waits.
    public static func run(_ arguments: [String], redirect: String, shellPrefix: String = "") throws -> Output {
        let quoted = ([executable.path] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", shellPrefix + quoted.joined(separator: " ") + " " + redirect]
        return try collect(process)
    }

    /// Starts `process` with piped stdout and stderr, reads both and waits for it.
    private static func collect(_ process: Process) throws -> Output {
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes concurrently so that neither fills up and blocks the child.
        nonisolated(unsafe) var errorData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errorData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outputData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Output(status: process.terminationStatus,
                      stdout: String(decoding: outputData, as: UTF8.self),
                      stderr: String(decoding: errorData, as: UTF8.self))
    }

    /// A fresh temporary directory.
    public static func temporaryDirectory() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("specbench-test-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// `data` written to a file called `name` in a fresh temporary folder.
    public static func temporaryFile(_ data: Data, name: String) throws -> URL {
        let url = temporaryDirectory().appendingPathComponent(name)
        try data.write(to: url)
        return url
    }
}

/// The infinite-grid norm `σ_∞ = sup_ω ‖K̂(ω)‖₂` (docs/methods.md §1), computed independently of the
/// library's spectrum code: the symbol is summed tap by tap, its norm taken by LAPACK, the
/// supremum found by a 64×64 grid search refined by successive zooms around the best points.
public enum InfiniteGridNorm {
    /// `K̂(ω)` by direct summation of the taps: `cout × cin` complex, row-major, interleaved.
    public static func symbol(_ kernel: ConvolutionKernel, _ omega1: Double, _ omega2: Double) -> [Double] {
        let s = kernel.shape
        var matrix = [Double](repeating: 0, count: 2 * s.outputChannels * s.inputChannels)
        for o in 0..<s.outputChannels {
            for i in 0..<s.inputChannels {
                var re = 0.0, im = 0.0
                for dy in 0..<s.height {
                    for dx in 0..<s.width {
                        let angle = omega1 * Double(dy) + omega2 * Double(dx)
                        re += kernel[o, i, dy, dx] * cos(angle)
                        im -= kernel[o, i, dy, dx] * sin(angle)
                    }
                }
                matrix[2 * (o * s.inputChannels + i)] = re
                matrix[2 * (o * s.inputChannels + i) + 1] = im
            }
        }
        return matrix
    }

    /// `‖K̂(ω)‖₂` by direct summation.
    public static func symbolNorm(_ kernel: ConvolutionKernel, _ omega1: Double, _ omega2: Double) -> Double {
        let s = kernel.shape
        let matrix = symbol(kernel, omega1, omega2)
        return try! LAPACK.complexSingularValues(rows: s.outputChannels, columns: s.inputChannels, elements: ComplexBuffer(interleaved: matrix))[0]
    }

    /// `σ_∞` to about 1e-12 relative.
    public static func norm(_ kernel: ConvolutionKernel) -> Double {
        let coarse = 64
        var candidates: [(Double, Double, Double)] = []
        for u in 0..<coarse {
            for v in 0..<coarse {
                let w1 = 2 * Double.pi * Double(u) / Double(coarse), w2 = 2 * Double.pi * Double(v) / Double(coarse)
                candidates.append((symbolNorm(kernel, w1, w2), w1, w2))
            }
        }
        candidates.sort { $0.0 > $1.0 }
        var best = candidates[0].0
        for var (value, w1, w2) in candidates.prefix(6) {
            var step = 2 * Double.pi / Double(coarse)
            for _ in 0..<30 {
                var improved = (value, w1, w2)
                for a in -2...2 {
                    for b in -2...2 {
                        let x = w1 + Double(a) * step / 2, y = w2 + Double(b) * step / 2
                        let candidate = symbolNorm(kernel, x, y)
                        if candidate > improved.0 { improved = (candidate, x, y) }
                    }
                }
                (value, w1, w2) = improved
                step /= 2
            }
            best = max(best, value)
        }
        return best
    }
}
