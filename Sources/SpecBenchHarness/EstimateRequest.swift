import SpecBenchResults
import NumericCore
import SpecBenchCore
import SpecBenchMethods

/// Everything `bench estimate` is asked to do: one operator, a list of methods, their parameters.
public struct EstimateRequest: Sendable {
    /// Where the kernel comes from.
    public var kernel: KernelSource
    /// Input side `n`.
    public var inputSize: Int
    /// Padding.
    public var padding: Padding
    /// Stride.
    public var stride: Int
    /// Explicit pad, or nil for `⌊k/2⌋`.
    public var pad: Int?
    /// Method ids, in the order to report them.
    public var methods: [String]
    /// Raw parameters per method id (keys without the `id.` prefix).
    public var parameters: [String: [String: String]]
    /// Number of top singular values asked for.
    public var topK: Int
    /// The run's seed (random kernel and every random start).
    public var seed: UInt64
    /// Rescale the kernel so that the operator's exact spectral norm is this value (untimed).
    public var normalize: KernelNormalization?
    /// Bytes a method may need (with the kernel and the operator's tables) before it is refused
    /// as `out-of-memory` without running; nil for this machine's physical memory.
    public var memoryLimit: Int?
    /// Also write the kernel, as drawn or read, to this `.npy` file (once the request is checked).
    public var exportKernelPath: String?
    /// The precision the methods compute in (the reference is float64 whatever this is).
    public var precision: Precision

    /// A request; see the properties.
    public init(
        kernel: KernelSource, inputSize: Int, padding: Padding, stride: Int = 1, pad: Int? = nil,
        methods: [String], parameters: [String: [String: String]] = [:], topK: Int = 1, seed: UInt64 = 0,
        normalize: KernelNormalization? = nil, memoryLimit: Int? = nil, precision: Precision = .float64
    ) {
        self.precision = precision
        self.memoryLimit = memoryLimit
        self.normalize = normalize
        self.kernel = kernel
        self.inputSize = inputSize
        self.padding = padding
        self.stride = stride
        self.pad = pad
        self.methods = methods
        self.parameters = parameters
        self.topK = topK
        self.seed = seed
    }

    /// Parses `--param` flags of the form `id.key=value` into per-method maps, checking that the
    /// method id is known and among `methods`.
    public static func parseParameters(_ flags: [String], methods: [String]) throws -> [String: [String: String]] {
        var result: [String: [String: String]] = [:]
        for flag in flags {
            guard let equals = flag.firstIndex(of: "="), let dot = flag[..<equals].firstIndex(of: ".") else {
                throw InvalidInput("invalid --param '\(flag)'; expected METHOD.KEY=VALUE, for example powerqr.iterations=200")
            }
            let id = String(flag[..<dot])
            let key = String(flag[flag.index(after: dot)..<equals])
            let value = String(flag[flag.index(after: equals)...])
            _ = try MethodCatalog.type(for: id)
            guard methods.contains(id) else {
                throw InvalidInput("--param '\(flag)' is for method '\(id)', which is not among --methods (\(methods.joined(separator: ",")))")
            }
            guard !key.isEmpty else {
                throw InvalidInput("invalid --param '\(flag)'; the key after '\(id).' is empty")
            }
            result[id, default: [:]][key] = value
        }
        return result
    }
}

