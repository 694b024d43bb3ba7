import NumericCore
import SpecBenchCore



/// A sweep as a config file describes it (`bench-configs/*.yaml`, keys documented in
/// `bench-configs/README.md`): the axes of the points, the methods with their parameters, the
/// measurement protocol and the limits. Built and validated by `SweepConfigurationParser`.
public struct SweepConfiguration: Codable, Sendable, Hashable {
    /// The run's name; results go to `results/<name>/`.
    public var name: String
    /// What the sweep is for.
    public var description: String?
    /// Which figure or table of which paper the sweep mirrors, if any.
    public var mirrors: String?
    /// The run's seed: random kernels and every random start derive from it.
    public var seed: UInt64
    /// Top singular values asked of methods that have them.
    public var topK: Int
    /// Where kernels come from.
    public var kernel: KernelSettings
    /// Grids of points (their union, in order).
    public var grids: [GridSpecification]
    /// Explicit points (network layers), after the grids.
    public var layers: [LayerSpecification]
    /// The methods to run (the reference always runs as well).
    public var methods: [MethodSpecification]
    /// Timed repetitions per method and point.
    public var repetitions: Int
    /// Untimed warm-up runs per method and point before the repetitions.
    public var warmup: Int
    /// Independent processes each point is measured in; their repetitions are pooled (as
    /// airspeed velocity does), so that a process's luck — CPU placement, memory layout — does
    /// not become the measurement. Nil means 1 (and reads configs recorded before the key).
    public var processes: Int?
    /// Settings of the exact reference.
    public var reference: ReferenceSettings
    /// Time and memory limits of one point.
    public var limits: Limits
    /// Thread counts of the numerical libraries inside a point.
    public var threads: Threads
    /// Published numbers to show beside ours in the tables.
    public var paperValues: [PaperValue]
    /// Trained models whose convolutions are points (`model: {path, inputSize, layers,
    /// composition}`, or a list of them), after the grids and layers; nil when the config has none.
    public var models: [ModelSettings]? = nil
    /// The precisions every method runs in (`precisions: [float64, float32]`), in that order.
    /// The reference runs once per point, in float64, whatever this says. A config or manifest
    /// recorded before the key reads as float64 alone (`Float64IfAbsent`, the decoder).
    @Float64IfAbsent public var precisions: [Precision] = [.float64]
    /// External methods (`external:`, docs/external-methods.md), each run at every point in the
    /// one precision it declares; nil when the config has none.
    public var external: [ExternalMethodSpecification]? = nil
    /// Clipping (`clip:`, docs/clipping.md): methods × targets at every point; nil when the
    /// config has none.
    public var clip: ClipSettings? = nil

    /// An external method as the manifest records it: its entry, typed.
    public struct ExternalMethodSpecification: Codable, Sendable, Hashable {
        /// The id its records carry.
        public var id: String
        /// The argv (the point's directory is appended).
        public var command: [String]
        /// The guarantee per padding mode (`zero: upper`, …).
        public var guarantee: [String: String]
        /// The precision it computes in.
        public var precision: Precision
        /// Name and source.
        public var citation: String
        /// Parameters passed to the command.
        public var parameters: [String: JSONValue]
        /// The folder the command runs in (that of the file declaring the entry).
        public var directory: String

        /// A specification; see the properties.
        public init(id: String, command: [String], guarantee: [String: String], precision: Precision,
                    citation: String, parameters: [String: JSONValue], directory: String) {
            self.id = id
            self.command = command
            self.guarantee = guarantee
            self.precision = precision
            self.citation = citation
            self.parameters = parameters
            self.directory = directory
        }
    }

    /// A model sweep: every (or the named) convolution of a model file, with its weights, its
    /// stride and padding, at its input size inferred from `inputSize`.
    public struct ModelSettings: Codable, Sendable, Hashable {
        /// The model file (resolved against the config's folder).
        public var path: String
        /// Image size `H × W` of the network's input (one integer: square; overrides what the
        /// file declares).
        public var inputSize: AxisPair?
        /// The layers to run; nil runs every layer that can be benchmarked.
        public var layers: [ModelLayerChoice]?
        /// `conv` (the kernel as stored) or `conv+bn` (the following batch norm folded in).
        public var composition: ModelComposition
        /// Places a checkpoint's layers from their names (`torchvision-resnet`); nil: the file's
        /// own geometry (ONNX) or the per-layer choices.
        public var preset: ModelPreset?
        /// A prefix for the layers' labels (`pnet` gives `pnet.conv1.weight`), needed when a
        /// config lists several models; nil labels layers by their own names.
        public var name: String?

        /// A value with every field given (those with a default may be left out).
        public init(path: String, inputSize: AxisPair? = nil, layers: [ModelLayerChoice]? = nil, composition: ModelComposition = .convolution) {
            self.path = path
            self.inputSize = inputSize
            self.layers = layers
            self.composition = composition
        }
    }

    /// One layer of a model sweep: its name and, for formats that store tensors only
    /// (checkpoints, safetensors), where it sits: input size, stride, pad (default ⌊k/2⌋) and the
    /// name prefix of the batch norm after it (`bn1` for `bn1.weight`, `bn1.running_var`).
    public struct ModelLayerChoice: Codable, Sendable, Hashable {
        /// The layer's name (its weight's name in a checkpoint).
        public var name: String
        /// Input size `H × W` (one integer: square).
        public var inputSize: AxisPair?
        /// Stride per axis.
        public var stride: AxisPair?
        /// Zero pads (`P`, `[PH, PW]` or `[T, L, B, R]`).
        public var pad: Pads?
        /// The batch norm's name prefix.
        public var batchNorm: String?

        /// A choice by name, with optional geometry.
        public init(name: String, inputSize: AxisPair? = nil, stride: AxisPair? = nil, pad: Pads? = nil, batchNorm: String? = nil) {
            self.name = name
            self.inputSize = inputSize
            self.stride = stride
            self.pad = pad
            self.batchNorm = batchNorm
        }
    }

    /// Kernel source settings.
    public struct KernelSettings: Codable, Sendable, Hashable {
        /// Distribution of random kernels.
        public var distribution: KernelDistribution = .normal
        /// `.npy` files to use instead of random kernels (paths as given, resolved against the
        /// config file's folder).
        public var files: [String] = []
        /// Rescale every kernel so that its point's operator has this exact spectral norm
        /// (`kernel: {normalize: {spectralNorm: 1.0}}`); nil keeps kernels as drawn or read.
        public var normalize: KernelNormalization?

        /// A value with every field given (those with a default may be left out).
        public init(distribution: KernelDistribution = .normal, files: [String] = [], normalize: KernelNormalization? = nil) {
            self.distribution = distribution
            self.files = files
            self.normalize = normalize
        }
    }

    /// A grid: every combination of its axes is a point.
    public struct GridSpecification: Codable, Sendable, Hashable {
        /// Output channels.
        public var cout: [Int] = []
        /// Input channels; nil means "same as cout".
        public var cin: [Int]?
        /// Kernel sizes `kh × kw` (one integer: square).
        public var kernelSizes: [AxisPair] = []
        /// Input sizes `H × W` (one integer: the side `n` of a square input).
        public var inputSizes: [AxisPair] = []
        /// Paddings.
        public var paddings: [Padding] = []
        /// Strides (one integer or per axis).
        public var strides: [AxisPair] = [1]
        /// Explicit pads (`P`, `[PH, PW]` or `[T, L, B, R]`); empty means the default `d·⌊k/2⌋`.
        public var pads: [Pads] = []
        /// Dilations (one integer or per axis); nil: 1 alone.
        public var dilations: [AxisPair]?
        /// Groups (the kernel is `(cout, cin/groups, kh, kw)`, so `cin` is per group); nil: 1 alone.
        public var groups: [Int]?

        /// A value with every field given (those with a default may be left out).
        public init(cout: [Int] = [], cin: [Int]? = nil, kernelSizes: [AxisPair] = [], inputSizes: [AxisPair] = [], paddings: [Padding] = [], strides: [AxisPair] = [1], pads: [Pads] = [], dilations: [AxisPair]? = nil, groups: [Int]? = nil) {
            self.cout = cout
            self.cin = cin
            self.kernelSizes = kernelSizes
            self.inputSizes = inputSizes
            self.paddings = paddings
            self.strides = strides
            self.pads = pads
            self.dilations = dilations
            self.groups = groups
        }
    }

    /// One explicit operator, e.g. a layer of a network.
    public struct LayerSpecification: Codable, Sendable, Hashable {
        /// A label for tables (e.g. `layer2.0.conv1`).
        public var name: String
        /// Output channels.
        public var cout: Int
        /// Input channels of one group (the kernel's second dimension).
        public var cin: Int
        /// Kernel height (1 for a 1-D layer).
        public var kernelHeight: Int
        /// Kernel width.
        public var kernelWidth: Int
        /// Input size `H × W` (one integer: square); for a transposed layer, its own input.
        public var inputSize: AxisPair
        /// Stride per axis.
        public var stride: AxisPair
        /// Explicit pads, or nil for `d·⌊k/2⌋` (0 for a transposed layer).
        public var pad: Pads?
        /// Paddings to run the layer with.
        public var paddings: [Padding]
        /// Dilation per axis; nil: 1.
        public var dilation: AxisPair?
        /// Groups; nil: 1.
        public var groups: Int?
        /// For a transposed layer (kernel in ConvTranspose layout `(cin_t, cout_t/g, kh, kw)`),
        /// its output padding; nil for a forward convolution.
        public var outputPadding: AxisPair?
        /// 1 for a 1-D layer (`kernelHeight` 1 on an input of height 1); nil: 2.
        public var dimensions: Int?

        /// A value with every field given (those with a default may be left out).
        public init(name: String, cout: Int, cin: Int, kernelHeight: Int, kernelWidth: Int, inputSize: AxisPair, stride: AxisPair, pad: Pads? = nil, paddings: [Padding],
                    dilation: AxisPair? = nil, groups: Int? = nil, outputPadding: AxisPair? = nil, dimensions: Int? = nil) {
            self.name = name
            self.cout = cout
            self.cin = cin
            self.kernelHeight = kernelHeight
            self.kernelWidth = kernelWidth
            self.inputSize = inputSize
            self.stride = stride
            self.pad = pad
            self.paddings = paddings
            self.dilation = dilation
            self.groups = groups
            self.outputPadding = outputPadding
            self.dimensions = dimensions
        }
    }

    /// A method with its parameters and, optionally, its own repetition counts.
    public struct MethodSpecification: Codable, Sendable, Hashable {
        /// Method id.
        public var id: String
        /// Raw parameters (`key: value`), validated by the method.
        public var parameters: [String: String] = [:]
        /// Repetitions for this method (default: the sweep's).
        public var repetitions: Int?
        /// Warm-up runs for this method (default: the sweep's).
        public var warmup: Int?
        /// The name its records carry instead of the id, so that one clipping method can run
        /// twice with different parameters (`{id: fastclip, as: fastclip-converged, …}`); nil:
        /// the id. Clipping methods only.
        public var label: String? = nil

        /// A value with every field given (those with a default may be left out).
        public init(id: String, parameters: [String: String] = [:], repetitions: Int? = nil, warmup: Int? = nil, label: String? = nil) {
            self.id = id
            self.parameters = parameters
            self.repetitions = repetitions
            self.warmup = warmup
            self.label = label
        }

        /// The name its records carry: `label`, else the id.
        public var name: String { label ?? id }
    }

    /// Settings of the exact reference (the `reference` method's parameters and protocol), as
    /// the manifest records them. The defaults are `ExactReference.Settings`'s.
    public struct ReferenceSettings: Codable, Sendable, Hashable {
        /// Largest side of the unrolled matrix computed densely.
        public var denseLimit: Int
        /// Relative residual of the Lanczos tiers (`plain-lanczos`, `restarted-lanczos`).
        public var tolerance: Double
        /// Budget of Gram products of one Lanczos solve.
        public var maxIterations: Int
        /// Vectors kept by the `restarted-lanczos` tier (nil in runs recorded before the key).
        public var basisSize: Int?
        /// Timed repetitions of the reference (it is the most expensive method).
        public var repetitions: Int = 1
        /// Warm-up runs of the reference.
        public var warmup: Int = 0

        /// The record of `settings`, with one repetition and no warm-up unless given.
        public init(_ settings: ExactReference.Settings = .init(), repetitions: Int = 1, warmup: Int = 0) {
            denseLimit = settings.denseLimit
            tolerance = settings.lanczosTolerance
            maxIterations = settings.lanczosMaximumIterations
            basisSize = settings.lanczosBasisSize
            self.repetitions = repetitions
            self.warmup = warmup
        }
    }

    /// Limits of one point (one child process).
    public struct Limits: Codable, Sendable, Hashable {
        /// Wall-clock seconds one point's process may run before it is stopped.
        public var secondsPerPoint: Double = 300
        /// Resident memory one point's process may reach before it is stopped, in bytes.
        public var memoryBytesPerPoint: Int = 8 << 30

        /// A value with every field given (those with a default may be left out).
        public init(secondsPerPoint: Double = 300, memoryBytesPerPoint: Int = 8 << 30) {
            self.secondsPerPoint = secondsPerPoint
            self.memoryBytesPerPoint = memoryBytesPerPoint
        }
    }

    /// Thread counts.
    public struct Threads: Codable, Sendable, Hashable {
        /// OpenBLAS threads.
        public var blas: Int = 1
        /// FFTW threads.
        public var fft: Int = 1

        /// A value with every field given (those with a default may be left out).
        public init(blas: Int = 1, fft: Int = 1) {
            self.blas = blas
            self.fft = fft
        }
    }

    /// A number published for a known setup, shown beside ours in the tables.
    public struct PaperValue: Codable, Sendable, Hashable {
        /// Where it comes from (paper, notebook).
        public var source: String
        /// Output channels of the operator it was measured on.
        public var cout: Int
        /// Input channels.
        public var cin: Int
        /// Square kernel side.
        public var kernelSize: Int
        /// Input side n.
        public var inputSize: Int
        /// Padding.
        public var padding: Padding
        /// Stride.
        public var stride: Int
        /// Published relative errors by method id (e.g. `lipbound: 3.29` for +329 %).
        public var relativeErrors: [String: Double]

        /// A value with every field given (those with a default may be left out).
        public init(source: String, cout: Int, cin: Int, kernelSize: Int, inputSize: Int, padding: Padding, stride: Int, relativeErrors: [String: Double]) {
            self.source = source
            self.cout = cout
            self.cin = cin
            self.kernelSize = kernelSize
            self.inputSize = inputSize
            self.padding = padding
            self.stride = stride
            self.relativeErrors = relativeErrors
        }
    }

    /// A value with every field given (those with a default may be left out).
    public init(name: String, description: String? = nil, mirrors: String? = nil, seed: UInt64, topK: Int, kernel: KernelSettings, grids: [GridSpecification], layers: [LayerSpecification], methods: [MethodSpecification], repetitions: Int, warmup: Int, processes: Int? = nil, reference: ReferenceSettings, limits: Limits, threads: Threads, paperValues: [PaperValue], precisions: [Precision] = [.float64]) {
        self.name = name
        self.description = description
        self.mirrors = mirrors
        self.seed = seed
        self.topK = topK
        self.kernel = kernel
        self.grids = grids
        self.layers = layers
        self.methods = methods
        self.repetitions = repetitions
        self.warmup = warmup
        self.processes = processes
        self.reference = reference
        self.limits = limits
        self.threads = threads
        self.paperValues = paperValues
        self.precisions = precisions
    }
}
