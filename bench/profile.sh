#!/usr/bin/env bash
# Where cell_upsert's time goes: instruction counts (valgrind --tool=callgrind) of a
# single-user backend running N calls of A (cell_upsert), B and C (the bare upsert), each
# less the empty loop's, and the functions where A spends more than C, per call.
#   bash bench/profile.sh                  # overwrite workload, 1000 calls
#   BENCH_PROFILE_WORKLOAD=insert BENCH_OTHER_LISTS=1000 bash bench/profile.sh
# Instruction counts are exact and do not depend on the load of the machine; they do not
# count system calls (a sequential scan's lseek) or cache misses: bench/run.sh measures time.
set -euo pipefail
cd "$(dirname "$0")/.."

WORKLOAD=${BENCH_PROFILE_WORKLOAD:-overwrite}
CALLS=${BENCH_PROFILE_CALLS:-1000}
ROWS=${BENCH_PROFILE_ROWS:-2000}
OTHER_LISTS=${BENCH_OTHER_LISTS:-0}
RESULTS_DIR=${BENCH_RESULTS_DIR:-bench/results}

. tools/lib.sh
. bench/server.sh
install_packages
command -v valgrind >/dev/null || as_root apt-get install -y -qq valgrind >/dev/null
build_and_stage
trap stop_server EXIT
start_server "$STAGE_DIR"
psql -X -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE profile"
PGDATABASE=profile psql -X -q -v ON_ERROR_STOP=1 -v rows="$ROWS" -v other_lists="$OTHER_LISTS" \
    -f bench/sql/fixture.sql -f bench/sql/reference.sql -f bench/sql/profile.sql
"${server_user[@]}" "$server_bin/pg_ctl" -D "$server_dir/data" -m fast stop >/dev/null

stamp=$(date +%Y%m%d-%H%M%S)
out="$RESULTS_DIR/profile-$stamp"
mkdir -p "$out"
chmod 777 "$server_dir"
single_user() {
    "${server_user[@]}" "$server_bin/postgres" --single -D "$server_dir/data" \
        -c extension_destdir="$STAGE_DIR" "$@" profile
}

# Once untimed, rolled back: the index pages split where the calls will write, for all alike.
for method in A B C; do
    printf '%s\n' "BEGIN" "SELECT bench.run_calls('$method', '$WORKLOAD', $CALLS)" "ROLLBACK" |
        single_user >/dev/null 2>&1
done

# Total instructions of a backend that prepares its plans (3 calls), then makes $CALLS calls.
declare -A total
for method in 0 A B C; do
    echo "VACUUM bench.list_company_cells" | single_user >/dev/null 2>&1
    printf '%s\n' "BEGIN" "SELECT bench.run_calls('$method', '$WORKLOAD', 3)" "ROLLBACK" \
                  "BEGIN" "SELECT bench.run_calls('$method', '$WORKLOAD', $CALLS)" "ROLLBACK" |
        "${server_user[@]}" valgrind --tool=callgrind --callgrind-out-file="$server_dir/callgrind.$method" \
            "$server_bin/postgres" --single -D "$server_dir/data" -c extension_destdir="$STAGE_DIR" profile \
            > "$server_dir/log.$method" 2>&1
    if grep -q ERROR "$server_dir/log.$method"; then cat "$server_dir/log.$method" >&2; exit 1; fi
    cp "$server_dir/callgrind.$method" "$out/"
    total[$method]=$(sed -n 's/^summary: //p' "$server_dir/callgrind.$method")
done

# Inclusive instructions per function (first, outermost, occurrence of each name).
inclusive() {
    callgrind_annotate --inclusive=yes --threshold=100 "$1" 2>/dev/null |
        awk '/^ *[0-9,]+ \(/ { v = $1; gsub(",", "", v); $1 = ""; $2 = ""; sub(/^ +/, "");
                              sub(/ \[.*$/, ""); sub(/^[^:]*:/, ""); if (!($0 in seen)) { seen[$0] = v; print $0 "\t" v } }' |
        sort -t $'\t' -k1,1
}
inclusive "$out/callgrind.A" > "$out/A.tsv"
inclusive "$out/callgrind.C" > "$out/C.tsv"

{
    echo "workload $WORKLOAD, $CALLS calls, $ROWS rows, $OTHER_LISTS other lists"
    echo "instructions per call, less the empty loop's:"
    for method in A B C; do
        awk -v m="$method" -v t="${total[$method]}" -v z="${total[0]}" -v n="$CALLS" -v c="${total[C]}" \
            'BEGIN { printf "  %s %7.1fk  (%s/C %.2f)\n", m, (t - z) / n / 1000, m, (t - z) / (c - z) }'
    done
    echo "functions where A spends more than C, instructions per call (inclusive; first 40"
    echo "below the call chain down to the executor):"
    join -t $'\t' -a 1 -a 2 -e 0 -o 0,1.2,2.2 "$out/A.tsv" "$out/C.tsv" |
        awk -F '\t' -v n="$CALLS" '$1 !~ /^0x|guarded|cell_upsert|SPI_execute_plan|ExecutorRun|plpgsql_|main|Postgres|PortalRun|PROGRAM TOTALS|ExecInterpExprStillValid/ { d = ($2 - $3) / n; if (d >= 500) printf "  %7.1fk  %s\n", d / 1000, $1 }' |
        sort -rn | head -40
} | tee "$out/summary.txt"
echo "callgrind files: $out (callgrind_annotate --inclusive=yes $out/callgrind.A)"
