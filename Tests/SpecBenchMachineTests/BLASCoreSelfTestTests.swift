import Testing
@testable import SpecBenchMachine

/// The comparison that accepts or refuses a core.
@Suite struct BLASCoreSelfTestTests {
    @Test("identical outcomes agree; a float64 value off by 1e-6 or a missing routine is refused; float32 has its own tolerance")
    func comparison() {
        let generic = BLASCoreSelfTest.outcome()
        #expect(generic.segments.count == 16)
        #expect(generic.segments.allSatisfy { !$0.values.isEmpty && $0.values.allSatisfy(\.isFinite) })
        #expect(BLASCoreSelfTest.disagreement(candidate: generic, generic: generic) == nil)

        var wrong = generic
        let index = wrong.segments.firstIndex { $0.routine == "dgesdd" }!
        wrong.segments[index].values[0] *= 1 + 1e-6
        let message = BLASCoreSelfTest.disagreement(candidate: wrong, generic: generic)
        #expect(message?.hasPrefix("dgesdd differs") == true, "\(message ?? "nil")")

        var missing = generic
        missing.segments[3].values = []
        #expect(BLASCoreSelfTest.disagreement(candidate: missing, generic: generic) != nil)

        var rounded = generic
        let single = rounded.segments.firstIndex { $0.routine == "sgemm" }!
        rounded.segments[single].values[0] *= 1 + 1e-6
        #expect(BLASCoreSelfTest.disagreement(candidate: rounded, generic: generic) == nil, "float32 rounding is not a failure")

        var nan = generic
        nan.segments[0].values[1] = .nan
        #expect(BLASCoreSelfTest.disagreement(candidate: nan, generic: generic) != nil)
    }

    @Test("the perturbed outcome (the test seam) is refused")
    func seam() {
        let message = BLASCoreSelfTest.disagreement(candidate: BLASCoreSelfTest.outcome(perturb: true), generic: BLASCoreSelfTest.outcome())
        #expect(message != nil)
    }
}
