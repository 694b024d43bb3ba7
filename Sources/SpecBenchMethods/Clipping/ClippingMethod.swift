import SpecBenchCore

/// A clipping method (docs/clipping.md): takes a layer (`ClipOperand`) and a target `c` and
/// returns a clipped kernel, typed with its parameters once (`ClippingCatalog.resolve`) and
/// carried as such across processes. Its `applicability` is the guarantee it makes about the
/// clipped norm: `upper` (never above `c`), `exact` (lands on `min(σ, c)`), `estimate` (none).
public enum ClippingMethod: Codable, Sendable, Equatable {
    /// FastClip (Ebrahimpour Boroojeny et al. 2024).
    case fastClip(FastClip)
    /// Sedghi et al. 2019's per-frequency clip.
    case sedghiClip(SedghiClip)
    /// Division by an estimate or bound of the norm (`rescale-…`).
    case rescale(RescaleClip)

    /// The id its records carry.
    public var id: String {
        switch self {
        case .fastClip: ClippingCatalog.fastClipID
        case .sedghiClip: ClippingCatalog.sedghiClipID
        case .rescale(let method): method.id
        }
    }

    /// The effective parameters, as recorded (a rescaling's are its estimator's).
    public var parameterValues: [String: String] {
        switch self {
        case .fastClip(let method): method.parameterValues
        case .sedghiClip(let method): method.parameterValues
        case .rescale(let method): method.estimator.parameters
        }
    }

    /// Whether it applies to `geometry`, and what it guarantees about the clipped norm.
    public func applicability(to geometry: ConvolutionGeometry) -> Applicability {
        switch self {
        case .fastClip(let method): method.applicability(to: geometry)
        case .sedghiClip(let method): method.applicability(to: geometry)
        case .rescale(let method): method.applicability(to: geometry)
        }
    }

    /// Clips `operand` to `target`; throws `ClipFailure` (or the estimator's error) naming the step.
    public func clip(_ operand: ClipOperand, target: Double, context: MethodContext) throws -> ClipOutcome {
        switch self {
        case .fastClip(let method): try method.clip(operand, target: target, context: context)
        case .sedghiClip(let method): try method.clip(operand, target: target, context: context)
        case .rescale(let method): try method.clip(operand, target: target, context: context)
        }
    }
}
