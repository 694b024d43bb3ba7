import SpecBenchCore
import NumericCore
import SpecBenchMethods

/// The gnuplot style of a method: its color and point type as declared in its metadata
/// (`MethodMetadata.style`), so that a method looks the same in every figure, and a dash type
/// per precision (float64 solid, float32 dashed).
enum MethodStyle {
    /// The gnuplot style of `method` in `precision`: `lc rgb "#…" pt N dt D`. An id the catalog
    /// does not know (an external method, docs/external-methods.md) gets one of `externalStyles`
    /// chosen by a stable hash of the id, so that several external methods differ in a figure.
    static func gnuplot(_ method: String, precision: Precision = .float64) -> String {
        let style = (try? MethodCatalog.type(for: method))?.metadata.style ?? clipStyle(method) ?? externalStyle(method)
        return "lc rgb \"\(style.color)\" pt \(style.pointType) dt \(precision == .float64 ? 1 : 2)"
    }

    /// A clipping method's style (docs/clipping.md): a rescaling takes its estimator's colour
    /// with a filled point; FastClip (its named runs `fastclip-…` with open points) and Sedghi's clip
    /// colours no estimate method uses. Nil for other ids.
    static func clipStyle(_ id: String) -> PlotStyle? {
        if let estimator = ClippingCatalog.rescalings.first(where: { $0.id == id })?.estimator,
           let style = (try? MethodCatalog.type(for: estimator))?.metadata.style {
            return PlotStyle(color: style.color, pointType: 7)
        }
        if id == ClippingCatalog.fastClipID { return PlotStyle(color: "#E41A1C", pointType: 9) }
        if id.hasPrefix(ClippingCatalog.fastClipID + "-") { return PlotStyle(color: "#E41A1C", pointType: 4) }
        if id == ClippingCatalog.sedghiClipID { return PlotStyle(color: "#984EA3", pointType: 13) }
        return nil
    }

    /// Dark colours and open point types no catalog method uses.
    static let externalStyles = [
        PlotStyle(color: "#8C564B", pointType: 3), PlotStyle(color: "#E377C2", pointType: 12),
        PlotStyle(color: "#17BECF", pointType: 14), PlotStyle(color: "#7F7F7F", pointType: 1),
        PlotStyle(color: "#BCBD22", pointType: 10), PlotStyle(color: "#393B79", pointType: 8),
    ]

    /// The style of an id outside the catalog: FNV-1a of its bytes, mixed by SplitMix64's
    /// finaliser, picks one of `externalStyles` (the same id, the same style, in every figure).
    static func externalStyle(_ id: String) -> PlotStyle {
        var hash: UInt64 = 0xcbf29ce484222325
        for byte in id.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100000001b3 }
        var z = hash &+ 0x9E3779B97F4A7C15
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        z ^= z >> 31
        return externalStyles[Int(z % UInt64(externalStyles.count))]
    }
}
