import SpecBenchCore
import ArgumentParser
import Foundation
import SpecBenchCompare
import SpecBenchHarness
import SpecBenchMachine
import SpecBenchResults

/// `bench compare BASELINE NEW`: the performance and accuracy gate.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare two sweep runs point by point and method by method; exit 2 on a regression.",
        discussion: """
            Time: ratio of medians, a regression only when above the threshold and significant by a \
            one-sided Mann-Whitney test over the repetitions. Memory: ratio of peaks. Accuracy: the \
            value must not move (same seed) and a held guarantee must not break. Exit codes: 0 no \
            regression, 2 regression, 4 only improvements, 1 the tool itself failed (a missing or \
            damaged run), 64 bad usage (an unknown option or value).
            """)

    @Argument(help: ArgumentHelp("The baseline run folder.", valueName: "BASELINE"))
    var baseline: String

    @Argument(help: ArgumentHelp("The new run folder.", valueName: "NEW"))
    var new: String

    @Option(name: .long, help: "Threshold preset.")
    var preset: Thresholds.Preset = .default

    @Option(name: .long, help: ArgumentHelp("Override, repeatable: METRIC=VALUE or METHOD.METRIC=VALUE (time, alpha, minimumSeconds, memory, minimumBytes, value).", valueName: "SPEC"),
            transform: ThresholdOverride.argument)
    var threshold: [ThresholdOverride] = []

    @Option(name: .long, help: "Time normalisation: auto (calibration when machines differ), none, calibration, median (run-wide), point (per point).")
    var normalize: RunComparison.Normalization = .auto

    @Option(name: .long, help: "Clock compared: cpu (CPU time of the point's process; steady on shared machines) or wall.")
    var clock: RunComparison.Clock = .cpu

    @Option(name: .long, help: "Report format.")
    var format: ComparisonFormatter.Format = .text

    @Option(name: .long, help: ArgumentHelp("Also write the report to this file.", valueName: "PATH"))
    var output: String?

    func run() throws {
        // Bad options are bad usage (64), like everywhere else; only comparing runs can be a
        // failure of the tool (1).
        var thresholds = preset.thresholds
        for item in threshold { thresholds.apply(item) }
        let report: RunComparison.Report
        let rendered: String
        do {
            report = try RunComparison(thresholds: thresholds, normalization: normalize, clock: clock,
                                       sharedComponents: SharedComponents.fromCatalog, expecting: SweepExpectation.standard)
                .compare(baseline: baseline, new: new)
            rendered = ComparisonFormatter.render(report, format: format, baseline: baseline, new: new)
            if let output { try Data(rendered.utf8).write(to: URL(fileURLWithPath: output)) }
        } catch let unknown as Thresholds.UnknownMethod {
            // Bad usage, found once the runs are read: 64 like the other bad options.
            Log.error("error: \(unknown)")
            throw ExitStatus.badInput.exitCode
        } catch {
            Log.error("error: \(error)")
            throw ExitStatus.toolFailure.exitCode
        }
        print(rendered, terminator: "")
        if report.exitStatus != .success { throw report.exitStatus.exitCode }
    }
}

/// `bench baseline update`: rewrite the committed CI baseline on purpose.
struct BaselineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baseline", abstract: "Manage the committed performance baseline.",
        subcommands: [Update.self, Source.self])

    struct Update: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "update",
            abstract: "Run the CI sweep and replace the baseline with it (release builds only).")

        @Option(name: .long, help: ArgumentHelp("The sweep config of the gate.", valueName: "PATH.yaml"))
        var config: String = "bench-configs/ci.yaml"

        @Option(name: .long, help: ArgumentHelp("The baseline folder.", valueName: "DIR"))
        var output: String = "results/ci-baseline"

        func run() throws {
            try reportingInvalidInput {
                guard BuildInfo.isRelease else {
                    throw InvalidInput("a baseline must come from a release build: run `swift run -c release bench baseline update`")
                }
                var options = SweepRunner.Options(configPath: config)
                options.output = output
                options.restart = true
                options.faults = .fromEnvironment()
                let outcome = try SweepRunner.run(options, log: { Log.error($0) })
                Log.error("baseline updated: \(outcome.records.count) results in \(output); commit it to make it the gate's reference")
                print(output)
            }
        }
    }

    /// `bench baseline source`: whether the committed baseline was measured on this machine (CPU
    /// model, OpenBLAS core, nominal peak: `MachineIdentity`), and from which commit, so that CI can rebuild and rerun the baseline's commit
    /// when it was not (a change of machine must neither fail nor pass the gate by itself).
    struct Source: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "source",
            abstract: "Print the baseline's commit; exit 0 if it was measured on this machine (CPU model, OpenBLAS core, nominal peak), 5 if not.",
            discussion: "Exit 5 (another machine) prints the commit to rebuild on stdout; exit 1 when the baseline names no clean commit.")

        @Option(name: .long, help: ArgumentHelp("The baseline folder.", valueName: "DIR"))
        var baseline: String = "results/ci-baseline"

        func run() throws {
            let manifest: RunManifest
            do {
                manifest = try RunDirectory.readManifest(RunDirectory(path: baseline).manifestURL)
            } catch {
                Log.error("error: cannot read the baseline's manifest in \(baseline): \(error)")
                throw ExitStatus.toolFailure.exitCode
            }
            let there = MachineIdentity(manifest)
            let nominal = NominalPeak.measure(features: CPUFeatures.current(), cores: manifest.calibration?.peaks?.blasThreads ?? 1)
            let here = MachineIdentity(cpuModel: MachineContext.currentCPUModel, blasCore: BLASCoreSelection.current.inUse,
                                       nominalFloat64: nominal.map { $0.float64 / Double($0.cores) })
            guard let commit = manifest.context.gitCommit, manifest.context.gitDirty == false else {
                Log.error("the baseline in \(baseline) names no clean commit (measured on \(there.cpuModel)); it cannot be rebuilt")
                throw ExitStatus.toolFailure.exitCode
            }
            print(commit)
            if let difference = there.difference(from: here) {
                Log.error("the baseline was measured on another machine (baseline against this one: \(difference)): rebuild \(commit) and rerun its sweep here")
                throw ExitStatus.otherMachine.exitCode
            }
            Log.error("the baseline was measured on this machine (\(here.cpuModel), OpenBLAS core \(here.blasCore ?? "unknown")) at \(commit)")
        }
    }
}
