# A throwaway server of the bench's own: sourced by the bench scripts.
# start_server initdb's a cluster in a fresh directory under /tmp, starts it on a socket in
# that directory only (no TCP port, so nothing to clash with) with the extension loaded from
# the staged install, and exports PGHOST, PGPORT, PGUSER, PGDATABASE. stop_server removes it
# (and does nothing when none was started). start_server_unless_pghost is what a bench that
# can also run on a server of the caller's does first.
# Not pg_virtualenv: as root it allows one cluster per machine, and a run takes minutes.
# shellcheck shell=bash

server_bin=/usr/lib/postgresql/15/bin
server_dir=
server_user=()

start_server() {
    local stage_dir=$1 options
    server_dir=$(mktemp -d /tmp/cellupsert-bench.XXXXXX)
    if [ "$(id -u)" -eq 0 ]; then
        chown postgres: "$server_dir"
        server_user=(runuser -u postgres --)
    fi
    "${server_user[@]}" "$server_bin/initdb" -D "$server_dir/data" -U postgres -A trust --no-sync >/dev/null
    # fsync on, so that the synchronous_commit=on run means something.
    options="-c listen_addresses= -c unix_socket_directories=$server_dir -c port=5499"
    options+=" -c fsync=on -c extension_destdir=$stage_dir"
    "${server_user[@]}" "$server_bin/pg_ctl" -D "$server_dir/data" -l "$server_dir/server.log" -w \
        -o "$options" start >/dev/null
    export PGHOST=$server_dir PGPORT=5499 PGUSER=postgres PGDATABASE=postgres
}

# Unless PGHOST names a server already: installs the packages, builds and stages the
# extension, starts the server and stops it on exit (a caller's own EXIT trap replaces that
# one, and calls stop_server itself).
start_server_unless_pghost() {
    [ -n "${PGHOST:-}" ] && return 0
    . tools/lib.sh
    install_packages
    build_and_stage
    trap stop_server EXIT
    start_server "$STAGE_DIR"
}

stop_server() {
    [ -n "$server_dir" ] || return 0
    "${server_user[@]}" "$server_bin/pg_ctl" -D "$server_dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$server_dir"
    server_dir=
}
