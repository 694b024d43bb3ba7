import SpecBenchCore

/// Facts about how this binary was built.
public enum BuildInfo {
    /// `debug` or `release` (SwiftPM defines DEBUG in debug builds).
    public static var configuration: String {
        #if DEBUG
        return "debug"
        #else
        return "release"
        #endif
    }

    /// Whether timings from this binary are comparable (release builds only).
    public static var isRelease: Bool { configuration == "release" }

    /// The compiler version this binary was built with.
    public static var swiftVersion: String {
        #if compiler(>=6.5)
        return "6.5 or later"
        #elseif compiler(>=6.4)
        return "6.4"
        #elseif compiler(>=6.3)
        return "6.3"
        #elseif compiler(>=6.2)
        return "6.2"
        #elseif compiler(>=6.1)
        return "6.1"
        #else
        return "6.0"
        #endif
    }

    /// The warning printed when a debug build runs a sweep.
    public static let debugWarning = """
        WARNING: this is a DEBUG build (`swift run` without `-c release`). Its timings are not \
        comparable with release builds and are recorded as buildConfiguration "debug". \
        Use `swift run -c release bench --sweep` for numbers to publish.
        """
}
