import NumericCore
import SpecBenchCore

/// A method given by a command, in any language (docs/external-methods.md): an entry of an
/// `external:` list, typed once where it is read (`ExternalMethodFile`) and from then on a method
/// like the others (the same records, reference, error, guarantee verdict, tables, figures and
/// gate) under its own id. It is run by the harness's `ExternalMethodRunner`, which writes the
/// operator and the kernel into a fresh directory and runs the command there, never by
/// `prepare`; the command computes in the one precision the entry declares, on the whole layer
/// (groups included).
public struct ExternalMethod: SpectralNormMethod, Equatable {
    public static let metadata = MethodMetadata(
        id: "external",
        citation: "a method given by a command (docs/external-methods.md)",
        summary: "the value the entry's command writes in result.json",
        parameters: [],
        style: PlotStyle(color: "#7F7F7F", pointType: 1))

    /// The id the method's records carry (distinct from every catalog id).
    public var name: String
    /// The argv: the executable (absolute, or found on the PATH when it has no slash, or relative
    /// to `directory`) and its arguments; the point's directory is appended.
    public var command: [String]
    /// The guarantee of its value per padding mode; a mode absent from the map is
    /// `not-applicable`.
    public var guarantees: [Padding: Guarantee]
    /// The one precision the command computes in.
    public var declaredPrecision: Precision
    /// Name and source, for reports.
    public var citation: String
    /// Parameters handed to the command in operator.json, as the entry gave them.
    public var parameters: [String: JSONValue]
    /// The directory the command runs in: that of the file that declared the entry.
    public var directory: String

    /// An entry; see the properties.
    public init(
        name: String, command: [String], guarantees: [Padding: Guarantee], precision: Precision,
        citation: String, parameters: [String: JSONValue] = [:], directory: String
    ) {
        self.name = name
        self.command = command
        self.guarantees = guarantees
        self.declaredPrecision = precision
        self.citation = citation
        self.parameters = parameters
        self.directory = directory
    }

    /// External methods are declared by entries, not read from `key=value` parameters.
    public init(parameters: inout ParameterReader, context: MethodContext) throws {
        throw InvalidInput("an external method is declared by an 'external:' entry (docs/external-methods.md), not by a method id")
    }

    public var runID: String { name }

    public func effectivePrecision(_ requested: Precision) -> Precision { declaredPrecision }

    /// The entry's parameters as text (`key: text`), as every record writes them.
    public var parameterValues: [String: String] { parameters.mapValues(\.text) }

    /// The command sees the whole layer and its groups.
    public static var solvesGroupsItself: Bool { true }

    /// The declared guarantee for the operator's padding, or `not-applicable` naming the modes
    /// the entry declares.
    public func applicability(to geometry: ConvolutionGeometry) -> Applicability {
        if let guarantee = guarantees[geometry.padding] { return .applies(guarantee) }
        let declared = Padding.allCases.filter { guarantees[$0] != nil }.map(\.rawValue).joined(separator: ", ")
        return .notApplicable(reason: "the external entry '\(name)' declares no guarantee for \(geometry.padding.rawValue) padding (it declares: \(declared))")
    }

    /// Later values (top-k) promise nothing unless the entry's first value is exact.
    public func guaranteeOfLaterValues(on geometry: ConvolutionGeometry) -> Guarantee? {
        guard let first = guarantees[geometry.padding] else { return nil }
        return first == .exact ? .exact : .estimate
    }

    /// Unknown before it runs: the harness measures the command's process tree instead.
    public func memoryNeed(on geometry: ConvolutionGeometry, context: MethodContext) -> MemoryNeed { .zero }

    /// Unknown: an external method declares no cost model, and its records carry none.
    public func operationCount(on geometry: ConvolutionGeometry, context: MethodContext, outcome: MethodOutcome) -> OperationCount {
        OperationCount()
    }

    /// Never called: the harness runs the command (`ExternalMethodRunner`).
    public func prepare<Scalar: LinearAlgebraScalar>(
        _ linearOperator: ConvolutionOperator<Scalar>, context: MethodContext
    ) throws -> any PreparedComputation {
        throw InvalidInput("the external method '\(name)' runs as a command, not in this process")
    }
}
