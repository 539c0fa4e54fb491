#!/usr/bin/env bash
# The Debian package, built and used as docs/operations.md says (its "From the Debian package"
# commands, run as written): apt-get build-dep, dpkg-buildpackage -us -uc -b from a copy of
# the tree (the build runs the regress suites and isolation specs once more, against the
# package's files: dh_pgxs_test), dpkg -i. Then: the package holds exactly what make install
# installs (besides its /usr/share/doc), the .so stripped but with the same symbols; the
# autopkgtest (debian/tests/installcheck) passes on the installed package; a server
# without extension_destdir loads the package's files (the backend maps the packaged .so);
# tools/demo.sql's calls give test/lifecycle/demo.out; 1.3 with its tables updates to 1.4 as
# the Upgrade section says; apt-get remove leaves none of its files, and CREATE EXTENSION then
# fails.
#
# Root only (apt-get, dpkg -i): exits 77 when not root, or when the build dependencies cannot
# be installed. Where it can (unshare -m), it installs the package in a private mount
# namespace, on overlays of the PostgreSQL directories, /usr/share/doc and /var/{lib,cache,log}:
# nothing it installs or removes is seen by other processes (the server of the other tests,
# a test run beside it), and a cellupsert that `make install` put into the system is hidden
# there, not overwritten. Without unshare, it installs into the system for real, removes the
# package on any exit, and skips when a cellupsert not installed by a package is there.
cd "$(dirname "$0")/../.."
. test/lifecycle/lib.sh
. tools/lib.sh

skip() {
    echo "SKIPPED: $*"
    exit 77
}
[ "$(id -u)" -eq 0 ] || skip "$0 installs a package (apt-get, dpkg -i): run it as root"

repo=$PWD
pkglibdir=$(pg_config --pkglibdir)
extdir=$(pg_config --sharedir)/extension

# The section's commands, in order: build-dep, build, install, remove ("sudo" is a no-op for
# root; apt-get answers yes through APT_CONFIG).
mapfile -t doc < <(awk '/^### From the Debian package/ { s = 1; next } /^#/ { s = 0 }
                        s && /^    [a-z]/ { sub(/^    /, ""); sub(/ +#.*/, ""); print }' docs/operations.md)
[ ${#doc[@]} -eq 4 ] || fail "docs/operations.md: expected 4 commands under 'From the Debian package', found ${#doc[@]}"
sudo() { "$@"; }

if [ $# -eq 0 ]; then
    # Outside the namespace: the build dependencies go into the system, as for any build.
    tmp=$(mktemp -d /tmp/cellupsert-deb.XXXXXX)
    at_exit "rm -rf --one-file-system '$tmp'"
    chmod 755 "$tmp"   # the build-time test's server runs as postgres, and reads the package there
    echo 'APT::Get::Assume-Yes "true"; quiet "2";' > "$tmp/apt.conf"
    export APT_CONFIG=$tmp/apt.conf DEBIAN_FRONTEND=noninteractive tmp
    echo "== ${doc[0]}"
    if ! (eval "${doc[0]}") > "$tmp/build-dep.log" 2>&1; then
        apt-get update >/dev/null 2>&1
        (eval "${doc[0]}") > "$tmp/build-dep.log" 2>&1 ||
            { cat "$tmp/build-dep.log"; skip "the build dependencies in debian/control cannot be installed"; }
    fi
    if unshare -m true 2>/dev/null; then
        unshare -m --propagation private bash "$0" --private-mounts
    else
        echo "unshare -m is not permitted: installing into the system itself"
        bash "$0" --system
    fi
    exit $?
fi

# From here on, $tmp (the outer call's, removed by it) and APT_CONFIG come from the outer call.
status=0

# Files of a cellupsert in the system that no package owns (a `make install`).
unowned=()
for f in "$pkglibdir"/cellupsert.so "$extdir"/cellupsert*; do
    [ -e "$f" ] && ! dpkg -S "$f" >/dev/null 2>&1 && unowned+=("$f")
done
if [ "$1" == --private-mounts ]; then
    # Only in a mount namespace of its own (unshare made it; the outer call is the parent).
    [ "$(readlink /proc/self/ns/mnt)" != "$(readlink "/proc/$PPID/ns/mnt")" ] ||
        fail "not in a mount namespace of its own: no overlay mounted"
    # Private overlays (upper layers on a tmpfs of this namespace) over what dpkg and apt
    # write; the make-installed copy is deleted from the overlay only.
    mkdir "$tmp/ovl" && mount -t tmpfs cellupsert-deb "$tmp/ovl" || fail "could not mount a tmpfs"
    at_exit "umount '$tmp/ovl'"
    i=0
    for d in "$pkglibdir" "$extdir" /usr/share/doc /var/lib /var/cache /var/log; do
        i=$((i + 1))
        mkdir -p "$tmp/ovl/$i/upper" "$tmp/ovl/$i/work"
        mount -t overlay overlay -o "lowerdir=$d,upperdir=$tmp/ovl/$i/upper,workdir=$tmp/ovl/$i/work" "$d" ||
            fail "could not mount an overlay on $d"
        at_exit "umount '$d'"
    done
    if [ ${#unowned[@]} -gt 0 ]; then
        echo "hiding a cellupsert that no package installed (${#unowned[@]} files) in this namespace"
        rm -rf "${unowned[@]}" "$pkglibdir/bitcode/cellupsert" "$pkglibdir/bitcode/cellupsert.index.bc"
    fi
elif [ ${#unowned[@]} -gt 0 ]; then
    skip "a cellupsert not installed by a package is in the system (${unowned[0]} …), which dpkg -i would overwrite; remove it (make uninstall) or run where unshare -m works"
fi

# 1. Build from a copy of the tree: dpkg-buildpackage writes into the parent directory.
copy_source_tree "$tmp/build/cellupsert"
start=$(date +%s)
echo "== ${doc[1]}"
(cd "$tmp/build/cellupsert" && PGPORT=$(free_port) eval "${doc[1]}") > "$tmp/build.log" 2>&1 ||
    { tail -n 60 "$tmp/build.log"; fail "${doc[1]} failed (log above)"; }
echo "ok: built in $(($(date +%s) - start)) s: $(cd "$tmp/build" && ls ./*.deb | tr '\n' ' ')"
grep -q '^### End 15 installcheck ###' "$tmp/build.log" ||
    { echo "FAIL: the build did not run its installcheck (dh_pgxs_test)" >&2; status=1; }
versions=$(cd "$tmp/build/cellupsert" && pg_buildext supported-versions)
for v in $versions; do
    ls "$tmp/build/postgresql-$v-cellupsert_"*.deb >/dev/null 2>&1 ||
        { echo "FAIL: no postgresql-$v-cellupsert package for supported major $v" >&2; status=1; }
done

# 2. Install (the doc's command names 15, the only major on Debian 12).
at_exit "dpkg -r postgresql-15-cellupsert"
echo "== ${doc[2]}"
(cd "$tmp/build/cellupsert" && eval "${doc[2]}") > "$tmp/install.log" 2>&1 ||
    { cat "$tmp/install.log"; fail "${doc[2]} failed"; }
dpkg -L postgresql-15-cellupsert | while read -r f; do [ -f "$f" ] && echo "$f"; done | sort > "$tmp/packaged"
grep -v '^/usr/share/doc/' "$tmp/packaged" > "$tmp/packaged-ext"
make -s install DESTDIR="$tmp/ref" >/dev/null
(cd "$tmp/ref" && find . -type f | sed 's/^\.//' | sort) > "$tmp/make-install"
same "the package's files (besides /usr/share/doc) are those of make install" \
    "$tmp/make-install" "$tmp/packaged-ext" || status=1
while read -r f; do
    case $f in
    *.so)
        cmp -s <(nm -D --defined-only "$tmp/ref$f" | awk '{ print $3 }') \
            <(nm -D --defined-only "$f" | awk '{ print $3 }') ||
            { echo "FAIL: $f exports other symbols than make install's" >&2; status=1; } ;;
    *) cmp -s "$tmp/ref$f" "$f" || { echo "FAIL: $f differs from make install's" >&2; status=1; } ;;
    esac
done < "$tmp/packaged-ext"

# The autopkgtest (debian/tests), as autopkgtest runs it in the source tree once the package is
# installed: the suites against the installed files.
start=$(date +%s)
if (cd "$tmp/build/cellupsert" && PGPORT=$(free_port) debian/tests/installcheck) > "$tmp/autopkgtest.log" 2>&1 &&
    grep -q '^### End 15 installcheck ###' "$tmp/autopkgtest.log"; then
    echo "ok: debian/tests/installcheck on the installed package, in $(($(date +%s) - start)) s"
else
    tail -n 60 "$tmp/autopkgtest.log"
    echo "FAIL: debian/tests/installcheck on the installed package" >&2
    status=1
fi

# 3. A server without extension_destdir: the package's files, the demo, the upgrade. The
# backend maps the library once a C function of the extension (cellupsert_check) has run.
in_server() {
    set -euo pipefail
    [ -z "$(psql -X -At -c "SELECT current_setting('extension_destdir', true)")" ] ||
        fail "the throwaway server has an extension_destdir"
    createdb demo
    mkdir "$tmp/demo" && ln -s "$extdir" "$tmp/demo/sql"   # tools/demo.sql reads sql/…
    (cd "$tmp/demo" && psql -X -d demo -v ON_ERROR_STOP=0 -f "$repo/tools/demo.sql") > "$tmp/demo.out" 2>&1
    sed -i 's/^psql:[^ ]*demo\.sql:[0-9]*: //' "$tmp/demo.out"
    same "tools/demo.sql on the packaged extension" "$repo/test/lifecycle/demo.out" "$tmp/demo.out"
    local mapped
    mapped=$(psql -X -At -d demo -c "SELECT count(*) FROM cellupsert_check()" -c \
        "SELECT substring(l FROM ' (/\S*cellupsert\.so)$')
           FROM regexp_split_to_table(pg_read_file('/proc/self/maps'), E'\n') AS l
          WHERE l LIKE '%cellupsert.so' LIMIT 1" | tail -n 1)
    [ "$mapped" == "$pkglibdir/cellupsert.so" ] && dpkg -S "$mapped" >/dev/null ||
        fail "the backend maps '$mapped', not the package's $pkglibdir/cellupsert.so"
    echo "ok: the backend maps $mapped, of $(dpkg -S "$mapped" | cut -d: -f1)"

    # 1.3 with its list tables (the 1.0 DDL and the migrations to 1.3), then docs/operations.md's
    # upgrade from 1.3: ALTER EXTENSION … UPDATE and the 1.3 -> 1.4 migration.
    createdb upgrade
    sql -d upgrade -c 'CREATE SCHEMA app' -c "CREATE EXTENSION cellupsert SCHEMA app VERSION '1.3'" \
        -c 'SET search_path = app' -f "$repo/$(base_ddl_file 1.0)" \
        -f "$extdir/cellupsert_list_tables--1.0--1.1.sql" -f "$extdir/cellupsert_list_tables--1.2--1.3.sql"
    PGDATABASE=upgrade sql -1 -c 'SET search_path = app' -c 'ALTER EXTENSION cellupsert UPDATE' \
        -f "$extdir/cellupsert_list_tables--1.3--1.4.sql"
    local got
    got=$(sql -At -d upgrade -c "SELECT extversion FROM pg_extension WHERE extname = 'cellupsert'" \
        -c "SELECT count(*) FROM app.cellupsert_check() WHERE NOT ok")
    same "1.3 updated to $(default_version) with ALTER EXTENSION, nothing left for cellupsert_check()" \
        <(printf '%s\n0\n' "$(default_version)") <(echo "$got")

    # 4. Removal: none of the package's files left, and the server finds no extension.
    echo "== ${doc[3]}"
    (cd "$tmp/build/cellupsert" && eval "${doc[3]}") > "$tmp/remove.log" 2>&1 ||
        { cat "$tmp/remove.log"; fail "${doc[3]} failed"; }
    local left=0 f
    while read -r f; do [ -e "$f" ] && { echo "left after removal: $f" >&2; left=1; }; done < "$tmp/packaged"
    [ $left -eq 0 ] || fail "files of the package are left after ${doc[3]}"
    createdb removed
    if psql -X -q -d removed -c 'CREATE EXTENSION cellupsert' 2>/dev/null; then
        fail "CREATE EXTENSION cellupsert still works after ${doc[3]}"
    fi
    echo "ok: ${doc[3]} removed its $(wc -l < "$tmp/packaged") files; CREATE EXTENSION fails"
}
export -f in_server fail same sql default_version base_ddl_file sudo
export tmp repo pkglibdir extdir doc_3="${doc[3]}"
PGPORT=$(free_port) pg_virtualenv -t -v 15 bash -c 'doc=([3]="$doc_3"); in_server' || status=1
exit $status
