import SpecBenchCore
import Foundation
import SpecBenchResults

/// The gnuplot script of a figure: three panels side by side (time, peak memory, signed relative
/// error) against the figure's axis, one line per method, a shared legend below the panels so
/// that it hides no data, rendered to PNG and SVG. The script reads its `.dat` file, so a user
/// can restyle it and run `gnuplot NAME.gp` in the figure's folder.
enum GnuplotScript {
    /// Layer figures with more layers than this label them by number (their row in tables.md).
    static let numberedLayersAbove = 16

    /// The script for `plan`, reading `dataFile` and writing `NAME.png` and `NAME.svg`.
    static func text(_ plan: FigurePlan, dataFile: String) -> String {
        if plan.axis == .layerHeatmap { return HeatmapScript.text(plan, dataFile: dataFile) }
        let layered = plan.axis == .layer
        let (xAxis, xLabel) = horizontalAxis(plan)
        let panelBottom = layered ? 0.40 : 0.30
        let seconds = plan.series.flatMap { $0.points.compactMap(\.seconds) }.filter { $0 > 0 }
        let memory = plan.series.flatMap { $0.points.compactMap { $0.peakBytes.map { max(Double($0), 4096) / 1_048_576 } } }
        let clip = plan.kind == .clip
        let changes = plan.series.flatMap { $0.points.compactMap(\.layerChange) }.filter { $0 > 0 }.map { $0 * 100 }
        let errors = plan.series.filter { $0.method != "reference" }.flatMap { $0.points.compactMap(\.relativeError) }.map { $0 * 100 }
        let logTime = spansDecade(seconds)
        let logMemory = spansDecade(memory)
        let errorTics = symmetricLogTics(errors)
        let errorRange = symmetricLogRange(errors)
        let failures = plan.series.flatMap { $0.points.filter { $0.guaranteeHeld == false } }.count

        func plotLines(column: String, includeReference: Bool) -> String {
            var parts: [String] = []
            for (index, series) in plan.series.enumerated() where includeReference || series.method != "reference" {
                parts.append("'\(dataFile)' index \(index) using 1:(\(column)) with linespoints \(MethodStyle.gnuplot(series.method, precision: series.precision)) lw 2 ps 1.3 title '\(series.title)'")
            }
            return parts.joined(separator: ", \\\n     ")
        }
        // The middle panel: peak memory for estimates, the change of the layer for clips.
        let panelTwo = (clip ? [
            "# Panel 2: how much of the layer changed.",
            "set lmargin at screen 0.385",
            "set rmargin at screen 0.635",
            spansDecade(changes) ? "set logscale y" : "unset logscale y",
            "set title \"change of the layer ‖K′ − K‖_F / ‖K‖_F\"",
            "set ylabel \"%\"",
            "plot " + plotLines(column: "column(10)", includeReference: true),
        ] : [
            "# Panel 2: peak memory.",
            "set lmargin at screen 0.385",
            "set rmargin at screen 0.635",
            logMemory ? "set logscale y" : "unset logscale y",
            "set title \"peak memory above baseline\"",
            "set ylabel \"MiB (floor 4 KiB)\"",
            "plot " + plotLines(column: "column(3) < 4096.0/1048576 ? 4096.0/1048576 : column(3)", includeReference: true),
        ]).joined(separator: "\n    ")
        let legendLines = plan.series.map {
            "NaN with linespoints \(MethodStyle.gnuplot($0.method, precision: $0.precision)) lw 2 ps 1.3 title '\($0.title)'"
        }.joined(separator: ", \\\n     ")
        let broken = plan.series.indices.filter { index in plan.series[index].points.contains { $0.guaranteeHeld == false } }.map {
            ", \\\n     '\(dataFile)' index \($0) using 1:(column(5) == 0 ? column(4) : NaN) with points pt 2 ps 3 lw 3 lc rgb \"#FF0000\" notitle"
        }.joined()

        return """
        # \(plan.title)
        # Data: \(dataFile) (one block per method and precision: x seconds peak_MiB relative_error_percent guarantee_held point status).
        # Render again with: gnuplot \(plan.name).gp
        set datafile missing "NaN"
        threshold = 1e-6   # symmetric-log error axis: linear within ±threshold percent
        sl(y) = sgn(y) * log10(1 + abs(y) / threshold)
        isl(z) = sgn(z) * threshold * (10**abs(z) - 1)

        do for [format in "png svg"] {
            reset
            set datafile missing "NaN"
            \(terminal(width: 1800, height: layered ? 760 : 640, output: plan.name))
            set multiplot title "\(escape(plan.title))" font ",15"
            set grid back lc rgb "#DDDDDD"
            \(xAxis)
            set xlabel "\(xLabel)"
            set tmargin at screen 0.86
            set bmargin at screen \(panelBottom)
            unset key

            # Panel 1: time.
            set lmargin at screen 0.06
            set rmargin at screen 0.31
            \(logTime ? "set logscale y" : "unset logscale y")
            set format y "%g"
            set title "\(clip ? "time per clip (median)" : "time per estimate (median)")"
            set ylabel "seconds"
            plot \(plotLines(column: "column(2)", includeReference: true))

            \(panelTwo)

            # Panel 3: signed relative error, symmetric-log axis; red X = claimed guarantee broken.
            set lmargin at screen 0.725
            set rmargin at screen 0.975
            unset logscale y
            set nonlinear y via sl(y) inverse isl(y)
            set ytics (\(errorTics))
            set yrange [\(errorRange.low):\(errorRange.high)]
            set title "\(clip ? "σ after / c − 1 (exact σ after the clip)" : "signed error vs exact σ")\(failures > 0 ? " — red X: claimed guarantee broken (\(failures))" : "")"
            set ylabel "\(clip ? "above 0: clip failed · below 0: over-clipped  (%)" : "above 0: bounds · below 0: lower estimates  (%)")"
            plot 0 with lines lc rgb "#000000" lw 1 dt 2 notitle, \\
                 \(plotLines(column: "column(4)", includeReference: false))\(broken)
            unset nonlinear y
            set ytics autofreq
            set yrange [*:*]

            # The legend, on its own full-width strip under the panels, so that it hides no data.
            set lmargin at screen 0.06
            set rmargin at screen 0.975
            set tmargin at screen \(layered ? 0.11 : 0.14)
            set bmargin at screen 0.01
            unset title
            unset border
            unset xtics
            unset ytics
            unset xlabel
            unset ylabel
            unset grid
            unset logscale
            set xrange [0:1]
            set yrange [0:1]
            set key center center horizontal maxrows 2 samplen 2 width 2 spacing 1.3
            plot \(legendLines)
            unset key
            set border
            set tics
            unset multiplot
            unset output
        }
        """
    }

    /// The optional fraction-of-peak figure of `plan` (`NAME-peak.png`/`.svg`, `bench report
    /// --peak-figures`): each method's cost model at the calibrated peak rates over its median
    /// time, in percent, against the figure's axis — whether a time reflects the algorithm or
    /// our implementation of it — and, beside it when the run measured the CPU's nominal peak,
    /// the same operations at that peak: whether the libraries themselves use the machine
    /// (docs/performance.md).
    static func peakText(_ plan: FigurePlan, dataFile: String) -> String {
        let layered = plan.axis == .layer
        let (xAxis, xLabel) = horizontalAxis(plan)
        let nominal = plan.series.contains { $0.points.contains { $0.fractionOfNominalPeak != nil } }
        func lines(column: Int) -> String {
            plan.series.enumerated().map { index, series in
                "'\(dataFile)' index \(index) using 1:(column(\(column))) with linespoints \(MethodStyle.gnuplot(series.method, precision: series.precision)) lw 2 ps 1.3 title '\(series.title)'"
            }.joined(separator: ", \\\n         ")
        }
        func panel(title: String, column: Int, ylabel: String, key: Bool) -> String {
            """
                set title "\(title)"
                set grid back lc rgb "#DDDDDD"
                \(xAxis.replacingOccurrences(of: "\n    ", with: "\n        "))
                set xlabel "\(xLabel)"
                set logscale y
                set yrange [0.1:200]
                set ytics ("0.1 %%" 0.1, "1 %%" 1, "10 %%" 10, "50 %%" 50, "100 %%" 100)
                set ylabel "\(ylabel)"
                \(key ? "set key outside right top vertical" : "unset key")
                plot 100 with lines lc rgb "#000000" dt 2 lw 1 title "peak", \\
                     \(lines(column: column))
            """
        }
        let calibrated = panel(title: "of the calibrated peak (our code against its libraries)", column: 8,
                               ylabel: "operations at calibrated rate / time", key: true)
        guard nominal else {
            // A run made before the nominal peak: the calibrated panel alone, titled as a figure.
            let single = panel(title: "\(escape(plan.title)) · fraction of the machine's calibrated peak\" font \",14", column: 8,
                               ylabel: "operations at calibrated rate / time", key: true)
            return """
            # \(plan.title): fraction of the machine's calibrated peak
            # Data: \(dataFile) (column 8: the cost model at the peak rates over the median time, percent).
            # Render again with: gnuplot \(plan.name)-peak.gp
            do for [format in "png svg"] {
                reset
                set datafile missing "NaN"
                \(terminal(width: 1000, height: layered ? 640 : 560, output: "\(plan.name)-peak"))
            \(single)
                unset output
            }
            """
        }
        let machine = panel(title: "of the nominal peak (the libraries against the CPU)", column: 9,
                            ylabel: "operations at nominal rate / time", key: false)
        return """
        # \(plan.title): fraction of the machine's calibrated and nominal peaks
        # Data: \(dataFile) (column 8: the cost model at the calibrated peak rates over the median time, percent;
        # column 9: the operations at the CPU's nominal peak over the median time, percent).
        # Render again with: gnuplot \(plan.name)-peak.gp
        do for [format in "png svg"] {
            reset
            set datafile missing "NaN"
            \(terminal(width: 1600, height: layered ? 640 : 560, output: "\(plan.name)-peak"))
            set multiplot layout 1,2 title "\(escape(plan.title)) · fraction of the machine's peak" font ",14"
        \(machine)
        \(calibrated)
            unset multiplot
            unset output
        }
        """
    }

    /// The render loop's terminal and output commands for the current `format` (PNG or SVG at
    /// `width × height`, written to `output.png` / `output.svg`), indented for the loop body.
    static func terminal(width: Int, height: Int, output: String) -> String {
        [
            "if (format eq \"png\") {",
            "        set terminal pngcairo size \(width),\(height) enhanced font \"DejaVu Sans,12\"",
            "        set output \"\(output).png\"",
            "    } else {",
            "        set terminal svg size \(width),\(height) dynamic enhanced font \"DejaVu Sans,12\"",
            "        set output \"\(output).svg\"",
            "    }",
        ].joined(separator: "\n")
    }

    /// The x-axis commands of `plan` and its label: layers as categories (numbered beyond
    /// `numberedLayersAbove`, where their names overlap, in the order of the tables), else a
    /// base-2 log axis over the values of n or channels.
    static func horizontalAxis(_ plan: FigurePlan) -> (commands: String, label: String) {
        guard plan.axis == .layer else {
            let xs = Set(plan.series.flatMap { $0.points.map(\.x) }).sorted()
            let tics = xs.map { "\"\($0)\" \($0)" }.joined(separator: ", ")
            return ("set logscale x 2\n    set xtics (\(tics))\n    set xrange [\(Double(xs.first ?? 1) / 1.2):\(Double(xs.last ?? 2) * 1.2)]",
                    plan.axisLabel)
        }
        let numbered = plan.categories.count > numberedLayersAbove
        let tics = plan.categories.enumerated().map { "\"\(numbered ? String($0 + 1) : escape($1))\" \($0)" }.joined(separator: ", ")
        return ("unset logscale x\n    set xtics " + (numbered ? "rotate by 90 right font ',7'" : "rotate by 30 right")
                    + " (\(tics))\n    set xrange [-0.5:\(Double(plan.categories.count) - 0.5)]",
                numbered ? "layer (its row in tables.md)" : "")
    }

    /// Whether positive values span at least a factor 10 (then a log axis reads better).
    static func spansDecade(_ values: [Double]) -> Bool {
        guard let low = values.min(), let high = values.max(), low > 0 else { return false }
        return high / low >= 10
    }

    /// Tic marks at signed powers of ten covering the data (percent), plus 0.
    static func symmetricLogTics(_ values: [Double]) -> String {
        let largest = max(values.map(abs).max() ?? 1, 1e-4)
        let top = Int(log10(largest).rounded(.up))
        var tics: [String] = ["\"0\" 0"]
        let hasNegative = values.contains { $0 < 0 }
        let hasPositive = values.contains { $0 > 0 }
        for exponent in stride(from: -4, through: max(top, -4), by: 2) {
            let value = pow(10, Double(exponent))
            // Tic labels are gnuplot format strings: a literal percent sign is written %%.
            let label = exponent >= -2 ? String(format: "%g%%%%", value) : "10^{\(exponent)}%%"
            if hasPositive || !hasNegative { tics.append("\"+\(label)\" \(value)") }
            if hasNegative { tics.append("\"-\(label)\" \(-value)") }
        }
        return tics.joined(separator: ", ")
    }

    /// A y range (percent) holding every error with room around it, in the symmetric-log sense.
    static func symmetricLogRange(_ values: [Double]) -> (low: Double, high: Double) {
        let high = max(values.max() ?? 1, 1e-4)
        let low = min(values.min() ?? -1e-4, -1e-4)
        return (low < -1e-4 ? low * 3 : -1e-3, high > 1e-4 ? high * 3 : 1e-3)
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "_", with: "\\\\_")
    }
}
