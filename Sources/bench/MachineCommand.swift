import SpecBenchCore
import ProcessControl
import ArgumentParser
import Foundation
import NumericCore
import SpecBenchHarness
import SpecBenchMachine
import SpecBenchResults

/// `bench machine`: what the tool sees of this machine and what it will do (`MachineDescription`).
struct MachineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "machine",
        abstract: "Print the CPU, the OpenBLAS core in use and why, FFTW, threads, calibrated and nominal peaks, and warnings.")

    /// Output formats.
    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Option(name: .long, help: "Output format.")
    var format: Format = .text

    @Option(name: .long, help: ArgumentHelp("Threads for BLAS and FFTW (default: every core).", valueName: "N"))
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(name: .long, help: "Skip the calibrated peaks (about 0.7 s).")
    var noCalibration = false

    func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads \(threads): give a whole number of threads, 1 or more") }
    }

    func run() throws {
        let description = MachineDescription.current(threads: threads, calibrate: !noCalibration)
        switch format {
        case .text: print(description.text)
        case .json: print(String(decoding: try JSONCoding.prettyEncoder.encode(description), as: UTF8.self))
        }
    }
}

/// `bench blas-self-test` (internal): the self-test workload with the OpenBLAS core this process
/// loaded, as JSON on stdout (`BLASCoreSelfTest`).
struct BLASSelfTestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: BLASCoreSelfTest.command, abstract: "Internal: compute the OpenBLAS self-test with the loaded core.",
        shouldDisplay: false)

    func run() throws {
        // The test seam spoils the candidate's results only, never the generic core's.
        let perturb = ProcessInfo.processInfo.environment[BLASCoreSelfTest.failureSeam] == "fail"
            && OpenBLASCore.loaded.lowercased() != BLASCoreSelfTest.genericCore.lowercased()
        let data = try JSONEncoder().encode(BLASCoreSelfTest.outcome(perturb: perturb))
        try StandardStreams.writeOutput(data)
    }
}
