import Foundation
import SpecBenchResults

/// The gnuplot script of a per-layer heatmap (`FigurePlan.Axis.layerHeatmap`): for networks of
/// many layers, where lines through unrelated layers cannot be read. Two panels side by side,
/// rows the layers in the order of tables.md, columns the methods: the signed error against the
/// exact σ on a diverging symmetric-log colour scale (blue below, red above, white at 0), a
/// black × on every cell whose claimed guarantee broke; and the time per estimate on a log
/// colour scale. Cells where a method did not run are grey. Rendered to PNG and SVG. O(cells).
enum HeatmapScript {
    /// The script for `plan`, reading `dataFile`.
    static func text(_ plan: FigurePlan, dataFile: String) -> String {
        let rows = plan.categories.count
        let columns = plan.series.count
        let errors = plan.series.filter { $0.method != "reference" }.flatMap { $0.points.compactMap(\.relativeError) }.map { $0 * 100 }
        let threshold = 1e-6
        func symmetricLog(_ value: Double) -> Double { (value < 0 ? -1 : 1) * log10(1 + abs(value) / threshold) }
        let largest = max(errors.map(abs).max() ?? 1, 1e-4)
        let limit = symmetricLog(largest)
        let failures = plan.series.flatMap { $0.points.filter { $0.guaranteeHeld == false } }.count
        let seconds = plan.series.flatMap { $0.points.compactMap(\.seconds) }.filter { $0 > 0 }
        let timeLow = floor(log10(seconds.min() ?? 1e-4)), timeHigh = ceil(log10(seconds.max() ?? 1))
        var colourTics: [String] = ["\"0\" 0"]
        for exponent in stride(from: -4, through: Int(log10(largest).rounded(.up)), by: 2) {
            let value = pow(10, Double(exponent))
            let label = exponent >= -2 ? String(format: "%g%%%%", value) : "10^{\(exponent)}%%"
            colourTics.append("\"+\(label)\" \(symmetricLog(value))")
            colourTics.append("\"-\(label)\" \(symmetricLog(-value))")
        }
        let numbered = rows > 40
        let rowTics = plan.categories.enumerated().map { "\"\(numbered ? "\($0 + 1)" : GnuplotScript.escape($1))\" \($0)" }.joined(separator: ", ")
        let columnTics = plan.series.enumerated().map { "\"\(GnuplotScript.escape($1.title))\" \($0)" }.joined(separator: ", ")
        let height = max(640, 160 + 13 * rows)
        func axes(rowLabels: Bool) -> String {
            """
            set xrange [-0.5:\(Double(columns) - 0.5)]
                set yrange [\(Double(rows) - 0.5):-0.5]
                set xtics rotate by 35 right (\(columnTics)) font ",10"
                \(rowLabels ? "set ytics (\(rowTics)) font \",\(rows > 60 ? 6 : 8)\"" : "unset ytics")
                set object 1 rectangle from graph 0, graph 0 to graph 1, graph 1 behind fillcolor rgb "#BBBBBB" fillstyle solid noborder
            """
        }
        return """
        # \(plan.title): layers × methods heatmap
        # Data: \(dataFile) (one block per layer: layer method_index relative_error_percent guarantee_held seconds point status).
        # Render again with: gnuplot \(plan.name).gp
        # No "set datafile missing": a NaN cell must stay in its row, or `with image` loses the grid.
        threshold = \(threshold)   # symmetric-log colour scale: linear within ±threshold percent
        sl(y) = sgn(y) * log10(1 + abs(y) / threshold)

        do for [format in "png svg"] {
            reset
            \(GnuplotScript.terminal(width: 1700, height: height, output: plan.name))
            set multiplot title "\(GnuplotScript.escape(plan.title))\(numbered ? " (rows: the layers' numbers in tables.md)" : "")" font ",15"
            unset key
            set tmargin at screen \(1 - 70.0 / Double(height))
            set bmargin at screen \(150.0 / Double(height))

            # Panel 1: signed error against the exact σ; × = claimed guarantee broken.
            set lmargin at screen \(numbered ? 0.05 : 0.16)
            set rmargin at screen 0.50
            \(axes(rowLabels: true))
            set title "\(plan.kind == .clip ? (failures > 0 ? "σ after / c − 1 — ×: claimed guarantee broken (\(failures))" : "σ after / c − 1 (above 0: clip failed, below: over-clipped)") : (failures > 0 ? "signed error vs exact σ — ×: claimed guarantee broken (\(failures))" : "signed error vs exact σ (above 0: bounds, below: lower estimates)"))"
            set palette defined (-1 "#2166AC", -0.5 "#92C5DE", 0 "#F7F7F7", 0.5 "#F4A582", 1 "#B2182B")
            set cbrange [\(-limit):\(limit)]
            set cbtics (\(colourTics.joined(separator: ", "))) font ",9"
            plot '\(dataFile)' using 2:1:(sl(column(3))) with image, \\
                 '\(dataFile)' using 2:1:(column(4) == 0 ? "×" : "") with labels font ",12" tc rgb "#000000"

            # Panel 2: time per estimate, log colour scale.
            set lmargin at screen 0.60
            set rmargin at screen 0.92
            \(axes(rowLabels: false))
            set title "time per \(plan.kind == .clip ? "clip" : "estimate") (median), log10 seconds"
            set palette defined (0 "#FFFFE5", 0.5 "#FE9929", 1 "#662506")
            set cbrange [\(timeLow):\(timeHigh)]
            set cbtics autofreq font ",9"
            set format cb "10^{%g}"
            plot '\(dataFile)' using 2:1:(column(5) > 0 ? log10(column(5)) : NaN) with image
            unset multiplot
            unset output
        }
        """
    }
}
