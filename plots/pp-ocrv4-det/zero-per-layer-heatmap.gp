# zero padding · per layer: layers × methods heatmap
# Data: zero-per-layer-heatmap.dat (one block per layer: layer method_index relative_error_percent guarantee_held seconds point status).
# Render again with: gnuplot zero-per-layer-heatmap.gp
# No "set datafile missing": a NaN cell must stay in its row, or `with image` loses the grid.
threshold = 1e-06   # symmetric-log colour scale: linear within ±threshold percent
sl(y) = sgn(y) * log10(1 + abs(y) / threshold)

do for [format in "png svg"] {
    reset
    if (format eq "png") {
        set terminal pngcairo size 1700,1018 enhanced font "DejaVu Sans,12"
        set output "zero-per-layer-heatmap.png"
    } else {
        set terminal svg size 1700,1018 dynamic enhanced font "DejaVu Sans,12"
        set output "zero-per-layer-heatmap.svg"
    }
    set multiplot title "zero padding · per layer (rows: the layers' numbers in tables.md)" font ",15"
    unset key
    set tmargin at screen 0.931237721021611
    set bmargin at screen 0.14734774066797643

    # Panel 1: signed error against the exact σ; × = claimed guarantee broken.
    set lmargin at screen 0.05
    set rmargin at screen 0.50
    set xrange [-0.5:8.5]
    set yrange [65.5:-0.5]
    set xtics rotate by 35 right ("reference" 0, "power-iteration" 1, "powerqr" 2, "gram-circular" 3, "gram-zero" 4, "sedghi" 5, "lipbound" 6, "fantastic-four" 7, "tn-bound" 8) font ",10"
    set ytics ("1" 0, "2" 1, "3" 2, "4" 3, "5" 4, "6" 5, "7" 6, "8" 7, "9" 8, "10" 9, "11" 10, "12" 11, "13" 12, "14" 13, "15" 14, "16" 15, "17" 16, "18" 17, "19" 18, "20" 19, "21" 20, "22" 21, "23" 22, "24" 23, "25" 24, "26" 25, "27" 26, "28" 27, "29" 28, "30" 29, "31" 30, "32" 31, "33" 32, "34" 33, "35" 34, "36" 35, "37" 36, "38" 37, "39" 38, "40" 39, "41" 40, "42" 41, "43" 42, "44" 43, "45" 44, "46" 45, "47" 46, "48" 47, "49" 48, "50" 49, "51" 50, "52" 51, "53" 52, "54" 53, "55" 54, "56" 55, "57" 56, "58" 57, "59" 58, "60" 59, "61" 60, "62" 61, "63" 62, "64" 63, "65" 64, "66" 65) font ",6"
    set object 1 rectangle from graph 0, graph 0 to graph 1, graph 1 behind fillcolor rgb "#BBBBBB" fillstyle solid noborder
    set title "signed error vs exact σ — ×: claimed guarantee broken (18)"
    set palette defined (-1 "#2166AC", -0.5 "#92C5DE", 0 "#F7F7F7", 0.5 "#F4A582", 1 "#B2182B")
    set cbrange [-8.62155337947125:8.62155337947125]
    set cbtics ("0" 0, "+10^{-4}%%" 2.0043213737826426, "-10^{-4}%%" -2.0043213737826426, "+0.01%%" 4.000043427276863, "-0.01%%" -4.000043427276863, "+1%%" 6.0000004342942646, "-1%%" -6.0000004342942646, "+100%%" 8.000000004342946, "-100%%" -8.000000004342946) font ",9"
    plot 'zero-per-layer-heatmap.dat' using 2:1:(sl(column(3))) with image, \
         'zero-per-layer-heatmap.dat' using 2:1:(column(4) == 0 ? "×" : "") with labels font ",12" tc rgb "#000000"

    # Panel 2: time per estimate, log colour scale.
    set lmargin at screen 0.60
    set rmargin at screen 0.92
    set xrange [-0.5:8.5]
    set yrange [65.5:-0.5]
    set xtics rotate by 35 right ("reference" 0, "power-iteration" 1, "powerqr" 2, "gram-circular" 3, "gram-zero" 4, "sedghi" 5, "lipbound" 6, "fantastic-four" 7, "tn-bound" 8) font ",10"
    unset ytics
    set object 1 rectangle from graph 0, graph 0 to graph 1, graph 1 behind fillcolor rgb "#BBBBBB" fillstyle solid noborder
    set title "time per estimate (median), log10 seconds"
    set palette defined (0 "#FFFFE5", 0.5 "#FE9929", 1 "#662506")
    set cbrange [-5.0:2.0]
    set cbtics autofreq font ",9"
    set format cb "10^{%g}"
    plot 'zero-per-layer-heatmap.dat' using 2:1:(column(5) > 0 ? log10(column(5)) : NaN) with image
    unset multiplot
    unset output
}