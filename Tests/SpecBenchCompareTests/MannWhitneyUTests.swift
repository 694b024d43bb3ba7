import Foundation
import Testing
@testable import SpecBenchCompare

@Suite("Mann–Whitney U")
struct MannWhitneyUTests {
    @Test("exact tails match counting by hand")
    func exactTails() {
        // Complete separation of 3 vs 3: only 1 of C(6,3) = 20 rank arrangements has U = 9.
        #expect(abs(MannWhitneyU.pGreater([4, 5, 6], [1, 2, 3]) - 1.0 / 20) < 1e-15)
        // 7 vs 7 separated: 1 / C(14, 7) = 1/3432.
        let low = (1...7).map(Double.init), high = low.map { $0 + 10 }
        #expect(abs(MannWhitneyU.pGreater(high, low) - 1.0 / 3432) < 1e-15)
        // The other direction is certain.
        #expect(MannWhitneyU.pGreater(low, high) == 1)
        // 2 vs 2 with one overlap: x = {2, 4}, y = {1, 3}: U = 3; arrangements with U ≥ 3 are
        // {3, 4} (U = 4) and {2, 4} (U = 3) of C(4, 2) = 6.
        #expect(abs(MannWhitneyU.pGreater([2, 4], [1, 3]) - 2.0 / 6) < 1e-15)
    }

    @Test("the normal approximation is close to the exact tail for 20 vs 20 away from the extremes")
    func normalApproximation() {
        for shift in [1.5, 2.5, 3.5] {
            let y = (0..<20).map(Double.init), x = y.map { $0 + shift }
            let u = MannWhitneyU.statistic(x, y)
            let exact = MannWhitneyU.exactUpperTail(u: u, m: 20, n: 20)
            let approximate = MannWhitneyU.normalUpperTail(u: u, x: x, y: y)
            #expect(abs(exact - approximate) < 0.05 * exact, "shift \(shift): exact \(exact), normal \(approximate)")
        }
    }

    @Test("ties are handled by the normal approximation")
    func ties() {
        #expect(MannWhitneyU.pGreater([1, 1, 1], [1, 1, 1]) >= 0.4)
        #expect(MannWhitneyU.pGreater([2, 2, 2, 2, 2], [1, 1, 1, 1, 1]) < 0.01)
    }
}
