import Foundation
import NumericCore
import SpecBenchCore

/// A fast check that an OpenBLAS core computes what the generic core computes, before specbench
/// trusts it: real and complex gemm, gemv, a dot product, values-only real and complex SVDs
/// (gesdd) and a symmetric eigensolver (syevd), in float64 and float32, on seeded matrices whose
/// odd sizes reach the kernels' edge cases. The core is fixed when the library loads, so each
/// core computes in a child process (`bench blas-self-test`, `outcome(core:)`); the parent
/// compares the two. About 10 ms of work per core.
public enum BLASCoreSelfTest {
    /// The hidden subcommand that computes the workload with the core this process loaded.
    public static let command = "blas-self-test"
    /// The generic core every candidate is compared with.
    public static let genericCore = "Prescott"
    /// Test seam, read only by the self-test child: `fail` perturbs the child's first result by
    /// 1e-3 relative, so that the comparison refuses the core (a core that computes wrong values).
    public static let failureSeam = "SPECBENCH_TEST_BLAS_SELF_TEST"

    /// Largest relative difference accepted, of the largest magnitude in a segment: float64
    /// kernels differ from one another in summation order only (about 1e-15 here).
    public static let tolerance64 = 1e-10
    /// The same for float32 (about 1e-7 here).
    public static let tolerance32 = 1e-4

    /// What one core computed.
    public struct Outcome: Codable, Sendable, Equatable {
        /// The core OpenBLAS loaded in the child (`openblas_get_corename`).
        public var core: String
        /// Named results, each in its precision.
        public var segments: [Segment]
    }

    /// One routine's results.
    public struct Segment: Codable, Sendable, Equatable {
        /// `dgemm`, `sgesdd`, …
        public var routine: String
        /// Whether the routine computed in float32 (judged against `tolerance32`).
        public var float32: Bool
        /// Its results, widened to Double.
        public var values: [Double]
    }

    /// The workload, computed with the core this process loaded. `perturb` (the test seam) spoils
    /// the first value.
    public static func outcome(perturb: Bool = false) -> Outcome {
        var segments = segments(Double.self) + segments(Float.self)
        if perturb, !segments.isEmpty, !segments[0].values.isEmpty { segments[0].values[0] *= 1 + 1e-3 }
        return Outcome(core: OpenBLASCore.loaded, segments: segments)
    }

    private static func segments<Scalar: LinearAlgebraScalar>(_ type: Scalar.Type) -> [Segment] {
        let p = Scalar.self == Float.self ? "s" : "d", q = Scalar.self == Float.self ? "c" : "z"
        let float32 = Scalar.self == Float.self
        var generator = SeededGenerator(seed: 20_261_205, stream: "blas-self-test")
        func draw(_ count: Int) -> [Scalar] { Scalar.rounding((0..<count).map { _ in generator.nextUniform() - 0.5 }) }
        func widen(_ values: [Scalar]) -> [Double] { values.map { Double($0) } }
        var out: [Segment] = []

        let (m, n, k) = (97, 83, 61)
        let a = draw(m * k), b = draw(k * n)
        var c = [Scalar](repeating: 0, count: m * n)
        BLAS.multiply(rows: m, columns: n, inner: k, a: a, b: b, into: &c)
        out.append(Segment(routine: p + "gemm", float32: float32, values: widen(c)))
        var ct = [Scalar](repeating: 0, count: k * k)
        BLAS.multiply(rows: k, columns: k, inner: m, a: a, transposeA: true, b: a, into: &ct)
        out.append(Segment(routine: p + "gemm (transposed)", float32: float32, values: widen(ct)))

        let (zm, zn, zk) = (45, 37, 29)
        let za = ComplexBuffer<Scalar>(interleaved: draw(2 * zm * zk)), zb = ComplexBuffer<Scalar>(interleaved: draw(2 * zk * zn))
        var zc = ComplexBuffer<Scalar>(count: zm * zn)
        BLAS.complexMultiply(rows: zm, columns: zn, inner: zk, a: za, b: zb, into: &zc)
        out.append(Segment(routine: q + "gemm", float32: float32, values: zc.withUnsafeScalars { widen(Array($0)) }))

        let (vm, vn) = (131, 77)
        let va = draw(vm * vn), vx = draw(vn), vy = draw(vm)
        var y = [Scalar](repeating: 0, count: vm), yt = [Scalar](repeating: 0, count: vn)
        BLAS.multiplyVector(rows: vm, columns: vn, a: va, x: vx, into: &y)
        BLAS.multiplyVector(rows: vm, columns: vn, a: va, transpose: true, x: vy, into: &yt)
        out.append(Segment(routine: p + "gemv", float32: float32, values: widen(y + yt)))
        out.append(Segment(routine: p + "dot", float32: float32, values: [Double(BLAS.dot(va, va))]))

        let svd = Matrix<Scalar>(rows: 60, columns: 40, elements: draw(60 * 40))
        out.append(Segment(routine: p + "gesdd", float32: float32, values: widen((try? LAPACK.singularValues(of: svd)) ?? [])))
        let zsvd = ComplexBuffer<Scalar>(interleaved: draw(2 * 24 * 20))
        out.append(Segment(routine: q + "gesdd", float32: float32,
                           values: widen((try? LAPACK.complexSingularValues(rows: 24, columns: 20, elements: zsvd)) ?? [])))

        let order = 48
        let s = draw(order * order)
        var symmetric = s
        for i in 0..<order { for j in 0..<order { symmetric[i * order + j] = s[i * order + j] + s[j * order + i] } }
        let eigen = try? LAPACK.symmetricEigen(of: Matrix(rows: order, columns: order, elements: symmetric))
        out.append(Segment(routine: p + "syevd", float32: float32, values: widen(eigen?.values ?? [])))
        return out
    }

    /// Nil when `candidate` agrees with `generic` everywhere, otherwise the first disagreement,
    /// named. A missing or empty segment (a routine that failed) is a disagreement.
    public static func disagreement(candidate: Outcome, generic: Outcome) -> String? {
        guard candidate.segments.count == generic.segments.count else {
            return "\(candidate.segments.count) results against the generic core's \(generic.segments.count)"
        }
        for (x, g) in zip(candidate.segments, generic.segments) {
            guard x.routine == g.routine, x.values.count == g.values.count, !g.values.isEmpty else {
                return "\(g.routine): \(x.values.count) values against \(g.values.count)"
            }
            guard x.values.allSatisfy(\.isFinite) else { return "\(g.routine) gave a non-finite value" }
            let scale = g.values.map(abs).max() ?? 0
            let worst = zip(x.values, g.values).map { abs($0 - $1) }.max() ?? 0
            let relative = scale > 0 ? worst / scale : worst
            let tolerance = g.float32 ? tolerance32 : tolerance64
            guard relative.isFinite, relative <= tolerance else {
                return "\(g.routine) differs from \(genericCore)'s by \(String(format: "%.2g", relative)) (relative; accepted: \(tolerance))"
            }
        }
        return nil
    }
}
