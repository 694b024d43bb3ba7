import SpecBenchCore
import ProcessControl
import ArgumentParser
import Foundation
import NumericCore
import SpecBenchHarness
import SpecBenchMachine
import SpecBenchResults

/// The `bench` command line: parses arguments and calls the libraries.
@main
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmark harness for the spectral norm of convolutional layers.",
        discussion: """
            `bench --sweep [PATH]` runs a sweep (default: bench-configs/default.yaml).
            `bench estimate` runs methods on one operator and prints JSON or a table.
            """,
        subcommands: [EstimateCommand.self, ClipCommand.self, SubmitCommand.self, MethodsCommand.self, ModelCommand.self, MachineCommand.self, SweepCommand.self, ReportCommand.self,
                      SummaryCommand.self,
                      CompareCommand.self, BaselineCommand.self, MergeCommand.self, RunPointCommand.self, BLASSelfTestCommand.self])

    /// `bench --sweep [PATH]` is spelled as a flag; it is rewritten to `bench sweep [--config PATH]`.
    static func main() {
        // A stream the caller closed is reopened on /dev/null before any file is opened, so that
        // no file takes its number (StandardStreams).
        StandardStreams.reopenClosedDescriptors()
        // Before anything is measured, OpenBLAS must run the best kernels this CPU can run (after
        // a self-test) with idle threads that sleep, not spin: this may execute the program again
        // with OPENBLAS_CORETYPE and OPENBLAS_THREAD_TIMEOUT set (BLASCoreSelection).
        BLASCoreSelection.prepareProcess(log: { Log.error($0) })
        var arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == "--sweep" {
            arguments.removeFirst()
            if let path = arguments.first, !path.hasPrefix("-") {
                arguments.removeFirst()
                arguments = ["sweep", "--config", path] + arguments
            } else {
                arguments = ["sweep"] + arguments
            }
        }
        // A bench process runs one computation at a time (a point, an estimate, a calibration):
        // it may adapt OpenBLAS's thread count to each problem (ThreadControl).
        ThreadControl.adaptsToProblemSize = true
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
            // Output that could not be written is a failure, not a success (`> /dev/full`).
            try StandardStreams.finishOutput()
        } catch let failure as StandardStreams.OutputFailure {
            StandardStreams.writeError("error: \(failure)\n")
            exit(withError: ExitStatus.toolFailure.exitCode)
        } catch let failure as WriteFailure {
            StandardStreams.writeError("error: \(failure)\n")
            exit(withError: ExitStatus.toolFailure.exitCode)
        } catch let failure as CocoaError where failure.isFileError {
            // A file that could not be written or read midway (a full disk): one line, exit 1;
            // what was written before stays (a sweep continues with --resume).
            StandardStreams.writeError("error: \(Self.describe(failure))\n")
            exit(withError: ExitStatus.toolFailure.exitCode)
        } catch {
            // Bad usage (an unknown option, a malformed value): one line, exit 64, like every
            // other bad input; help and our own exit statuses as the parser gives them.
            if !(error is ExitCode), exitCode(for: error) == ExitStatus.badInput.exitCode {
                StandardStreams.writeError("error: \(message(for: error).split(separator: "\n").first.map(String.init) ?? "bad usage")\n")
                Foundation.exit(ExitStatus.badInput.rawValue)
            }
            exit(withError: error)
        }
    }
}

extension Bench {
    /// One line for a Foundation file error: the path and the system's reason.
    static func describe(_ failure: CocoaError) -> String {
        let path = (failure.userInfo[NSFilePathErrorKey] as? String) ?? failure.filePath ?? failure.url?.path ?? "a file"
        let reason = (failure.userInfo[NSUnderlyingErrorKey] as? NSError).map { String(cString: strerror(Int32($0.code))) }
        return "cannot write or read '\(path)': \(reason ?? failure.localizedDescription)".replacingOccurrences(of: "\n", with: " ")
    }
}

/// Runs `body`, turning `InvalidInput` into a message on stderr and exit code 64 (EX_USAGE).
func reportingInvalidInput<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as InvalidInput {
        StandardStreams.writeError("error: \(error.message)\n")
        throw ExitStatus.badInput.exitCode
    }
}

extension ExitStatus {
    /// The status as the argument parser's exit code.
    var exitCode: ExitCode { ExitCode(rawValue) }
}
