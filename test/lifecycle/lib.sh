# Shared by the lifecycle scripts in test/scripts/: the versions found in sql/, a strict psql,
# throwaway databases and roles, and cleanups that run on any exit.
# shellcheck shell=bash
set -euo pipefail

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# Cleanups run in reverse order of registration, on success, failure or interrupt.
CLEANUPS=()
at_exit() { CLEANUPS=("$1" "${CLEANUPS[@]}"); }
run_cleanups() {
    local c
    for c in "${CLEANUPS[@]}"; do eval "$c" >/dev/null 2>&1 || true; done
}
trap run_cleanups EXIT
trap 'exit 130' INT TERM

# Versions come from the file names in sql/: cellupsert--V.sql installs V,
# cellupsert--A--B.sql upgrades A to B, cellupsert_list_tables--A--B.sql migrates the list
# tables from A's shape to B's. Ordered as sort -V orders them (1.9 < 1.10).
install_versions() {
    local f v
    for f in sql/cellupsert--*.sql; do
        v=${f#sql/cellupsert--}
        v=${v%.sql}
        [[ $v == *--* ]] || echo "$v"
    done | sort -V
}

# "A B" for each upgrade script.
upgrade_steps() {
    local f s
    for f in sql/cellupsert--*--*.sql; do
        [ -e "$f" ] || continue
        s=${f#sql/cellupsert--}
        s=${s%.sql}
        echo "${s%%--*} ${s#*--}"
    done
}

all_versions() {
    { install_versions; upgrade_steps | tr ' ' '\n'; } | sort -Vu
}

default_version() {
    sed -n "s/^default_version *= *'\([^']*\)'.*/\1/p" cellupsert.control
}

# The list-table DDL as released with the oldest version: the start of the upgrade test.
base_ddl_file() {
    echo "test/fixtures/cellupsert_list_tables--$1.sql"
}

# psql that reads no ~/.psqlrc, is quiet, and stops at the first error.
sql() {
    psql -X -q -v ON_ERROR_STOP=1 "$@"
}

# A fresh empty database, dropped on exit.
new_db() {
    dropdb --if-exists --force "$1" 2>/dev/null
    createdb -T template0 "$1"
    at_exit "dropdb --if-exists --force '$1'"
}

# Roles are cluster-wide: created if missing, dropped on exit. Call it before new_db, so that
# the databases that mention the roles are dropped first (cleanups run in reverse order).
new_roles() {
    local r
    for r in "$@"; do
        at_exit "psql -X -q -d postgres -c 'DROP ROLE IF EXISTS $r'"
        sql -d postgres <<<"SELECT 'CREATE ROLE $r' WHERE NOT EXISTS
                                (SELECT FROM pg_roles WHERE rolname = '$r') \gexec"
    done
}

# catalog DB SCHEMA: the catalog state of the extension and of schema SCHEMA, as text.
catalog() {
    sql -At -d "$1" -v schema="$2" -f test/lifecycle/catalog.sql
}

# contents DB SCHEMA: row count and md5 of the ordered contents of each table of SCHEMA.
contents() {
    sql -At -d "$1" -v schema="$2" -f test/lifecycle/contents.sql
}

# copy_source_tree DIR: the tree without its build products (nor Debian's) into DIR.
copy_source_tree() {
    mkdir -p "$1"
    tar -C . --exclude=./.git --exclude=./build --exclude=./results --exclude=./output_iso \
        --exclude=./log --exclude=./tmp_check --exclude='./regression.*' \
        --exclude='*.o' --exclude='*.bc' --exclude='*.so' --exclude=./bench/results \
        --exclude=./debian/.debhelper --exclude='./debian/postgresql-*-cellupsert' \
        --exclude=./debian/tmp --exclude=./debian/files --exclude='./debian/*.substvars' \
        --exclude=./debian/debhelper-build-stamp -cf - . | tar -C "$1" -xf -
}

# same LABEL FILE_A FILE_B: prints the difference and returns 1 when they differ.
same() {
    if diff -u "$2" "$3"; then
        echo "ok: $1"
    else
        echo "FAIL: $1 differs (above)" >&2
        return 1
    fi
}
