#!/usr/bin/env bash
# The cell_upsert benchmark, in one command: bash bench/run.sh
# Builds and stages the extension (build/destdir), starts a throwaway server of its own that
# loads it from there (extension_destdir), runs bench/measure.sh against it and stops it.
# With PGHOST set, it uses that server instead, where the extension must be installable.
# Sizes, rounds and durations: the BENCH_* variables at the top of bench/measure.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -n "${PGHOST:-}" ]; then
    exec bash bench/measure.sh
fi

. tools/lib.sh
install_packages
build_and_stage

# Not pg_virtualenv: as root it allows one cluster per machine, and a run takes minutes.
# The server listens on a socket in its own directory only, so it cannot clash on a port.
bin=/usr/lib/postgresql/15/bin
dir=$(mktemp -d /tmp/cellupsert-bench.XXXXXX)
as_server_user=()
if [ "$(id -u)" -eq 0 ]; then
    chown postgres: "$dir"
    as_server_user=(runuser -u postgres --)
fi
stop_server() {
    "${as_server_user[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$dir"
}
trap stop_server EXIT
"${as_server_user[@]}" "$bin/initdb" -D "$dir/data" -U postgres -A trust --no-sync >/dev/null
options="-c listen_addresses= -c unix_socket_directories=$dir -c port=5499"
options+=" -c fsync=on -c extension_destdir=$STAGE_DIR"
"${as_server_user[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o "$options" start >/dev/null

PGHOST=$dir PGPORT=5499 PGUSER=postgres PGDATABASE=postgres bash bench/measure.sh
