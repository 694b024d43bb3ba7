import COpenBLAS

/// The kernel set ("core") the loaded OpenBLAS runs: chosen from cpuid when the library loads,
/// or from `OPENBLAS_CORETYPE` when that is set then (platform.md).
public enum OpenBLASCore {
    /// The variable OpenBLAS reads at load time to force a core.
    public static let variable = "OPENBLAS_CORETYPE"

    /// The core in use, as `openblas_get_corename()` names it (`Cooperlake`, `Prescott`, …).
    public static var loaded: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }

    /// OpenBLAS's build configuration string with the core's name left out, so that it names the
    /// library build (version, options) whatever core is in use.
    public static var buildConfiguration: String {
        guard let text = openblas_get_config() else { return "unknown" }
        let core = loaded
        return String(cString: text).split(separator: " ").filter { $0 != core }.joined(separator: " ")
    }
}
