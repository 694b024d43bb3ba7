import NumericCore

/// Everything about a method that is not its computation, declared once beside it: the one
/// place the catalog, the figures' styles, the tests' enumerations, `bench methods`,
/// `bench estimate --help` and the parameter table of `bench-configs/README.md` read from.
///
/// The guarantee per operator is the method's `applicability(to:)` (docs/methods.md §3); the tests
/// check it against an independent transcription of that table and against the dense reference.
public struct MethodMetadata: Sendable {
    /// The stable id used in configs, JSON and plots, e.g. `powerqr`.
    public let id: String
    /// Name and source paper, for reports.
    public let citation: String
    /// What the value is and its default computation, in one line (docs and `--help`).
    public let summary: String
    /// The parameters, in the order the docs list them.
    public let parameters: [ParameterSpecification]
    /// How the method looks in every figure.
    public let style: PlotStyle
    /// The precisions the method computes in (the reference: float64 only).
    public let precisions: [Precision]
    /// Parameter sets at which the method has converged on kernels of up to 8 channels and
    /// n ≤ 8, each a variant the tests run against the dense reference (every fact of
    /// docs/methods.md §4 and the guarantee of docs/methods.md §3 are checked on each).
    public let validationVariants: [[String: String]]
    /// The largest relative difference between the float32 and the float64 value at a
    /// validation variant (docs/precision.md: about ten times the largest measured). Methods
    /// that compute directly from the symbol or a factorisation: 2e-6; iterative ones: 5e-6.
    public let float32Tolerance: Double
    /// Whether the method's time is mostly the convolution operator's forward and adjoint
    /// (docs/methods.md §1): the component the gate watches across methods, and what the test-only
    /// `operator` slowdown (`FaultInjection`) slows.
    public let operatorUse: OperatorUse

    /// Metadata; see the properties.
    public init(
        id: String, citation: String, summary: String, parameters: [ParameterSpecification], style: PlotStyle,
        precisions: [Precision] = Precision.allCases, validationVariants: [[String: String]] = [[:]],
        float32Tolerance: Double = 2e-6, operatorUse: OperatorUse = .none
    ) {
        self.operatorUse = operatorUse
        self.float32Tolerance = float32Tolerance
        self.id = id
        self.citation = citation
        self.summary = summary
        self.parameters = parameters
        self.style = style
        self.precisions = precisions
        self.validationVariants = validationVariants
    }
}

/// A method's line style in the figures: a color and a gnuplot point type (float32 is drawn
/// dashed in the same style).
public struct PlotStyle: Sendable, Equatable {
    /// `#RRGGBB`.
    public let color: String
    /// gnuplot `pt`.
    public let pointType: Int

    /// A style; see the properties.
    public init(color: String, pointType: Int) {
        self.color = color
        self.pointType = pointType
    }
}

/// How much of a method's time is the convolution operator's forward and adjoint.
public enum OperatorUse: Sendable, Equatable {
    /// Never applies the operator (works on the kernel or its symbol).
    case none
    /// Nearly all of its time is operator applications.
    case always
    /// Nearly all of its time in these tiers (the reference's Lanczos tiers), none in others.
    case tiers([String])

    /// Whether a result of the method whose outcome reports `tier` spent its time in the operator.
    public func applies(tier: String?) -> Bool {
        switch self {
        case .none: false
        case .always: true
        case .tiers(let tiers): tier.map(tiers.contains) ?? false
        }
    }
}
