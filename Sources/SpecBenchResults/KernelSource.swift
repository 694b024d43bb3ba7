import SpecBenchCore

/// Where a kernel comes from: a seeded random draw or a `.npy` file.
public enum KernelSource: Codable, Sendable, Hashable {
    /// A seeded random kernel (`ConvolutionKernel.random`).
    case random(shape: KernelShape, distribution: KernelDistribution, seed: UInt64)
    /// A kernel read from a `.npy` file.
    case file(path: String)

    /// Loads or draws the kernel.
    public func load() throws -> ConvolutionKernel {
        switch self {
        case .random(let shape, let distribution, let seed):
            return try ConvolutionKernel.random(shape: shape, distribution: distribution, seed: seed)
        case .file(let path):
            return try NumpyFile.readKernel(path: path)
        }
    }

    /// The kernel's shape without drawing or reading its entries (a file's header only).
    public func shape() throws -> KernelShape {
        switch self {
        case .random(let shape, _, _): return try shape.validated()
        case .file(let path): return try NumpyFile.readShape(path: path)
        }
    }

    /// A short description for results: `normal(seed 3)` or the file path.
    public var label: String {
        switch self {
        case .random(_, let distribution, let seed): return "\(distribution.rawValue)(seed \(seed))"
        case .file(let path): return path
        }
    }
}
