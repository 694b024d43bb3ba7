import Foundation
import Testing
@testable import SpecBenchMachine

@Suite struct MachineWarningsTests {
    static let bestCore = BLASCoreReport(inUse: "Cooperlake", detected: "Cooperlake", best: "Cooperlake", origin: .detected,
                                         selfTest: nil, weaker: false, note: "")

    func file(_ text: String) -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("specbench-warn-\(UUID().uuidString)").path
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }

    @Test("a quiet release run on the best core warns about nothing")
    func quiet() {
        let warnings = MachineWarnings.collect(threads: 2, release: true, blasCore: Self.bestCore, cores: 2,
                                               loadAveragePath: file("0.10 0.20 0.30 1/100 42\n"), governorPath: file("performance\n"))
        #expect(warnings.isEmpty, "\(warnings)")
    }

    @Test("each condition gives its warning")
    func each() {
        var weak = Self.bestCore
        weak.inUse = "Prescott"
        weak.weaker = true
        weak.origin = .caller
        let warnings = MachineWarnings.collect(threads: 4, release: false, blasCore: weak, cores: 2,
                                               loadAveragePath: file("1.90 1.0 1.0 1/100 42\n"), governorPath: file("powersave\n"))
        #expect(warnings.count == 5, "\(warnings)")
        #expect(warnings.contains { $0.contains("Prescott") && $0.contains("weaker") })
        #expect(warnings.contains { $0.contains("debug build") })
        #expect(warnings.contains { $0.contains("4 threads asked for on 2 cores") })
        #expect(warnings.contains { $0.contains("load average 1.90") })
        #expect(warnings.contains { $0.contains("'powersave'") })
    }

    @Test("missing files (no cpufreq under a hypervisor) are not warnings")
    func missing() {
        let warnings = MachineWarnings.collect(threads: 1, release: true, blasCore: Self.bestCore, cores: 2,
                                               loadAveragePath: "/nonexistent/loadavg", governorPath: "/nonexistent/governor")
        #expect(warnings.isEmpty)
    }
}
