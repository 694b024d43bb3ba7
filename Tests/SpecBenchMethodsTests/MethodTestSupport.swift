import Testing
import SpecBenchCore
import SpecBenchMethods
import TestSupport

/// Runs a method on an operator the way the harness does: applicability, prepare, run.
func outcome(_ method: some SpectralNormMethod, _ op: ConvolutionOperator<Double>, topK: Int = 1, seed: UInt64 = 0) throws -> MethodOutcome {
    let context = MethodContext(seed: seed, topK: topK)
    return try method.prepare(op, context: context).run()
}

/// The guarantee table of docs/methods.md §3, transcribed: `nil` means not applicable.
func documentedGuarantee(_ id: String, geometry g: ConvolutionGeometry) -> Guarantee? {
    let circular = g.padding == .circular
    // §5: bounds on σ_∞ hold for zero and circular padding; reflect and replicate can exceed σ_∞.
    let infiniteGridBound: Guarantee = g.padding == .zero || circular ? .upper : .estimate
    switch id {
    case "reference": return .exact
    case "power-iteration", "powerqr": return .lower
    case "sedghi": return circular ? .exact : .estimate
    case "gram-circular": return circular ? .upper : .estimate
    case "gram-zero", "fantastic-four", "tn-bound", "aol": return infiniteGridBound
    case "reshape-norm": return .estimate
    case "lipbound": return g.shape.height == g.shape.width && g.shape.height % 2 == 1 ? infiniteGridBound : nil
    default:
        // A new method: transcribe its row of docs/methods.md §3 and §5 here (deliberately
        // independent of the method's own applicability, which this checks).
        Issue.record("docs/methods.md §3 has no transcription here for '\(id)': add its row to documentedGuarantee")
        return nil
    }
}

/// Every method but the reference, at each of its declared validation variants
/// (`MethodMetadata.validationVariants`: parameters at which it has converged on small kernels).
/// A method added to the catalog is enumerated here without editing this file.
func convergedMethods(topK: Int = 1) -> [any SpectralNormMethod] {
    MethodCatalog.all.filter { $0.id != ReferenceMethod.id }.flatMap { type in
        type.metadata.validationVariants.map { variant in
            try! MethodCatalog.resolve(id: type.id, parameters: variant, context: MethodContext(seed: 0, topK: topK)).method
        }
    }
}
