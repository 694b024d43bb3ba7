# clip to c = 1 · zero padding · per layer: layers × methods heatmap
# Data: clip-c1-zero-per-layer-heatmap.dat (one block per layer: layer method_index relative_error_percent guarantee_held seconds point status).
# Render again with: gnuplot clip-c1-zero-per-layer-heatmap.gp
# No "set datafile missing": a NaN cell must stay in its row, or `with image` loses the grid.
threshold = 1e-06   # symmetric-log colour scale: linear within ±threshold percent
sl(y) = sgn(y) * log10(1 + abs(y) / threshold)

do for [format in "png svg"] {
    reset
    if (format eq "png") {
        set terminal pngcairo size 1700,797 enhanced font "DejaVu Sans,12"
        set output "clip-c1-zero-per-layer-heatmap.png"
    } else {
        set terminal svg size 1700,797 dynamic enhanced font "DejaVu Sans,12"
        set output "clip-c1-zero-per-layer-heatmap.svg"
    }
    set multiplot title "clip to c = 1 · zero padding · per layer (rows: the layers' numbers in tables.md)" font ",15"
    unset key
    set tmargin at screen 0.9121706398996235
    set bmargin at screen 0.18820577164366373

    # Panel 1: signed error against the exact σ; × = claimed guarantee broken.
    set lmargin at screen 0.05
    set rmargin at screen 0.50
    set xrange [-0.5:10.5]
    set yrange [48.5:-0.5]
    set xtics rotate by 35 right ("fastclip" 0, "sedghi-clip" 1, "rescale-gram-zero" 2, "rescale-gram-circular" 3, "rescale-lipbound" 4, "rescale-fantastic-four" 5, "rescale-tn-bound" 6, "rescale-aol" 7, "rescale-power-iteration" 8, "rescale-reshape" 9, "rescale-exact" 10) font ",10"
    set ytics ("1" 0, "2" 1, "3" 2, "4" 3, "5" 4, "6" 5, "7" 6, "8" 7, "9" 8, "10" 9, "11" 10, "12" 11, "13" 12, "14" 13, "15" 14, "16" 15, "17" 16, "18" 17, "19" 18, "20" 19, "21" 20, "22" 21, "23" 22, "24" 23, "25" 24, "26" 25, "27" 26, "28" 27, "29" 28, "30" 29, "31" 30, "32" 31, "33" 32, "34" 33, "35" 34, "36" 35, "37" 36, "38" 37, "39" 38, "40" 39, "41" 40, "42" 41, "43" 42, "44" 43, "45" 44, "46" 45, "47" 46, "48" 47, "49" 48) font ",8"
    set object 1 rectangle from graph 0, graph 0 to graph 1, graph 1 behind fillcolor rgb "#BBBBBB" fillstyle solid noborder
    set title "σ after / c − 1 — ×: claimed guarantee broken (7)"
    set palette defined (-1 "#2166AC", -0.5 "#92C5DE", 0 "#F7F7F7", 0.5 "#F4A582", 1 "#B2182B")
    set cbrange [-9.613607049672448:9.613607049672448]
    set cbtics ("0" 0, "+10^{-4}%%" 2.0043213737826426, "-10^{-4}%%" -2.0043213737826426, "+0.01%%" 4.000043427276863, "-0.01%%" -4.000043427276863, "+1%%" 6.0000004342942646, "-1%%" -6.0000004342942646, "+100%%" 8.000000004342946, "-100%%" -8.000000004342946, "+10000%%" 10.00000000004343, "-10000%%" -10.00000000004343) font ",9"
    plot 'clip-c1-zero-per-layer-heatmap.dat' using 2:1:(sl(column(3))) with image, \
         'clip-c1-zero-per-layer-heatmap.dat' using 2:1:(column(4) == 0 ? "×" : "") with labels font ",12" tc rgb "#000000"

    # Panel 2: time per estimate, log colour scale.
    set lmargin at screen 0.60
    set rmargin at screen 0.92
    set xrange [-0.5:10.5]
    set yrange [48.5:-0.5]
    set xtics rotate by 35 right ("fastclip" 0, "sedghi-clip" 1, "rescale-gram-zero" 2, "rescale-gram-circular" 3, "rescale-lipbound" 4, "rescale-fantastic-four" 5, "rescale-tn-bound" 6, "rescale-aol" 7, "rescale-power-iteration" 8, "rescale-reshape" 9, "rescale-exact" 10) font ",10"
    unset ytics
    set object 1 rectangle from graph 0, graph 0 to graph 1, graph 1 behind fillcolor rgb "#BBBBBB" fillstyle solid noborder
    set title "time per clip (median), log10 seconds"
    set palette defined (0 "#FFFFE5", 0.5 "#FE9929", 1 "#662506")
    set cbrange [-5.0:2.0]
    set cbtics autofreq font ",9"
    set format cb "10^{%g}"
    plot 'clip-c1-zero-per-layer-heatmap.dat' using 2:1:(column(5) > 0 ? log10(column(5)) : NaN) with image
    unset multiplot
    unset output
}