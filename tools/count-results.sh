#!/usr/bin/env bash
# count-results.sh KIND EXIT_STATUS LOG: prints "KIND <passed> <failed>" from a runner's log.
# A runner that failed without reporting a failed test counts as one failure.
kind=$1 status=$2 log=$3
case $kind in
ctest)
    passed=$(grep -cE 'Test +#[0-9]+: .* Passed' "$log")
    failed=$(grep -cE 'Test +#[0-9]+: .* (\*\*\*|Failed|Not Run|Exception)' "$log") ;;
pg_regress | isolation)
    passed=$(grep -cE '\.\.\. ok' "$log")
    failed=$(grep -cE '\.\.\. FAILED|failed \(ignored\)' "$log") ;;
esac
[ "$status" -ne 0 ] && [ "$failed" -eq 0 ] && failed=1
echo "$kind $passed $failed"
