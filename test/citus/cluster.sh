# A throwaway Citus cluster on loopback, set up as docs/citus.md says: a coordinator and two
# workers in a fresh directory under /tmp, run as user postgres (when run as root), each
# loading the staged extension (extension_destdir). Sourced by test/scripts/citus_cluster.sh
# and bench/citus.sh. Building or installing Citus is not this project's: without it,
# citus_installed is false and the callers skip.
#
#   citus_installed        Citus is installed in this PostgreSQL (citus.so and citus.control)
#   cluster_setup STAGE    initdb x3, the guide's postgresql.conf and pg_hba.conf blocks, start,
#                          then the guide's SQL blocks in order; exports CLUSTER_DIR and the
#                          ports COORDINATOR, WORKER1, WORKER2
#   cluster_stop           stops the servers and removes the directory
#   on PORT [psql args]    psql as postgres on a node (database postgres), stops at an error
# CLUSTER_FSYNC (default off) is the servers' fsync.
# shellcheck shell=bash

cluster_bin=${PG_BINDIR:-/usr/lib/postgresql/15/bin}
cluster_guide=docs/citus.md
CLUSTER_DIR=

citus_installed() {
    local pg_config=$cluster_bin/pg_config
    [ -f "$("$pg_config" --pkglibdir)/citus.so" ] &&
        [ -f "$("$pg_config" --sharedir)/extension/citus.control" ]
}

cluster_as_postgres() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# Three distinct free TCP ports on 127.0.0.1, below the ephemeral ports, as free_port
# (tools/lib.sh) picks them.
cluster_free_ports() {
    local port found=()
    while [ ${#found[@]} -lt 3 ]; do
        port=$((20000 + RANDOM % 12000))
        (echo > "/dev/tcp/127.0.0.1/$port") 2>/dev/null && continue
        [[ " ${found[*]} " == *" $port "* ]] || found+=("$port")
    done
    echo "${found[@]}"
}

on() {
    local port=$1
    shift
    PGOPTIONS= PGPASSWORD= "$cluster_bin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres \
        -d postgres "$@"
}

# The blocks of the guide marked <!-- citus-test: TARGET --> into DIR, one file each, named
# NN.TARGET (spaces as dashes), with this cluster's hosts, ports, addresses and paths.
cluster_guide_blocks() {
    local dir=$1 stage=$2 share f
    share=$("$cluster_bin/pg_config" --sharedir)
    awk -v dir="$dir" '
        /^<!-- citus-test: .* -->$/ {
            target = $0; sub(/^<!-- citus-test: /, "", target); sub(/ -->$/, "", target)
            gsub(/ /, "-", target); wanted = 1; next }
        wanted && !inside && /^```/ { inside = 1; n++; file = sprintf("%s/%02d.%s", dir, n, target); printf "" > file; next }
        inside && /^```/ { inside = 0; wanted = 0; close(file); next }
        inside { print > file }
    ' "$cluster_guide"
    for f in "$dir"/*; do
        sed -i -e "s/'coordinator\.internal', 5432/'127.0.0.1', $COORDINATOR/" \
            -e "s/'worker-1\.internal', 5432/'127.0.0.1', $WORKER1/" \
            -e "s/'worker-2\.internal', 5432/'127.0.0.1', $WORKER2/" \
            -e "s#10\.0\.[01]\.0/24#127.0.0.1/32#" \
            -e "s#/usr/share/postgresql/15/extension/#$stage$share/extension/#" "$f"
        if grep -qE '\.internal|10\.0\.' "$f"; then
            echo "cluster: $f still names a host of the guide" >&2
            return 1
        fi
    done
}

cluster_setup() {
    local stage=$1 port block
    CLUSTER_DIR=$(mktemp -d /tmp/cellupsert-citus.XXXXXX)
    chmod 755 "$CLUSTER_DIR"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$CLUSTER_DIR"
    read -r COORDINATOR WORKER1 WORKER2 < <(cluster_free_ports)
    export CLUSTER_DIR COORDINATOR WORKER1 WORKER2
    mkdir "$CLUSTER_DIR/guide"
    cluster_guide_blocks "$CLUSTER_DIR/guide" "$stage" || return 1
    for port in $COORDINATOR $WORKER1 $WORKER2; do
        # initdb's pg_hba.conf trusts local connections: the superuser's, between the nodes too.
        cluster_as_postgres "$cluster_bin/initdb" -D "$CLUSTER_DIR/n$port" -U postgres -A trust \
            -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null || return 1
        cat >> "$CLUSTER_DIR/n$port/postgresql.conf" <<CONF
port = $port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$CLUSTER_DIR'
extension_destdir = '$stage'
fsync = ${CLUSTER_FSYNC:-off}
CONF
        for block in "$CLUSTER_DIR"/guide/*.postgresql.conf; do
            cat "$block" >> "$CLUSTER_DIR/n$port/postgresql.conf"
        done
        for block in "$CLUSTER_DIR"/guide/*.pg_hba.conf; do
            cat "$block" "$CLUSTER_DIR/n$port/pg_hba.conf" > "$CLUSTER_DIR/pg_hba.new"
            mv "$CLUSTER_DIR/pg_hba.new" "$CLUSTER_DIR/n$port/pg_hba.conf"
        done
        [ "$(id -u)" -eq 0 ] && chown postgres: "$CLUSTER_DIR/n$port/pg_hba.conf"
        cluster_as_postgres "$cluster_bin/pg_ctl" -D "$CLUSTER_DIR/n$port" -l "$CLUSTER_DIR/n$port.log" \
            -w start >/dev/null || return 1
    done
    for block in "$CLUSTER_DIR"/guide/*; do
        case $block in
        *.every-node)
            for port in $COORDINATOR $WORKER1 $WORKER2; do on "$port" -f "$block" >/dev/null || return 1; done ;;
        *.coordinator)
            on "$COORDINATOR" -f "$block" >/dev/null || return 1 ;;
        *.postgresql.conf | *.pg_hba.conf) ;;
        *)
            echo "cluster: unknown target of $block" >&2
            return 1 ;;
        esac
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
