#!/usr/bin/env bash
# Run by tools/test.sh inside pg_virtualenv (PGHOST, PGPORT, PGUSER set): pg_regress suites,
# isolation specs, then each test/scripts/*.sh. Appends "<name> <passed> <failed>" lines to $1.
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
    if bash "$script"; then
        echo "$script 1 0" >> "$tally"
    else
        echo "FAILED: $script"
        echo "$script 0 1" >> "$tally"
    fi
done
