#!/usr/bin/env bash
# Instructions per call of cell_upsert, and per cell of a cell_upsert_many batch, for one or
# more commits side by side (valgrind --tool=callgrind on a single-user backend, as
# bench/profile.sh):
#   bash bench/instructions.sh                    # the working tree only
#   bash bench/instructions.sh 6018dce 4c87ae6    # each rev, and its ratio to the first
# Workloads: BENCH_INSTRUCTIONS_CALLS single calls (with if_match too, from 1.3), and one batch
# of BENCH_INSTRUCTIONS_BATCH cells, overwrite and insert, on the canonical shape
# (bench/sql/fixture.sql with BENCH_OTHER_LISTS other lists) and the original API's
# (bench/sql/shapes_fixture.sql, given as many other lists by bench/sql/instructions_fixture.sql);
# and, from 1.3 on the canonical shape, one cell_enrich_many of the overwrite batch with a
# tenth of its cells a person's, against the bare set-based upsert with the predicate that
# skips them ("enrich ...: call" and "bare"). From 1.4: the canonical shape is without the
# history's trigger ("history off"); "history" is the same with it; and the bare upsert of
# the same cells ("bare upsert"), then the same upsert with its history row written by hand
# in one statement ("bare + history", bench/sql/instructions_fixture.sql), single and batch.
# A figure: the instructions of a backend that warms up (3 calls, or a 20-cell batch, rolled
# back) then makes the calls, less those of a backend that warms up alike then runs the empty
# loop, per call or cell. The warm-up is in both, so the first calls' planning cancels out:
# the figure is a call's steady cost. Counts are exact whatever the load; they do not count
# system calls or cache misses (bench/run.sh measures time).
# Each rev is built and staged in a copy of its own (git archive; "." copies the working
# tree), never in this tree, so that a checkout being edited is left alone; each gets a fresh
# server, the same fixture and the same sequence of runs, so that its counts depend on its
# code only.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

CALLS=${BENCH_INSTRUCTIONS_CALLS:-500}
# Small batches: each size, in as many batches as make about SIZES_CELLS cells (at least 5).
SIZES=${BENCH_INSTRUCTIONS_SIZES:-1 10 100 1000}
SIZES_CELLS=${BENCH_INSTRUCTIONS_SIZES_CELLS:-2000}
BATCH=${BENCH_INSTRUCTIONS_BATCH:-10000}
ROWS=${BENCH_INSTRUCTIONS_ROWS:-2000}
OTHER_LISTS=${BENCH_OTHER_LISTS:-500}
RESULTS_DIR=${BENCH_RESULTS_DIR:-bench/results}
revs=("$@")
[ ${#revs[@]} -gt 0 ] || revs=(.)
BATCH=$((BATCH / 10 * 10))
if [ "$BATCH" -lt 20 ] || [ "$BATCH" -gt $((10 * ROWS)) ] || [ "$CALLS" -gt $((10 * ROWS)) ]; then
    echo "BENCH_INSTRUCTIONS_BATCH (from 20) and _CALLS must be at most 10 x BENCH_INSTRUCTIONS_ROWS" >&2
    exit 2
fi

. tools/lib.sh
. bench/server.sh
install_packages
command -v valgrind >/dev/null || as_root apt-get install -y -qq valgrind >/dev/null
work=$(mktemp -d /tmp/cellupsert-instructions.XXXXXX)
chmod 755 "$work"   # the postgres user reads the staged installs in it
trap 'stop_server; rm -rf "$work"' EXIT

single_user() {   # single_user DB [valgrind ...]: a backend that reads statements from stdin
    local db=$1; shift
    "${server_user[@]}" "$@" "$server_bin/postgres" --single -D "$server_dir/data" \
        -c extension_destdir="$stage" "$db" >> "$work/log" 2>&1
}
checked() {       # checked DB [valgrind ...]: single_user, and stop at its first ERROR
    : > "$work/log"
    single_user "$@"
    if grep -q ERROR "$work/log"; then cat "$work/log" >&2; exit 1; fi
}

# Instructions of one backend: warm-up, then the run (KIND calls or batch, METHOD call or
# empty), each rolled back. A VACUUM first, so that every run starts from the same table.
instructions() {  # instructions DB KIND WORKLOAD METHOD
    local db=$1 kind=$2 workload=$3 method=$4 warm run
    if [ "$kind" = calls ]; then
        warm="SELECT bench.instr_calls('call', '$workload', 3)"
        run="SELECT bench.instr_calls('$method', '$workload', $CALLS)"
    elif [ "$kind" = enrich ]; then
        warm="SELECT bench.instr_enrich('call', 20)"
        run="SELECT bench.instr_enrich('$method', $BATCH)"
    elif [ "$kind" = sizes ]; then   # WORKLOAD: the batch size; the calls from SIZES_CELLS
        warm="SELECT bench.instr_sizes('call', $workload, 3)"
        run="SELECT bench.instr_sizes('$method', $workload, $(sizes_calls "$workload"))"
    elif [ "$kind" = conditional ]; then
        warm="SELECT bench.instr_calls('if_match', '$workload', 3)"
        run="SELECT bench.instr_calls('$method', '$workload', $CALLS)"
    else
        warm="SELECT bench.instr_batch('call', '$workload', 20)"
        run="SELECT bench.instr_batch('$method', '$workload', $BATCH)"
    fi
    echo "VACUUM bench.list_company_cells" | checked "$db"
    # The rls shape's runs: as the member of the bench list, as PostgREST sets the user.
    local as_member=()
    [ "$db" = instr_rls ] && as_member=("SET ROLE bench_member" "SET request.jwt.claims = '{\"sub\": \"member\"}'")
    printf '%s\n' "${as_member[@]}" BEGIN "$warm" ROLLBACK BEGIN "$run" ROLLBACK |
        checked "$db" valgrind --tool=callgrind --callgrind-out-file="$server_dir/callgrind.out"
    sed -n 's/^summary: //p' "$server_dir/callgrind.out"
}

sizes_calls() { local calls=$((SIZES_CELLS / $1)); [ "$calls" -ge 5 ] && echo "$calls" || echo 5; }

rows=()
declare -A figure   # "row,rev index" -> instructions per call or cell
labels=()
for ((r = 0; r < ${#revs[@]}; r++)); do
    rev=${revs[r]} tree=$work/tree$r
    mkdir "$tree"
    if [ "$rev" = . ]; then
        labels+=("worktree")
        git ls-files -z -co --exclude-standard | tar --null -T - --ignore-failed-read -cf - | tar -x -C "$tree"
    else
        labels+=("$(git rev-parse --short "$rev^{commit}")")
        git archive "$rev" | tar -x -C "$tree"
    fi
    echo "== ${labels[r]}: build, fixtures"
    # tools/lib.sh stages in build/destdir of the directory it is sourced in: the copy's.
    (cd "$tree" && . "$repo/tools/lib.sh" && PG_CONFIG=pg_config build_and_stage)
    stage=$tree/build/destdir
    start_server "$stage"
    # From 1.4 on (the rev has the history's migration): "history" is the canonical fixture
    # with the history table and its trigger; the canonical one gets the table without the
    # trigger, for the upsert and history row written by hand.
    history_migration=$tree/sql/cellupsert_list_tables--1.3--1.4.sql
    shapes=(canonical original)
    [ -f "$history_migration" ] && shapes+=(history)
    shapes+=(rls)
    for shape in "${shapes[@]}"; do
        psql -X -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE instr_$shape"
        fixture=$repo/bench/sql/shapes_fixture.sql canonical=false
        [ "$shape" != original ] && fixture=$repo/bench/sql/fixture.sql canonical=true
        # From the copy: fixture.sql reads the rev's canonical DDL, sql/cellupsert_list_tables.sql.
        (cd "$tree" && PGDATABASE=instr_$shape psql -X -q -v ON_ERROR_STOP=1 -v canonical=$canonical \
            -v rows="$ROWS" -v other_lists="$OTHER_LISTS" -v batch=20 -v batch_cells="$BATCH" \
            -f "$fixture" -f "$repo/bench/sql/instructions_fixture.sql" -f "$repo/bench/sql/reference.sql" >/dev/null)
        if [ "$shape" != original ] && [ -f "$history_migration" ]; then
            PGDATABASE=instr_$shape PGOPTIONS="-c search_path=bench" psql -X -q -v ON_ERROR_STOP=1 \
                -f "$history_migration" >/dev/null
            [ "$shape" = history ] || PGDATABASE=instr_$shape psql -X -q -v ON_ERROR_STOP=1 \
                -c "DROP TRIGGER list_company_cells_history_insert ON bench.list_company_cells" \
                -c "DROP TRIGGER list_company_cells_history_update ON bench.list_company_cells"
        fi
        [ "$shape" != rls ] || PGDATABASE=instr_rls psql -X -q -v ON_ERROR_STOP=1 \
            -f "$repo/bench/sql/rls_fixture.sql" >/dev/null
    done
    "${server_user[@]}" "$server_bin/pg_ctl" -D "$server_dir/data" -m fast stop >/dev/null

    for shape in "${shapes[@]}"; do
        echo "== ${labels[r]}: $shape shape"
        # Once untimed, rolled back: the index pages split where the runs will write, for all alike.
        for workload in overwrite insert; do
            printf '%s\n' BEGIN "SELECT bench.instr_calls('call', '$workload', $CALLS)" ROLLBACK \
                          BEGIN "SELECT bench.instr_batch('call', '$workload', $BATCH)" ROLLBACK
        done | checked "instr_$shape"
        # cell_enrich_many against the bare predicate upsert (canonical shape, 1.3 on).
        enrich=$(echo "SELECT 'enrich=' || (to_regproc('bench.cell_enrich_many') IS NOT NULL)" |
            "${server_user[@]}" "$server_bin/postgres" --single -D "$server_dir/data" \
                -c extension_destdir="$stage" "instr_$shape" 2>/dev/null | grep -c '"enrich=true"' || true)
        if [ "$shape" = canonical ] && [ "$enrich" -gt 0 ]; then
            empty=$(instructions "instr_$shape" enrich - empty)
            for method in call bare; do
                full=$(instructions "instr_$shape" enrich - $method)
                row="enrich $BATCH, 10% manual: $method"
                [[ " ${rows[*]} " == *" $row "* ]] || rows+=("$row")
                figure[$row,$r]=$(( (full - empty) / BATCH ))
            done
        fi
        # Calls with if_match where the rev has versions (cellupsert 1.3 on).
        conditional=$(echo "SELECT 'versions=' || (to_regproc('bench.cell_version_of') IS NOT NULL)" |
            "${server_user[@]}" "$server_bin/postgres" --single -D "$server_dir/data" \
                -c extension_destdir="$stage" "instr_$shape" 2>/dev/null | grep -c '"versions=true"' || true)
        # Small batches, against the bare upsert and single calls (the canonical shape, history
        # off, and with history from 1.4).
        if [ "$shape" != original ] && [ "$shape" != rls ]; then
            for size in $SIZES; do
                empty=$(instructions "instr_$shape" sizes "$size" empty)
                calls=$(sizes_calls "$size")
                methods_sizes=(call)
                [ "$shape" = canonical ] && methods_sizes+=(bare single)
                for method in "${methods_sizes[@]}"; do
                    full=$(instructions "instr_$shape" sizes "$size" "$method")
                    row="batches of $size, $shape: $method"
                    [[ " ${rows[*]} " == *" $row "* ]] || rows+=("$row")
                    figure[$row,$r]=$(( (full - empty) / (calls * size) ))
                done
            done
        fi
        # The bare upsert, and with its history row by hand (the canonical shape, from 1.4).
        # Under row-level security, single calls against the bare upsert and the PL/pgSQL peer.
        methods=(call)
        [ "$shape" = canonical ] && [ -f "$history_migration" ] && methods+=(bare bare_history)
        [ "$shape" = canonical ] || [ "$shape" = rls ] && methods+=(plpgsql)
        [ "$shape" = rls ] && methods+=(bare)
        kinds=(calls conditional batch)
        [ "$shape" = rls ] && kinds=(calls)
        for kind in "${kinds[@]}"; do
            [ $kind != conditional ] || { [ "$conditional" -gt 0 ] && [ "$shape" != history ]; } || continue
            for workload in overwrite insert; do
                n=$CALLS; [ $kind = batch ] && n=$BATCH
                if [ $kind = conditional ]; then
                    empty=$(instructions "instr_$shape" $kind $workload empty_versions)
                    full=$(instructions "instr_$shape" $kind $workload if_match)
                    row="calls $workload if_match, $shape"
                    [[ " ${rows[*]} " == *" $row "* ]] || rows+=("$row")
                    figure[$row,$r]=$(( (full - empty) / n ))
                    continue
                fi
                empty=$(instructions "instr_$shape" $kind $workload empty)
                for method in "${methods[@]}"; do
                    [ $method != plpgsql ] || [ $kind = calls ] || continue  # a single call's peer
                    full=$(instructions "instr_$shape" $kind $workload $method)
                    row="$kind $workload, $shape"
                    [ $method = bare ] && row="$kind $workload, bare upsert"
                    [ $method = bare ] && [ "$shape" = rls ] && row="$kind $workload, rls: bare upsert"
                    [ $method = bare_history ] && row="$kind $workload, bare + history"
                    [ $method = plpgsql ] && row="$kind $workload, $shape: PL/pgSQL peer"
                    [[ " ${rows[*]} " == *" $row "* ]] || rows+=("$row")
                    figure[$row,$r]=$(( (full - empty) / n ))
                done
            done
        done
    done
    stop_server
done

mkdir -p "$RESULTS_DIR"
out=$RESULTS_DIR/instructions-$(date +%Y%m%d-%H%M%S).txt
{
    echo "instructions per call (calls: cell_upsert) or per cell (batch: one cell_upsert_many),"
    echo "less the empty loop's: $CALLS calls, a batch of $BATCH cells; $ROWS rows x 20 columns, $OTHER_LISTS other lists"
    for ((r = 0; r < ${#revs[@]}; r++)); do
        # Not git describe --dirty or git status: they may rewrite the index, which a
        # checkout being edited shares.
        if [ "${revs[r]}" = . ]; then echo "  worktree = the working tree, at $(git log -1 --format='%h %s' | cut -c1-70)"
        else echo "  ${labels[r]} = $(git log -1 --format='%h %s' "${labels[r]}" | cut -c1-80)"; fi
    done
    printf '%-44s' workload
    printf '%12s' "${labels[@]}"
    for ((r = 1; r < ${#revs[@]}; r++)); do printf '%18s' "${labels[r]}/${labels[0]}"; done
    echo
    # A row a rev cannot run (if_match before 1.3) shows "-", and so do its ratios.
    for row in "${rows[@]}"; do
        printf '%-44s' "$row"
        for ((r = 0; r < ${#revs[@]}; r++)); do printf '%12s' "${figure[$row,$r]:--}"; done
        for ((r = 1; r < ${#revs[@]}; r++)); do
            awk -v a="${figure[$row,$r]:--}" -v b="${figure[$row,0]:--}" \
                'BEGIN { if (a == "-" || b == "-") printf "%18s", "-"; else printf "%18.3f", a / b }'
        done
        echo
    done
} | tee "$out"
echo "this table: $out"
