#!/usr/bin/env bash
# The cell_upsert benchmark, in one command: bash bench/run.sh
# Builds and stages the extension (build/destdir), starts a throwaway server of its own that
# loads it from there (extension_destdir), runs bench/measure.sh against it and stops it.
# With PGHOST set, it uses that server instead, where the extension must be installable.
# Sizes, rounds and durations: the BENCH_* variables at the top of bench/measure.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

. bench/server.sh
start_server_unless_pghost
bash bench/measure.sh
