#!/usr/bin/env bash
# Fuzzes the pure C++ id rules (check_id, parse_id_text, format_id) with libFuzzer, ASan and
# UBSan (clang-14 and libclang-rt-14-dev from Debian) for CELLUPSERT_FUZZ_SECONDS (default
# 60). Fails on any crash, property violation or sanitizer report; prints the executions.
# Needs no server: run it alone with `bash test/scripts/fuzz_ids.sh`. A failing input is
# saved as build/fuzz/crash-*; replay it with `build/fuzz/id_rules_fuzz build/fuzz/crash-…`.
set -euo pipefail
cd "$(dirname "$0")/../.."

seconds=${CELLUPSERT_FUZZ_SECONDS:-60}
out=build/fuzz
mkdir -p "$out/corpus"

clang++-14 -std=c++17 -g -O1 -Wall -Wextra \
    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
    -Isrc/core test/fuzz/id_rules_fuzz.cpp src/core/id_rules.cpp -luuid \
    -o "$out/id_rules_fuzz"

# New inputs go to build/fuzz/corpus; the seeds in test/fuzz/corpus are only read.
started=$SECONDS
status=0
UBSAN_OPTIONS=print_stacktrace=1 "$out/id_rules_fuzz" \
    -max_total_time="$seconds" -max_len=128 -print_final_stats=1 \
    -artifact_prefix="$out/" "$out/corpus" test/fuzz/corpus > "$out/fuzz.log" 2>&1 || status=$?

runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/fuzz.log")
echo "fuzz_ids: ${runs:-no} executions in $((SECONDS - started)) s, corpus of" \
     "$(find "$out/corpus" test/fuzz/corpus -type f | wc -l) inputs"
if [ "$status" -ne 0 ] || [ -z "$runs" ] ||
   grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:|property violated' \
       "$out/fuzz.log"; then
    tail -n 40 "$out/fuzz.log"
    echo "fuzz_ids: FAILED (exit status $status)"
    exit 1
fi
echo "fuzz_ids: ok, no crash, no property violated, no sanitizer report"
