#!/usr/bin/env bash
# A packager's and an operator's view: make install honours DESTDIR (every file lands under
# it, identical to the source, and the system's PostgreSQL directories are untouched); then
# make installcheck, from a copy of the tree without build products, runs against a server
# that is already running as another OS user (postgres, on a free port) and loads the
# extension from that DESTDIR, with nothing but PGHOST, PGPORT and PGUSER in the environment.
cd "$(dirname "$0")/../.."
. test/lifecycle/lib.sh

PG_BINDIR=$(pg_config --bindir)
# PostgreSQL refuses to run as root: root runs the server as postgres, anyone else as itself.
as_server_user() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

tmp=$(mktemp -d /tmp/cellupsert-packaging.XXXXXX)
at_exit "rm -rf '$tmp'"
destdir=$tmp/destdir
pkglibdir=$(pg_config --pkglibdir)
extdir=$(pg_config --sharedir)/extension
status=0

# 1. make install DESTDIR=...
touch "$tmp/before-install"
make -s install DESTDIR="$destdir" >/dev/null
(cd "$destdir" && find . -type f | sed 's/^\.//' | sort) > "$tmp/installed"
{
    echo "$pkglibdir/cellupsert.so"
    echo "$extdir/cellupsert.control"
    for f in sql/*.sql; do echo "$extdir/${f#sql/}"; done
} | sort > "$tmp/expected"
# Besides these, only the LLVM bitcode PGXS builds for JIT inlining.
grep -v -e "^$pkglibdir/bitcode/cellupsert/" -e "^$pkglibdir/bitcode/cellupsert\.index\.bc$" \
    "$tmp/installed" > "$tmp/installed-main"
same "make install DESTDIR: the files installed" "$tmp/expected" "$tmp/installed-main" || status=1
for f in cellupsert.so cellupsert.control sql/*.sql; do
    case $f in
    *.so) target=$pkglibdir/$f ;;
    *) target=$extdir/${f#sql/} ;;
    esac
    cmp -s "$f" "$destdir$target" || { echo "FAIL: $destdir$target is not a copy of $f" >&2; status=1; }
done
touched=$(find "$pkglibdir" "$extdir" -newer "$tmp/before-install" -print 2>/dev/null || true)
[ -z "$touched" ] || { echo "FAIL: make install DESTDIR=... wrote outside DESTDIR: $touched" >&2; status=1; }
[ $status -eq 0 ] && echo "ok: make install DESTDIR=... installs $(wc -l < "$tmp/installed") files there, nothing elsewhere"

# 2. A server run by the OS user postgres, on a free port, loading the extension from DESTDIR.
[ "$(id -u)" -ne 0 ] || chown -R postgres: "$tmp"
as_server_user "$PG_BINDIR/initdb" -D "$tmp/data" -U postgres -A trust --no-sync \
    --no-instructions >/dev/null
at_exit "as_server_user '$PG_BINDIR/pg_ctl' -D '$tmp/data' -m immediate -w stop"
port=
for candidate in $(shuf -i 20000-29999 -n 5); do
    ss -Hltn "sport = :$candidate" | grep -q . && continue
    if as_server_user "$PG_BINDIR/pg_ctl" -D "$tmp/data" -l "$tmp/server.log" -w -t 30 \
        -o "-p $candidate -k $tmp -c listen_addresses=localhost -c fsync=off -c extension_destdir=$destdir" \
        start >/dev/null; then
        port=$candidate
        break
    fi
done
[ -n "$port" ] || { cat "$tmp/server.log" >&2; fail "could not start a server on a free port"; }

# 3. make installcheck from a clean copy of the tree, with only PGHOST, PGPORT and PGUSER.
copy_source_tree "$tmp/tree"
if env -i PATH=/usr/bin:/bin HOME="$tmp" PGHOST=localhost PGPORT="$port" PGUSER=postgres \
    timeout 300 make -C "$tmp/tree" -s installcheck > "$tmp/installcheck.log" 2>&1; then
    shopt -s nullglob
    suites=(test/sql/*.sql test/specs/*.spec)
    passed=$(grep -c '\.\.\. ok' "$tmp/installcheck.log" || true)
    if [ "$passed" -eq ${#suites[@]} ]; then
        echo "ok: make installcheck against a server owned by postgres: $passed suites passed"
    else
        cat "$tmp/installcheck.log"
        echo "FAIL: make installcheck passed $passed suites of ${#suites[@]}" >&2
        status=1
    fi
else
    cat "$tmp/installcheck.log"
    cat "$tmp/tree/regression.diffs" "$tmp/tree/output_iso/regression.diffs" 2>/dev/null
    echo "FAIL: make installcheck with only PGHOST, PGPORT and PGUSER set" >&2
    status=1
fi
exit $status
