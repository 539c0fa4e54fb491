#!/usr/bin/env bash
# count-results.sh KIND EXIT_STATUS LOG: prints "KIND <passed> <failed> <skipped>" from a
# runner's log, or for any other KIND (a test script; LOG unused) from its exit status: 0 passed,
# 77 skipped (as automake counts it: the script found what it needs missing), else failed.
# A runner that failed without reporting a failed test counts as one failure.
kind=$1 status=$2 log=${3:-}
skipped=0
case $kind in
ctest)
    passed=$(grep -cE 'Test +#[0-9]+: .* Passed' "$log")
    skipped=$(grep -cE 'Test +#[0-9]+: .* \*\*\*Skipped' "$log")
    failed=$(grep -E 'Test +#[0-9]+: .* (\*\*\*|Failed|Not Run|Exception)' "$log" | grep -cv '\*\*\*Skipped') ;;
pg_regress | isolation)
    passed=$(grep -cE '\.\.\. ok' "$log")
    failed=$(grep -cE '\.\.\. FAILED|failed \(ignored\)' "$log") ;;
*)
    passed=0 failed=0
    case $status in
    0) passed=1 ;;
    77) skipped=1 status=0 ;;
    *) failed=1 ;;
    esac ;;
esac
[ "$status" -ne 0 ] && [ "$failed" -eq 0 ] && failed=1
echo "$kind $passed $failed $skipped"
