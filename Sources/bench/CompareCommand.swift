import ArgumentParser
import Foundation
import SpecBenchCompare
import SpecBenchHarness

/// `bench compare BASELINE NEW`: the performance and accuracy gate.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare two sweep runs point by point and method by method; exit 2 on a regression.",
        discussion: """
            Time: ratio of medians, a regression only when above the threshold and significant by a \
            one-sided Mann-Whitney test over the repetitions. Memory: ratio of peaks. Accuracy: the \
            value must not move (same seed) and a held guarantee must not break. Exit codes: 0 no \
            regression, 2 regression, 4 only improvements, 1 the tool itself failed.
            """)

    @Argument(help: ArgumentHelp("The baseline run folder.", valueName: "BASELINE"))
    var baseline: String

    @Argument(help: ArgumentHelp("The new run folder.", valueName: "NEW"))
    var new: String

    @Option(name: .long, help: "Threshold preset: strict, default or relaxed.")
    var preset: String = "default"

    @Option(name: .long, help: ArgumentHelp("Override, repeatable: METRIC=VALUE or METHOD.METRIC=VALUE (time, alpha, minimumSeconds, memory, minimumBytes, value).", valueName: "SPEC"))
    var threshold: [String] = []

    @Option(name: .long, help: "Time normalisation: auto (calibration when machines differ), none, calibration, median (run-wide), point (per point).")
    var normalize: String = "auto"

    @Option(name: .long, help: "Clock compared: cpu (CPU time of the point's process; steady on shared machines) or wall.")
    var clock: String = "cpu"

    @Option(name: .long, help: "Report format: text or markdown.")
    var format: String = "text"

    @Option(name: .long, help: ArgumentHelp("Also write the report to this file.", valueName: "PATH"))
    var output: String?

    func run() throws {
        let report: RunComparison.Report
        let rendered: String
        do {
            var thresholds = try Thresholds.preset(preset)
            for item in threshold { try thresholds.apply(item) }
            guard let normalization = RunComparison.Normalization(rawValue: normalize) else {
                throw InvalidInputError("unknown --normalize '\(normalize)'; accepted: auto, none, calibration, median, point")
            }
            guard let timeClock = RunComparison.Clock(rawValue: clock) else {
                throw InvalidInputError("unknown --clock '\(clock)'; accepted: cpu, wall")
            }
            guard let outputFormat = ComparisonFormatter.Format(rawValue: format) else {
                throw InvalidInputError("unknown --format '\(format)'; accepted: text, markdown")
            }
            report = try RunComparison(thresholds: thresholds, normalization: normalization, clock: timeClock)
                .compare(baseline: baseline, new: new)
            rendered = ComparisonFormatter.render(report, format: outputFormat, baseline: baseline, new: new)
            if let output { try Data(rendered.utf8).write(to: URL(fileURLWithPath: output)) }
        } catch {
            Log.error("error: \(error)")
            throw ExitCode(1)
        }
        print(rendered, terminator: "")
        if report.exitCode != 0 { throw ExitCode(report.exitCode) }
    }
}

/// `bench baseline update`: rewrite the committed CI baseline on purpose.
struct BaselineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baseline", abstract: "Manage the committed performance baseline.",
        subcommands: [Update.self])

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
                    throw InvalidInputError("a baseline must come from a release build: run `swift run -c release bench baseline update`")
                }
                var options = SweepRunner.Options(configPath: config)
                options.output = output
                options.restart = true
                let outcome = try SweepRunner.run(options, log: { Log.error($0) })
                Log.error("baseline updated: \(outcome.records.count) results in \(output); commit it to make it the gate's reference")
                print(output)
            }
        }
    }
}
