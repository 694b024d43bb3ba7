import SpecBenchCore
import NumericCore
import SpecBenchMethods

/// The gnuplot style of a method: its color and point type as declared in its metadata
/// (`MethodMetadata.style`), so that a method looks the same in every figure, and a dash type
/// per precision (float64 solid, float32 dashed).
enum MethodStyle {
    /// The gnuplot style of `method` in `precision`: `lc rgb "#…" pt N dt D`; grey for an id
    /// the catalog does not know (a run recorded by another version).
    static func gnuplot(_ method: String, precision: Precision = .float64) -> String {
        let style = (try? MethodCatalog.type(for: method))?.metadata.style ?? PlotStyle(color: "#7F7F7F", pointType: 1)
        return "lc rgb \"\(style.color)\" pt \(style.pointType) dt \(precision == .float64 ? 1 : 2)"
    }
}
