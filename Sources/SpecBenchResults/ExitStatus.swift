import SpecBenchCore

/// The exit status of every `bench` command, in one place (the README's exit-code table).
///
/// 64 is bad usage or bad input everywhere (EX_USAGE, also what the argument parser uses for an
/// unknown option or value); 1 is the tool itself failing; the rest are outcomes a script may
/// branch on.
public enum ExitStatus: Int32, Sendable, CaseIterable {
    /// Success.
    case success = 0
    /// The tool failed (e.g. `compare` on a missing or damaged run), or its output could not be
    /// written (a full disk or a closed pipe on stdout: "error: writing to standard output failed").
    case toolFailure = 1
    /// `compare`: a regression.
    case regression = 2
    /// `sweep`: finished, but some method ended in `error` (summary on stderr).
    case methodErrors = 3
    /// `compare`: improvements only.
    case improvementsOnly = 4
    /// `baseline source`: the baseline was measured on another machine (CPU model, OpenBLAS
    /// core, nominal peak); its commit is on stdout, to rebuild and rerun here.
    case otherMachine = 5
    /// Bad usage or bad input, with a one-line message naming the value and what is accepted.
    case badInput = 64

    /// The status of a process stopped by `signal` (SIGINT 130, SIGTERM 143), for `--resume`.
    public static func interrupted(bySignal signal: Int32) -> Int32 { 128 + signal }
}
