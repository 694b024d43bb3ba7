import Testing
import SpecBenchResults

/// "Another machine" for the gate: CPU model, OpenBLAS core, nominal peak.
@Suite struct MachineIdentityTests {
    let epyc = MachineIdentity(cpuModel: "AMD EPYC", blasCore: "Cooperlake", nominalFloat64: 58.9e9)

    @Test("the same CPU, core and nominal peak (within the clock's noise) is the same machine")
    func same() {
        #expect(epyc.difference(from: MachineIdentity(cpuModel: "AMD EPYC", blasCore: "cooperlake", nominalFloat64: 56e9)) == nil)
        #expect(epyc.difference(from: MachineIdentity(cpuModel: "AMD EPYC", blasCore: nil, nominalFloat64: nil)) == nil, "an older run compares on what it has")
    }

    @Test("another BLAS core on the same CPU is another machine")
    func core() {
        let generic = MachineIdentity(cpuModel: "AMD EPYC", blasCore: "Prescott", nominalFloat64: 58.9e9)
        #expect(epyc.difference(from: generic)?.contains("OpenBLAS core Cooperlake against Prescott") == true)
    }

    @Test("another nominal peak or CPU model is another machine")
    func nominal() {
        #expect(epyc.difference(from: MachineIdentity(cpuModel: "AMD EPYC", blasCore: "Cooperlake", nominalFloat64: 40e9))?.contains("nominal peak") == true)
        #expect(epyc.difference(from: MachineIdentity(cpuModel: "Intel(R) Xeon(R) Processor", blasCore: "Cooperlake", nominalFloat64: 58.9e9))?.contains("CPU") == true)
    }
}
