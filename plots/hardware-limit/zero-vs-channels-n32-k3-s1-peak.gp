# zero padding · n = 32 · k = 3 · stride 1: fraction of the machine's calibrated and nominal peaks
# Data: zero-vs-channels-n32-k3-s1.dat (column 8: the cost model at the calibrated peak rates over the median time, percent;
# column 9: the operations at the CPU's nominal peak over the median time, percent).
# Render again with: gnuplot zero-vs-channels-n32-k3-s1-peak.gp
do for [format in "png svg"] {
    reset
    set datafile missing "NaN"
    if (format eq "png") {
        set terminal pngcairo size 1600,560 enhanced font "DejaVu Sans,12"
        set output "zero-vs-channels-n32-k3-s1-peak.png"
    } else {
        set terminal svg size 1600,560 dynamic enhanced font "DejaVu Sans,12"
        set output "zero-vs-channels-n32-k3-s1-peak.svg"
    }
    set multiplot layout 1,2 title "zero padding · n = 32 · k = 3 · stride 1 · fraction of the machine's peak" font ",14"
    set title "of the nominal peak (the libraries against the CPU)"
    set grid back lc rgb "#DDDDDD"
    set logscale x 2
        set xtics ("64" 64, "128" 128)
        set xrange [53.333333333333336:153.6]
    set xlabel "channels (cout = cin)"
    set logscale y
    set yrange [0.1:200]
    set ytics ("0.1 %%" 0.1, "1 %%" 1, "10 %%" 10, "50 %%" 50, "100 %%" 100)
    set ylabel "operations at nominal rate / time"
    unset key
    plot 100 with lines lc rgb "#000000" dt 2 lw 1 title "peak", \
         'zero-vs-channels-n32-k3-s1.dat' index 0 using 1:(column(9)) with linespoints lc rgb "#000000" pt 7 dt 1 lw 2 ps 1.3 title 'reference', \
         'zero-vs-channels-n32-k3-s1.dat' index 1 using 1:(column(9)) with linespoints lc rgb "#0072B2" pt 5 dt 1 lw 2 ps 1.3 title 'power-iteration', \
         'zero-vs-channels-n32-k3-s1.dat' index 2 using 1:(column(9)) with linespoints lc rgb "#56B4E9" pt 4 dt 1 lw 2 ps 1.3 title 'powerqr', \
         'zero-vs-channels-n32-k3-s1.dat' index 3 using 1:(column(9)) with linespoints lc rgb "#009E73" pt 9 dt 1 lw 2 ps 1.3 title 'gram-circular', \
         'zero-vs-channels-n32-k3-s1.dat' index 4 using 1:(column(9)) with linespoints lc rgb "#006D4F" pt 8 dt 1 lw 2 ps 1.3 title 'gram-zero', \
         'zero-vs-channels-n32-k3-s1.dat' index 5 using 1:(column(9)) with linespoints lc rgb "#CC79A7" pt 13 dt 1 lw 2 ps 1.3 title 'sedghi', \
         'zero-vs-channels-n32-k3-s1.dat' index 6 using 1:(column(9)) with linespoints lc rgb "#D55E00" pt 11 dt 1 lw 2 ps 1.3 title 'lipbound', \
         'zero-vs-channels-n32-k3-s1.dat' index 7 using 1:(column(9)) with linespoints lc rgb "#E69F00" pt 15 dt 1 lw 2 ps 1.3 title 'fantastic-four', \
         'zero-vs-channels-n32-k3-s1.dat' index 8 using 1:(column(9)) with linespoints lc rgb "#8C564B" pt 3 dt 1 lw 2 ps 1.3 title 'tn-bound'
    set title "of the calibrated peak (our code against its libraries)"
    set grid back lc rgb "#DDDDDD"
    set logscale x 2
        set xtics ("64" 64, "128" 128)
        set xrange [53.333333333333336:153.6]
    set xlabel "channels (cout = cin)"
    set logscale y
    set yrange [0.1:200]
    set ytics ("0.1 %%" 0.1, "1 %%" 1, "10 %%" 10, "50 %%" 50, "100 %%" 100)
    set ylabel "operations at calibrated rate / time"
    set key outside right top vertical
    plot 100 with lines lc rgb "#000000" dt 2 lw 1 title "peak", \
         'zero-vs-channels-n32-k3-s1.dat' index 0 using 1:(column(8)) with linespoints lc rgb "#000000" pt 7 dt 1 lw 2 ps 1.3 title 'reference', \
         'zero-vs-channels-n32-k3-s1.dat' index 1 using 1:(column(8)) with linespoints lc rgb "#0072B2" pt 5 dt 1 lw 2 ps 1.3 title 'power-iteration', \
         'zero-vs-channels-n32-k3-s1.dat' index 2 using 1:(column(8)) with linespoints lc rgb "#56B4E9" pt 4 dt 1 lw 2 ps 1.3 title 'powerqr', \
         'zero-vs-channels-n32-k3-s1.dat' index 3 using 1:(column(8)) with linespoints lc rgb "#009E73" pt 9 dt 1 lw 2 ps 1.3 title 'gram-circular', \
         'zero-vs-channels-n32-k3-s1.dat' index 4 using 1:(column(8)) with linespoints lc rgb "#006D4F" pt 8 dt 1 lw 2 ps 1.3 title 'gram-zero', \
         'zero-vs-channels-n32-k3-s1.dat' index 5 using 1:(column(8)) with linespoints lc rgb "#CC79A7" pt 13 dt 1 lw 2 ps 1.3 title 'sedghi', \
         'zero-vs-channels-n32-k3-s1.dat' index 6 using 1:(column(8)) with linespoints lc rgb "#D55E00" pt 11 dt 1 lw 2 ps 1.3 title 'lipbound', \
         'zero-vs-channels-n32-k3-s1.dat' index 7 using 1:(column(8)) with linespoints lc rgb "#E69F00" pt 15 dt 1 lw 2 ps 1.3 title 'fantastic-four', \
         'zero-vs-channels-n32-k3-s1.dat' index 8 using 1:(column(8)) with linespoints lc rgb "#8C564B" pt 3 dt 1 lw 2 ps 1.3 title 'tn-bound'
    unset multiplot
    unset output
}