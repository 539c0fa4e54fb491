#!/usr/bin/env bash
# SVG charts of a table that bench/instructions.sh printed (its last column of figures, and
# its first for "before" when it compares revisions), drawn by gnuplot:
#   bash bench/chart.sh bench/results/instructions-YYYYMMDD-HHMMSS.txt [DIR]   # DIR: docs/charts
# - batch-sizes.svg: instructions per cell of cell_upsert_many by cells per batch, against
#   the bare set-based upsert of the same cells and single cell_upsert calls;
# - single-call.svg: instructions per call of cell_upsert, its PL/pgSQL peer and the bare
#   upsert, overwrite and insert, as a superuser and under membership row-level security.
set -euo pipefail
cd "$(dirname "$0")/.."
table=${1:?usage: bench/chart.sh TABLE [DIR]}
out=${2:-docs/charts}

. tools/lib.sh
command -v gnuplot >/dev/null || as_root apt-get install -y -qq gnuplot-nox >/dev/null
mkdir -p "$out"
data=$(mktemp -d /tmp/cellupsert-chart.XXXXXX)
trap 'rm -rf "$data"' EXIT

# figure NAME [first]: the row's figure in the last (or first) revision's column, in
# thousands; "-" (missing, to gnuplot) when the table has no such row.
figure() {
    awk -v want="$1" -v which="${2:-last}" '
        /^workload/ { revs = 0; for (i = 2; i <= NF; i++) if ($i !~ /\//) revs++; next }
        # A row: its name (words), then a figure per revision and a ratio per revision but
        # the first.
        revs && NF > 2 * revs - 1 {
            n = NF - (2 * revs - 1)
            name = $1
            for (i = 2; i <= n; i++) name = name " " $i
            if (name != want) next
            v = which == "first" ? $(n + 1) : $(n + revs)
            if (v != "-") { printf "%.1f\n", v / 1000; found = 1 }
        }
        END { if (!found) print "-" }' "$table"
}

revisions=$(awk '/^workload/ { n = 0; for (i = 2; i <= NF; i++) if ($i !~ /\//) n++; print n }' "$table")
{
    for size in 1 10 100 1000; do
        printf '%s %s %s %s %s\n' "$size" "$(figure "batches of $size, canonical: call")" \
            "$(figure "batches of $size, canonical: bare")" "$(figure "batches of $size, canonical: single")" \
            "$( [ "$revisions" -gt 1 ] && figure "batches of $size, canonical: call" first || echo -)"
    done
    printf '%s %s %s %s %s\n' 10000 "$(figure "batch overwrite, canonical")" \
        "$(figure "batch overwrite, bare upsert")" - \
        "$( [ "$revisions" -gt 1 ] && figure "batch overwrite, canonical" first || echo -)"
} > "$data/sizes.dat"
{
    for workload in overwrite insert; do
        for shape in canonical rls; do
            bare="calls $workload, bare upsert"
            [ $shape = rls ] && bare="calls $workload, rls: bare upsert"
            label="$workload, superuser"
            [ $shape = rls ] && label="$workload, RLS"
            printf '"%s" %s %s %s\n' "$label" "$(figure "calls $workload, $shape")" \
                "$(figure "calls $workload, $shape: PL/pgSQL peer")" "$(figure "$bare")"
        done
    done
} > "$data/single.dat"

gnuplot <<GNUPLOT
set terminal svg size 760,440 font "sans,12" background "#ffffff"
set datafile missing "-"
set grid ytics
set key bottom left
set ylabel "thousand instructions per cell"
set xlabel "cells per batch"
set logscale xy
set xtics ("1" 1, "10" 10, "100" 100, "1,000" 1000, "10,000" 10000)
set output "$out/batch-sizes.svg"
set title "cell\\\\_upsert\\\\_many by batch size (callgrind, overwrite)"
plot "$data/sizes.dat" using 1:2 with linespoints lw 2 pt 7 title "cell\\\\_upsert\\\\_many", \
     "" using 1:5 with linespoints lw 1 pt 6 title "cell\\\\_upsert\\\\_many, before", \
     "" using 1:3 with linespoints lw 2 pt 5 title "bare set-based upsert", \
     "" using 1:4 with linespoints lw 2 pt 9 title "single cell\\\\_upsert calls"
unset logscale xy
set yrange [0:*]
unset xtics
set xtics
set key top right
set output "$out/single-call.svg"
set title "One call (callgrind, instructions per call)"
set ylabel "thousand instructions per call"
unset xlabel
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
plot "$data/single.dat" using 2:xtic(1) title "cell\\\\_upsert", \
     "" using 3 title "PL/pgSQL peer", \
     "" using 4 title "bare upsert"
GNUPLOT
echo "charts: $out/batch-sizes.svg $out/single-call.svg"
