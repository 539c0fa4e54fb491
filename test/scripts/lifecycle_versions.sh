#!/usr/bin/env bash
# The version files in sql/ form one chain: every version has an upgrade script from the one
# before it, default_version is the newest, list-table migrations sit on steps of the chain,
# and every script has the guard line of its kind. No server needed.
cd "$(dirname "$0")/../.."
. test/lifecycle/lib.sh

status=0
problem() {
    echo "FAIL: $*" >&2
    status=1
}

mapfile -t installs < <(install_versions)
mapfile -t versions < <(all_versions)
[ ${#installs[@]} -gt 0 ] || fail "no install script sql/cellupsert--VERSION.sql"
echo "versions: ${versions[*]} (install scripts: ${installs[*]})"

# Only the names the lifecycle knows; anything else is a typo nothing would pick up.
for f in sql/*; do
    case ${f#sql/} in
    cellupsert--*--*--*) problem "$f: more than two versions in the name" ;;
    cellupsert--*.sql | cellupsert_list_tables.sql | cellupsert_list_tables--*--*.sql) ;;
    *) problem "$f: not cellupsert--V.sql, cellupsert--A--B.sql, cellupsert_list_tables.sql or cellupsert_list_tables--A--B.sql" ;;
    esac
done

newest=${versions[${#versions[@]} - 1]}
[ "$(default_version)" = "$newest" ] ||
    problem "cellupsert.control has default_version '$(default_version)', the newest version is '$newest'"

# next_version V: the version after V in the chain, empty for the newest.
next_version() {
    local i
    for ((i = 0; i < ${#versions[@]} - 1; i++)); do
        [ "${versions[i]}" = "$1" ] && echo "${versions[i + 1]}" && return
    done
}

for ((i = 0; i < ${#versions[@]} - 1; i++)); do
    a=${versions[i]} b=${versions[i + 1]}
    [ -f "sql/cellupsert--$a--$b.sql" ] || problem "no upgrade script sql/cellupsert--$a--$b.sql"
done

# Upgrade scripts and migrations go one step: a shortcut would let ALTER EXTENSION UPDATE
# skip the chain the tests check, and a migration must apply between two versions in a row.
for f in sql/cellupsert--*--*.sql sql/cellupsert_list_tables--*--*.sql; do
    [ -e "$f" ] || continue
    step=${f#sql/cellupsert*--}
    step=${step%.sql}
    a=${step%%--*} b=${step#*--}
    [ "$(next_version "$a")" = "$b" ] || problem "$f: $b is not the version after $a"
done

for v in "${installs[@]}"; do
    grep -qxF "\\echo Use \"CREATE EXTENSION cellupsert\" to load this file. \\quit" "sql/cellupsert--$v.sql" ||
        problem "sql/cellupsert--$v.sql lacks the line: \\echo Use \"CREATE EXTENSION cellupsert\" to load this file. \\quit"
done
upgrade_steps | while read -r a b; do
    guard="\\echo Use \"ALTER EXTENSION cellupsert UPDATE TO '$b'\" to load this file. \\quit"
    grep -qxF "$guard" "sql/cellupsert--$a--$b.sql" || { echo "FAIL: sql/cellupsert--$a--$b.sql lacks the line: $guard" >&2; exit 1; }
done || status=1
# Migrations are run by psql: a \quit guard would silently make them do nothing.
for f in sql/cellupsert_list_tables*.sql; do
    ! grep -q '\\quit' "$f" || problem "$f: a psql script must not \\quit"
done

[ -f "$(base_ddl_file "${installs[0]}")" ] ||
    problem "no $(base_ddl_file "${installs[0]}"): the list-table DDL as released with ${installs[0]}, where the upgrade test starts"

[ $status -eq 0 ] && echo "ok: ${#versions[@]} version(s), chain complete"
exit $status
