# A throwaway Citus cluster on loopback: a coordinator and two workers, in a fresh directory,
# as user postgres, each loading the staged extension (extension_destdir). Sourced by
# test/scripts/citus_cluster.sh and bench/citus.sh.
#   citus_installed          true when Citus is installed in this PostgreSQL (else: skip)
#   cluster_start STAGE_DIR  initdb x3, start, exports CLUSTER_DIR, COORDINATOR, WORKER1, WORKER2 (ports)
#   cluster_stop             stops the servers and removes the directory
#   on PORT [psql args]      psql as postgres on that node, database postgres, strict
# shellcheck shell=bash

cluster_bin=${PG_BINDIR:-/usr/lib/postgresql/15/bin}
CLUSTER_DIR=

citus_installed() {
    local pg_config=$cluster_bin/pg_config
    [ -f "$("$pg_config" --pkglibdir)/citus.so" ] &&
        [ -f "$("$pg_config" --sharedir)/extension/citus.control" ]
}

cluster_as_postgres() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# Three free TCP ports on 127.0.0.1, one after the other.
cluster_free_ports() {
    local port found=()
    while [ ${#found[@]} -lt 3 ]; do
        port=$((20000 + RANDOM % 20000))
        (echo > "/dev/tcp/127.0.0.1/$port") 2>/dev/null && continue
        [[ " ${found[*]} " == *" $port "* ]] || found+=("$port")
    done
    echo "${found[@]}"
}

cluster_start() {
    local stage_dir=$1 port
    CLUSTER_DIR=$(mktemp -d /tmp/cellupsert-citus.XXXXXX)
    chmod 755 "$CLUSTER_DIR"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$CLUSTER_DIR"
    read -r COORDINATOR WORKER1 WORKER2 < <(cluster_free_ports)
    export CLUSTER_DIR COORDINATOR WORKER1 WORKER2
    for port in $COORDINATOR $WORKER1 $WORKER2; do
        cluster_as_postgres "$cluster_bin/initdb" -D "$CLUSTER_DIR/n$port" -U postgres -A trust \
            -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null || return 1
        cat >> "$CLUSTER_DIR/n$port/postgresql.conf" <<CONF
port = $port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$CLUSTER_DIR'
shared_preload_libraries = 'citus'
extension_destdir = '$stage_dir'
max_connections = 100
CONF
        cluster_as_postgres "$cluster_bin/pg_ctl" -D "$CLUSTER_DIR/n$port" -l "$CLUSTER_DIR/n$port.log" \
            -w start >/dev/null || return 1
    done
}

cluster_stop() {
    [ -n "$CLUSTER_DIR" ] || return 0
    local port
    for port in $COORDINATOR $WORKER1 $WORKER2; do
        cluster_as_postgres "$cluster_bin/pg_ctl" -D "$CLUSTER_DIR/n$port" -m immediate stop >/dev/null 2>&1
    done
    rm -rf "$CLUSTER_DIR"
    CLUSTER_DIR=
}

on() {
    local port=$1
    shift
    PGOPTIONS= "$cluster_bin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d postgres "$@"
}
