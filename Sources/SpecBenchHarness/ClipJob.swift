import SpecBenchResults
import SpecBenchCore
import SpecBenchMethods

/// One clip of a point (docs/clipping.md): a clipping method, typed with its parameters, a
/// target and the operator it is for. Carried typed to the point's process inside its plan.
public struct ClipJob: Codable, Sendable, Equatable {
    /// The clipping method.
    public var method: ClippingMethod
    /// The target `c > 0`.
    public var target: Double
    /// The operator the target is for.
    public var scope: ClipScope
    /// The name its records carry instead of the method's id (a config's `as:`), nil for the id.
    public var label: String?

    /// A job; see the properties.
    public init(method: ClippingMethod, target: Double, scope: ClipScope, label: String? = nil) {
        self.method = method
        self.target = target
        self.scope = scope
        self.label = label
    }

    /// The name its records carry: the label, else the method's id.
    public var name: String { label ?? method.id }

    /// Its results' run key (`clip:fastclip@1`).
    public var key: String { MethodResult.clipRunKey(method: name, target: target, scope: scope) }

    /// The result skeleton every outcome of this job starts from: the method's id and effective
    /// parameters, `task: clip`, the target and scope, float64.
    public func result(status: MethodStatus, message: String? = nil) -> MethodResult {
        var result = MethodResult(method: name, status: status, parameters: method.parameterValues)
        result.task = MethodResult.clipTask
        result.target = target
        result.clipScope = scope
        result.precision = .float64
        result.message = message
        return result
    }

    /// The refusal of this job at a layer of `geometry` (with a batch norm after it or not), or
    /// nil when it runs.
    public func refusal(on geometry: ConvolutionGeometry, hasBatchNorm: Bool) -> MethodResult? {
        if scope == .convolution && !hasBatchNorm {
            return result(status: .notApplicable, message: "no batch norm follows this layer: the convolution is the composition")
        }
        if case .notApplicable(let reason) = method.applicability(to: geometry) {
            return result(status: .notApplicable, message: reason)
        }
        return nil
    }
}
