/// Elementary functions built from IEEE-754 basic operations only, so that their results are
/// bit-identical on every machine (libm's `log` may differ in the last place between C
/// libraries). Used by the seeded random generator: a seed reproduces the same kernel everywhere.
public enum PortableMath {
    /// Natural logarithm of a positive finite `x`, accurate to a few ulp. O(1).
    ///
    /// `x = m·2^e` with `m ∈ [√½, √2)`; `log m = 2·atanh(z)`, `z = (m − 1)/(m + 1)`, summed as an
    /// odd series in `z` (|z| < 0.1716, 24 terms reach double precision).
    public static func log(_ x: Double) -> Double {
        precondition(x > 0 && x.isFinite, "log needs a positive finite argument")
        var exponent = x.exponent
        var mantissa = x.significand  // in [1, 2)
        if mantissa > 1.4142135623730951 {
            mantissa /= 2
            exponent += 1
        }
        let z = (mantissa - 1) / (mantissa + 1)
        let z2 = z * z
        var term = z
        var sum = 0.0
        var k = 1.0
        for _ in 0..<24 {
            sum += term / k
            term *= z2
            k += 2
        }
        let ln2 = 0.6931471805599453
        return 2 * sum + Double(exponent) * ln2
    }
}
