import SpecBenchCore
import SpecBenchMethods
import TestSupport

/// Runs a method on an operator the way the harness does: applicability, prepare, run.
func outcome(_ method: some SpectralNormMethod, _ op: ConvolutionOperator<Double>, topK: Int = 1, seed: UInt64 = 0) throws -> MethodOutcome {
    let context = MethodContext(seed: seed, topK: topK)
    return try method.prepare(op, context: context).run()
}

/// The guarantee table of methods.md §3, transcribed: `nil` means not applicable.
func documentedGuarantee(_ id: String, padding: Padding, stride: Int, shape: KernelShape) -> Guarantee? {
    switch id {
    case "reference": return .exact
    case "power-iteration", "powerqr": return .lower
    case "sedghi": return padding == .circular ? .exact : .estimate
    case "gram-circular": return padding == .circular ? .upper : .estimate
    case "gram-zero", "fantastic-four", "tn-bound": return .upper
    case "lipbound": return shape.height == shape.width && shape.height % 2 == 1 ? .upper : nil
    default: fatalError("unknown method \(id)")
    }
}

/// Every method with parameters that make iterative bounds converge on small kernels.
func convergedMethods(topK: Int = 1) -> [any SpectralNormMethod] {
    [
        PowerIterationMethod(iterations: 3000),
        PowerQRMethod(k: topK, iterations: 3000),
        GramCircularMethod(iterations: 6),
        GramZeroMethod(iterations: 4),
        GramZeroMethod(iterations: 4, side: .smaller),
        SedghiMethod(),
        LipBoundMethod(samples: 50),
        LipBoundMethod(samples: 50, version: .v2),
        FantasticFourMethod(exact: true),
        TensorNormMethod(iterations: 500, restarts: 10),
    ]
}
