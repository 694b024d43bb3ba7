/// The floating-point precision a method computes in: the `precision` axis of a run.
///
/// `float64` (`Double`: BLAS `d`/`z`, LAPACKE `d`/`z`, FFTW `fftw_`) is the default and the
/// precision of the exact reference; `float32` (`Float`: `s`/`c`, `fftwf_`) is the precision the
/// methods' authors and trained networks use (docs/methods.md §2 lists each author's precision). A
/// method is written once, generic over `LinearAlgebraScalar`; this value picks the instance.
public enum Precision: String, Codable, Sendable, CaseIterable, Hashable, Comparable {
    /// IEEE double precision, 53-bit significand.
    case float64
    /// IEEE single precision, 24-bit significand.
    case float32

    /// Bytes of one real number.
    public var bytesPerReal: Int {
        switch self {
        case .float64: MemoryLayout<Double>.size
        case .float32: MemoryLayout<Float>.size
        }
    }

    /// The relative rounding slack with which a value computed in this precision is judged
    /// against the float64 exact reference (`Guarantee.isHeld`): 1e-9 in float64; 1e-5 in
    /// float32, about 170 unit roundoffs, room for the k²·cin-term sums of the symbol and the
    /// factorisations at 512 channels (docs/precision.md). A float32 `exact` value is exact to
    /// that slack, and an `upper` bound may sit that much below σ by rounding alone.
    public var guaranteeSlack: Double {
        switch self {
        case .float64: 1e-9
        case .float32: 1e-5
        }
    }

    /// The precision of the scalar type `Scalar`.
    public static func of<Scalar: LinearAlgebraScalar>(_ scalar: Scalar.Type) -> Precision {
        Scalar.self == Float.self ? .float32 : .float64
    }

    /// float64 first.
    public static func < (left: Precision, right: Precision) -> Bool {
        allCases.firstIndex(of: left)! < allCases.firstIndex(of: right)!
    }
}

extension LinearAlgebraScalar {
    /// This type's precision.
    @inlinable
    public static var precision: Precision { Self.self == Float.self ? .float32 : .float64 }

    /// Doubles rounded to this precision (no copy for `Double`). O(count).
    @inlinable
    public static func rounding(_ values: [Double]) -> [Self] {
        if Self.self == Double.self { return unsafeBitCast(values, to: [Self].self) }
        // Concrete Float conversion: the generic `Self($0)` went through BinaryFloatingPoint's
        // witness per entry, a third of a float32 operator's set-up at c = 256.
        if Self.self == Float.self { return unsafeBitCast(values.map { Float($0) }, to: [Self].self) }
        return values.map { Self($0) }
    }

    /// `values` (in any precision) rounded to this precision: as `rounding(_:)` from their
    /// float64 values; the identity when both are the same. O(count).
    public static func rounding<Source: LinearAlgebraScalar>(from values: [Source]) -> [Self] {
        if Source.self == Self.self { return unsafeBitCast(values, to: [Self].self) }
        if Source.self == Double.self { return rounding(unsafeBitCast(values, to: [Double].self)) }
        return rounding(values.map(\.doubleValue))
    }

    /// This value as a `Double` (exact for both precisions).
    @inlinable
    public var doubleValue: Double { Double(self) }
}
