#!/usr/bin/env bash
# Run by tools/test.sh inside pg_virtualenv (PGHOST, PGPORT, PGUSER set): pg_regress and
# isolation suites, then each test/scripts/*.sh. Appends "<name> <passed> <failed>" lines to $1.
set -uo pipefail
cd "$(dirname "$0")/.."
tally=$1

make -s installcheck > build/installcheck.log 2>&1
status=$?
cat build/installcheck.log
tools/count-results.sh pg_regress $status build/installcheck.log >> "$tally"
[ $status -eq 0 ] || { [ -f regression.diffs ] && cat regression.diffs; }

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
