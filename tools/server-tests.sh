#!/usr/bin/env bash
# Run by tools/test.sh inside pg_virtualenv (PGHOST, PGPORT, PGUSER set): pg_regress suites,
# isolation specs, then each test/scripts/*.sh. Appends "<name> <passed> <failed> <skipped>"
# lines to $1. A script that exits 77 is skipped (it found something it needs missing, e.g.
# Citus): neither passed nor failed.
set -uo pipefail
cd "$(dirname "$0")/.."
tally=$1

# suites KIND LOG DIFFS MAKE_ARGS...: one runner, with its own log and diffs, so that a
# failure of one runner neither stops the other nor hides its diffs.
suites() {
    local kind=$1 log=$2 diffs=$3 status
    shift 3
    make -s installcheck "$@" > "$log" 2>&1
    status=$?
    cat "$log"
    tools/count-results.sh "$kind" $status "$log" >> "$tally"
    [ $status -eq 0 ] || { [ -f "$diffs" ] && cat "$diffs"; }
}
suites pg_regress build/installcheck-regress.log regression.diffs ISOLATION=
suites isolation build/installcheck-isolation.log output_iso/regression.diffs REGRESS=

for script in test/scripts/*.sh; do
    [ -e "$script" ] || continue
    echo "== $script"
    bash "$script"
    status=$?
    case $status in
    0) ;;
    77) echo "SKIPPED: $script" ;;
    *) echo "FAILED: $script" ;;
    esac
    tools/count-results.sh "$script" $status >> "$tally"
done
