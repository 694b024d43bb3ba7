import SpecBenchCore
import Foundation

/// The Mann–Whitney U test (Wilcoxon rank-sum), used by `bench compare` to tell a real slowdown
/// from noise over the repetitions of a measurement (as airspeed velocity does).
///
/// `U` counts the pairs `(x, y)` with `x > y` (ties count ½). For samples of up to 20 each the
/// one-sided p-value comes from the exact null distribution (dynamic programming over rank
/// sums, O(m·n·mn)); larger samples use the normal approximation with tie correction.
public enum MannWhitneyU {
    /// The one-sided p-value of the hypothesis that values in `x` tend to be larger than in `y`.
    public static func pGreater(_ x: [Double], _ y: [Double]) -> Double {
        let m = x.count, n = y.count
        guard m > 0, n > 0 else { return 1 }
        let u = statistic(x, y)
        let hasTies = Set(x + y).count < m + n
        if m <= 20 && n <= 20 && !hasTies {
            return exactUpperTail(u: u, m: m, n: n)
        }
        return normalUpperTail(u: u, x: x, y: y)
    }

    /// `U` for `x` over `y`: pairs with `x > y`, ties counted ½.
    public static func statistic(_ x: [Double], _ y: [Double]) -> Double {
        var u = 0.0
        for a in x {
            for b in y {
                if a > b { u += 1 } else if a == b { u += 0.5 }
            }
        }
        return u
    }

    /// P(U ≥ u) under the null hypothesis, exactly (no ties).
    static func exactUpperTail(u: Double, m: Int, n: Int) -> Double {
        // counts[k][s]: number of arrangements of k x-values among the first positions with U = s,
        // built by the recurrence N(m, n, u) = N(m − 1, n, u − n) + N(m, n − 1, u).
        let maxU = m * n
        var table = [[Double]](repeating: [Double](repeating: 0, count: maxU + 1), count: (m + 1) * (n + 1))
        func index(_ i: Int, _ j: Int) -> Int { i * (n + 1) + j }
        for i in 0...m {
            for j in 0...n {
                if i == 0 || j == 0 {
                    table[index(i, j)][0] = 1
                    continue
                }
                for s in 0...(i * j) {
                    var count = table[index(i, j - 1)][s]
                    if s >= j { count += table[index(i - 1, j)][s - j] }
                    table[index(i, j)][s] = count
                }
            }
        }
        let distribution = table[index(m, n)]
        let total = distribution.reduce(0, +)
        let threshold = Int(u.rounded(.up))
        let tail = distribution[min(threshold, maxU)...].reduce(0, +)
        return threshold > maxU ? 0 : tail / total
    }

    /// P(U ≥ u) by the normal approximation with tie and continuity corrections.
    static func normalUpperTail(u: Double, x: [Double], y: [Double]) -> Double {
        let m = Double(x.count), n = Double(y.count)
        let all = (x + y).sorted()
        var tieTerm = 0.0
        var i = 0
        while i < all.count {
            var j = i
            while j + 1 < all.count && all[j + 1] == all[i] { j += 1 }
            let t = Double(j - i + 1)
            tieTerm += t * t * t - t
            i = j + 1
        }
        let total = m + n
        let variance = m * n / 12 * ((total + 1) - tieTerm / (total * (total - 1)))
        guard variance > 0 else { return 0.5 }
        let z = (u - m * n / 2 - 0.5) / variance.squareRoot()
        return 0.5 * erfc(z / 2.0.squareRoot())
    }
}
