import NumericCore

/// A fixed color and point shape per method, so that a method looks the same in every figure,
/// and a dash type per precision (float64 solid, float32 dashed).
enum MethodStyle {
    /// Colorblind-friendly palette (Okabe–Ito and Tableau tones), one entry per catalog method.
    private static let styles: [String: (color: String, pointType: Int)] = [
        "reference": ("#000000", 7),
        "power-iteration": ("#0072B2", 5),
        "powerqr": ("#56B4E9", 4),
        "gram-circular": ("#009E73", 9),
        "gram-zero": ("#006D4F", 8),
        "sedghi": ("#CC79A7", 13),
        "lipbound": ("#D55E00", 11),
        "fantastic-four": ("#E69F00", 15),
        "tn-bound": ("#8C564B", 3),
    ]

    /// The gnuplot style of `method` in `precision`: `lc rgb "#…" pt N dt D`.
    static func gnuplot(_ method: String, precision: Precision = .float64) -> String {
        let style = styles[method] ?? ("#7F7F7F", 1)
        return "lc rgb \"\(style.color)\" pt \(style.pointType) dt \(precision == .float64 ? 1 : 2)"
    }
}
