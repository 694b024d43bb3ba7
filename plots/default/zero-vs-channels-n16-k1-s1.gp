# zero padding · n = 16 · k = 1 · stride 1
# Data: zero-vs-channels-n16-k1-s1.dat (one block per method and precision: x seconds peak_MiB relative_error_percent guarantee_held point status).
# Render again with: gnuplot zero-vs-channels-n16-k1-s1.gp
set datafile missing "NaN"
threshold = 1e-6   # symmetric-log error axis: linear within ±threshold percent
sl(y) = sgn(y) * log10(1 + abs(y) / threshold)
isl(z) = sgn(z) * threshold * (10**abs(z) - 1)

do for [format in "png svg"] {
    reset
    set datafile missing "NaN"
    if (format eq "png") {
        set terminal pngcairo size 1800,640 enhanced font "DejaVu Sans,12"
        set output "zero-vs-channels-n16-k1-s1.png"
    } else {
        set terminal svg size 1800,640 dynamic enhanced font "DejaVu Sans,12"
        set output "zero-vs-channels-n16-k1-s1.svg"
    }
    set multiplot title "zero padding · n = 16 · k = 1 · stride 1" font ",15"
    set grid back lc rgb "#DDDDDD"
    set logscale x 2
    set xtics ("1" 1, "4" 4, "16" 16, "64" 64)
    set xrange [0.8333333333333334:76.8]
    set xlabel "channels (cout = cin)"
    set tmargin at screen 0.86
    set bmargin at screen 0.3
    unset key

    # Panel 1: time.
    set lmargin at screen 0.06
    set rmargin at screen 0.31
    set logscale y
    set format y "%g"
    set title "time per estimate (median)"
    set ylabel "seconds"
    plot 'zero-vs-channels-n16-k1-s1.dat' index 0 using 1:(column(2)) with linespoints lc rgb "#000000" pt 7 dt 1 lw 2 ps 1.3 title 'reference', \
     'zero-vs-channels-n16-k1-s1.dat' index 1 using 1:(column(2)) with linespoints lc rgb "#0072B2" pt 5 dt 1 lw 2 ps 1.3 title 'power-iteration', \
     'zero-vs-channels-n16-k1-s1.dat' index 2 using 1:(column(2)) with linespoints lc rgb "#56B4E9" pt 4 dt 1 lw 2 ps 1.3 title 'powerqr', \
     'zero-vs-channels-n16-k1-s1.dat' index 3 using 1:(column(2)) with linespoints lc rgb "#009E73" pt 9 dt 1 lw 2 ps 1.3 title 'gram-circular', \
     'zero-vs-channels-n16-k1-s1.dat' index 4 using 1:(column(2)) with linespoints lc rgb "#006D4F" pt 8 dt 1 lw 2 ps 1.3 title 'gram-zero', \
     'zero-vs-channels-n16-k1-s1.dat' index 5 using 1:(column(2)) with linespoints lc rgb "#CC79A7" pt 13 dt 1 lw 2 ps 1.3 title 'sedghi', \
     'zero-vs-channels-n16-k1-s1.dat' index 6 using 1:(column(2)) with linespoints lc rgb "#D55E00" pt 11 dt 1 lw 2 ps 1.3 title 'lipbound', \
     'zero-vs-channels-n16-k1-s1.dat' index 7 using 1:(column(2)) with linespoints lc rgb "#E69F00" pt 15 dt 1 lw 2 ps 1.3 title 'fantastic-four', \
     'zero-vs-channels-n16-k1-s1.dat' index 8 using 1:(column(2)) with linespoints lc rgb "#8C564B" pt 3 dt 1 lw 2 ps 1.3 title 'tn-bound', \
     'zero-vs-channels-n16-k1-s1.dat' index 9 using 1:(column(2)) with linespoints lc rgb "#6A3D9A" pt 6 dt 1 lw 2 ps 1.3 title 'aol', \
     'zero-vs-channels-n16-k1-s1.dat' index 10 using 1:(column(2)) with linespoints lc rgb "#B15928" pt 12 dt 1 lw 2 ps 1.3 title 'reshape-norm'

    # Panel 2: peak memory.
    set lmargin at screen 0.385
    set rmargin at screen 0.635
    set logscale y
    set title "peak memory above baseline"
    set ylabel "MiB (floor 4 KiB)"
    plot 'zero-vs-channels-n16-k1-s1.dat' index 0 using 1:(column(3) < 4096.0/1048576 ? 4096.0/1048576 : column(3)) with linespoints lc rgb "#000000" pt 7 dt 1 lw 2 ps 1.3 title 'reference', \
     'zero-vs-channels-n16-k1-s1.dat' index 1 using 1:(column(3) < 4096.0/1048576 ? 4096.0/1048576 : column(3)) with linespoints lc rgb "#0072B2" pt 5 dt 1 lw 2 ps 1.3 title 'power-iteration', \
     'zero-vs-channels-n16-k1-s1.dat' index 2 using 1:(column(3) < 4096.0/1048576 ? 4096.0/1048576 : column(3)) with linespoints lc rgb "#56B4E9" pt 4 dt 1 lw 2 ps 1.3 title 'powerqr', \
     'zero-vs-channels-n16-k1-s1.dat' index 3 using 1:(column(3) < 4096.0/1048576 ? 4096.0/1048576 : column(3)) with linespoints lc rgb "#009E73" pt 9 dt 1 lw 2 ps 1.3 title 'gram-circular', \
     'zero-vs-channels-n16-k1-s1.dat' index 4 using 1:(column(3) < 4096.0/1048576 ? 4096.0/1048576 : column(3)) with linespoints lc rgb "#006D4F" pt 8 dt 1 lw 2 ps 1.3 title 'gram-zero', \
     'zero-vs-channels-n16-k1-s1.dat' index 5 using 1:(column(3) < 4096.0/1048576 ? 4096.0/1048576 : column(3)) with linespoints lc rgb "#CC79A7" pt 13 dt 1 lw 2 ps 1.3 title 'sedghi', \
     'zero-vs-channels-n16-k1-s1.dat' index 6 using 1:(column(3) < 4096.0/1048576 ? 4096.0/1048576 : column(3)) with linespoints lc rgb "#D55E00" pt 11 dt 1 lw 2 ps 1.3 title 'lipbound', \
     'zero-vs-channels-n16-k1-s1.dat' index 7 using 1:(column(3) < 4096.0/1048576 ? 4096.0/1048576 : column(3)) with linespoints lc rgb "#E69F00" pt 15 dt 1 lw 2 ps 1.3 title 'fantastic-four', \
     'zero-vs-channels-n16-k1-s1.dat' index 8 using 1:(column(3) < 4096.0/1048576 ? 4096.0/1048576 : column(3)) with linespoints lc rgb "#8C564B" pt 3 dt 1 lw 2 ps 1.3 title 'tn-bound', \
     'zero-vs-channels-n16-k1-s1.dat' index 9 using 1:(column(3) < 4096.0/1048576 ? 4096.0/1048576 : column(3)) with linespoints lc rgb "#6A3D9A" pt 6 dt 1 lw 2 ps 1.3 title 'aol', \
     'zero-vs-channels-n16-k1-s1.dat' index 10 using 1:(column(3) < 4096.0/1048576 ? 4096.0/1048576 : column(3)) with linespoints lc rgb "#B15928" pt 12 dt 1 lw 2 ps 1.3 title 'reshape-norm'

    # Panel 3: signed relative error, symmetric-log axis; red X = claimed guarantee broken.
    set lmargin at screen 0.725
    set rmargin at screen 0.975
    unset logscale y
    set nonlinear y via sl(y) inverse isl(y)
    set ytics ("0" 0, "+10^{-4}%%" 0.0001, "-10^{-4}%%" -0.0001, "+0.01%%" 0.01, "-0.01%%" -0.01, "+1%%" 1.0, "-1%%" -1.0, "+100%%" 100.0, "-100%%" -100.0)
    set yrange [-3.523733629737352:936.1079310373432]
    set title "signed error vs exact σ — red X: claimed guarantee broken (1)"
    set ylabel "above 0: bounds · below 0: lower estimates  (%)"
    plot 0 with lines lc rgb "#000000" lw 1 dt 2 notitle, \
         'zero-vs-channels-n16-k1-s1.dat' index 1 using 1:(column(4)) with linespoints lc rgb "#0072B2" pt 5 dt 1 lw 2 ps 1.3 title 'power-iteration', \
     'zero-vs-channels-n16-k1-s1.dat' index 2 using 1:(column(4)) with linespoints lc rgb "#56B4E9" pt 4 dt 1 lw 2 ps 1.3 title 'powerqr', \
     'zero-vs-channels-n16-k1-s1.dat' index 3 using 1:(column(4)) with linespoints lc rgb "#009E73" pt 9 dt 1 lw 2 ps 1.3 title 'gram-circular', \
     'zero-vs-channels-n16-k1-s1.dat' index 4 using 1:(column(4)) with linespoints lc rgb "#006D4F" pt 8 dt 1 lw 2 ps 1.3 title 'gram-zero', \
     'zero-vs-channels-n16-k1-s1.dat' index 5 using 1:(column(4)) with linespoints lc rgb "#CC79A7" pt 13 dt 1 lw 2 ps 1.3 title 'sedghi', \
     'zero-vs-channels-n16-k1-s1.dat' index 6 using 1:(column(4)) with linespoints lc rgb "#D55E00" pt 11 dt 1 lw 2 ps 1.3 title 'lipbound', \
     'zero-vs-channels-n16-k1-s1.dat' index 7 using 1:(column(4)) with linespoints lc rgb "#E69F00" pt 15 dt 1 lw 2 ps 1.3 title 'fantastic-four', \
     'zero-vs-channels-n16-k1-s1.dat' index 8 using 1:(column(4)) with linespoints lc rgb "#8C564B" pt 3 dt 1 lw 2 ps 1.3 title 'tn-bound', \
     'zero-vs-channels-n16-k1-s1.dat' index 9 using 1:(column(4)) with linespoints lc rgb "#6A3D9A" pt 6 dt 1 lw 2 ps 1.3 title 'aol', \
     'zero-vs-channels-n16-k1-s1.dat' index 10 using 1:(column(4)) with linespoints lc rgb "#B15928" pt 12 dt 1 lw 2 ps 1.3 title 'reshape-norm', \
     'zero-vs-channels-n16-k1-s1.dat' index 7 using 1:(column(5) == 0 ? column(4) : NaN) with points pt 2 ps 3 lw 3 lc rgb "#FF0000" notitle
    unset nonlinear y
    set ytics autofreq
    set yrange [*:*]

    # The legend, on its own full-width strip under the panels, so that it hides no data.
    set lmargin at screen 0.06
    set rmargin at screen 0.975
    set tmargin at screen 0.14
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
    plot NaN with linespoints lc rgb "#000000" pt 7 dt 1 lw 2 ps 1.3 title 'reference', \
     NaN with linespoints lc rgb "#0072B2" pt 5 dt 1 lw 2 ps 1.3 title 'power-iteration', \
     NaN with linespoints lc rgb "#56B4E9" pt 4 dt 1 lw 2 ps 1.3 title 'powerqr', \
     NaN with linespoints lc rgb "#009E73" pt 9 dt 1 lw 2 ps 1.3 title 'gram-circular', \
     NaN with linespoints lc rgb "#006D4F" pt 8 dt 1 lw 2 ps 1.3 title 'gram-zero', \
     NaN with linespoints lc rgb "#CC79A7" pt 13 dt 1 lw 2 ps 1.3 title 'sedghi', \
     NaN with linespoints lc rgb "#D55E00" pt 11 dt 1 lw 2 ps 1.3 title 'lipbound', \
     NaN with linespoints lc rgb "#E69F00" pt 15 dt 1 lw 2 ps 1.3 title 'fantastic-four', \
     NaN with linespoints lc rgb "#8C564B" pt 3 dt 1 lw 2 ps 1.3 title 'tn-bound', \
     NaN with linespoints lc rgb "#6A3D9A" pt 6 dt 1 lw 2 ps 1.3 title 'aol', \
     NaN with linespoints lc rgb "#B15928" pt 12 dt 1 lw 2 ps 1.3 title 'reshape-norm'
    unset key
    set border
    set tics
    unset multiplot
    unset output
}