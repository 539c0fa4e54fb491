#!/usr/bin/env bash
# Installs what the tests need, builds, and runs every test: the C++ unit tests (CTest), then
# on a throwaway PostgreSQL server (pg_virtualenv) the pg_regress suites, the isolation specs
# and the scripts in test/scripts/. Ends with one line "N passed, N failed"; exits non-zero
# on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
. tools/lib.sh

install_packages || exit 1
build_and_stage || exit 1

tally=$(mktemp)
trap 'rm -f "$tally"' EXIT

echo "== unit tests"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null &&
    cmake --build build -j2 >/dev/null
mkdir -p build
(cd build && ctest --output-on-failure) > build/ctest.log 2>&1
tools/count-results.sh ctest $? build/ctest.log >> "$tally"

echo "== server tests"
PGPORT=$(free_port) pg_virtualenv -t -v 15 -o "extension_destdir=$STAGE_DIR" tools/server-tests.sh "$tally"
[ $? -eq 0 ] || echo "server tests 0 1" >> "$tally"

echo "== results (passed, failed)"
cat "$tally"
awk '{ passed += $(NF-1); failed += $NF } END { printf "%d passed, %d failed\n", passed, failed; exit failed > 0 }' "$tally"
