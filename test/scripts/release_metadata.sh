#!/usr/bin/env bash
# The release's metadata: META.json is valid PGXN Meta Spec 1.0.0 (test/pgxn/, a JSON schema
# written from the spec, checked by python3-jsonschema; the schema must also reject a few
# documents the spec forbids, so that it is seen to check something); one version everywhere
# (cellupsert.control's default_version, META.json's, as the spec's three-part semver, and
# debian/changelog's upstream version); one maintainer (META.json, debian/control); the
# PostgreSQL License in LICENSE, META.json and debian/copyright; and debian/control as
# pg_buildext updatecontrol makes it from debian/control.in and debian/pgversions.
cd "$(dirname "$0")/../.."
. test/lifecycle/lib.sh

status=0
check() {   # check LABEL EXPECTED ACTUAL
    if [ "$2" == "$3" ]; then echo "ok: $1 ($3)"; else
        echo "FAIL: $1: expected '$2', found '$3'" >&2
        status=1
    fi
}

python3 - META.json test/pgxn/meta-spec-1.0.0.schema.json <<'PY' || status=1
import copy, json, sys
import jsonschema

meta = json.load(open(sys.argv[1]))
schema = json.load(open(sys.argv[2]))
jsonschema.Draft7Validator.check_schema(schema)
validator = jsonschema.Draft7Validator(schema)

errors = sorted(validator.iter_errors(meta), key=lambda e: list(e.path))
for e in errors:
    print(f"FAIL: META.json {'/'.join(map(str, e.path)) or '(top)'}: {e.message}", file=sys.stderr)
if not errors:
    print("ok: META.json is valid PGXN Meta Spec 1.0.0")

# Each change makes a document the spec forbids (or, the last ones, allows).
def changed(f):
    doc = copy.deepcopy(meta)
    f(doc)
    return doc
cases = [
    ("a version of two parts", False, lambda d: d.update(version="1.4")),
    ("an extension version of two parts", False, lambda d: d["provides"]["cellupsert"].update(version="1.4")),
    ("a license outside the spec's list", False, lambda d: d.update(license="PostgreSQL License")),
    ("no provides", False, lambda d: d.pop("provides")),
    ("an extension without its file", False, lambda d: d["provides"]["cellupsert"].pop("file")),
    ("a key not in the spec", False, lambda d: d.update(homepage="https://example.org/")),
    ("a prereq version of one part", False, lambda d: d["prereqs"]["runtime"]["requires"].update(PostgreSQL="15")),
    ("a phase not in the spec", False, lambda d: d["prereqs"].update(install={"requires": {"PostgreSQL": 0}})),
    ("a name with a space", False, lambda d: d.update(name="cell upsert")),
    ("another meta-spec version", False, lambda d: d["meta-spec"].update(version="2.0.0")),
    ("a custom x_ key", True, lambda d: d.update(x_packaging="debian")),
    ("a version range", True, lambda d: d["prereqs"]["runtime"]["requires"].update(PostgreSQL=">= 15.0.0, < 20.0.0")),
]
bad = 0
for label, valid, f in cases:
    if validator.is_valid(changed(f)) != valid:
        print(f"FAIL: the schema {'rejects' if valid else 'accepts'} META.json with {label}", file=sys.stderr)
        bad += 1
if bad == 0:
    print(f"ok: the schema decides {len(cases)} altered documents as the spec does")
sys.exit(1 if errors or bad else 0)
PY

json() { python3 -c 'import json, sys; d = json.load(open("META.json")); print(eval(sys.argv[1]))' "$1"; }
version=$(default_version)
check "META.json's version is cellupsert.control's default_version as semver" \
    "$version.0" "$(json 'd["version"]')"
check "META.json's cellupsert version" "$version.0" "$(json 'd["provides"]["cellupsert"]["version"]')"
debian_version=$(dpkg-parsechangelog -S Version)
check "debian/changelog's upstream version is cellupsert.control's default_version" \
    "$version" "${debian_version%-*}"
for key in file docfile; do
    f=$(json "d['provides']['cellupsert']['$key']")
    [ -f "$f" ] || { echo "FAIL: META.json's provides.cellupsert.$key $f is not a file" >&2; status=1; }
done
check "META.json's maintainer is debian/control's" \
    "$(sed -n 's/^Maintainer: //p' debian/control)" "$(json 'd["maintainer"]')"
check "META.json's license" postgresql "$(json 'd["license"]')"
check "LICENSE" "PostgreSQL License" "$(head -n 1 LICENSE)"
check "debian/copyright's license" "License: PostgreSQL" "$(grep -m1 '^License:' debian/copyright)"
# debian/copyright's stand-alone License paragraph carries LICENSE's text (after its title and
# copyright line), as DEP-5 writes it.
diff <(sed -n '5,$p' LICENSE) <(awk '/^$/ { b = 1; next } b && $0 == "License: PostgreSQL" { p = 1 }
                                     { b = 0 } p' debian/copyright | tail -n +2 | sed 's/^ //; s/^\.$//') ||
    { echo "FAIL: debian/copyright's license text is not LICENSE's" >&2; status=1; }

# debian/control, regenerated in a copy from debian/control.in (pg_buildext updatecontrol).
if command -v pg_buildext >/dev/null; then
    tmp=$(mktemp -d)
    at_exit "rm -rf '$tmp'"
    mkdir "$tmp/debian" && cp debian/control.in debian/pgversions debian/changelog "$tmp/debian/"
    (cd "$tmp" && pg_buildext updatecontrol) >/dev/null
    same "debian/control as pg_buildext updatecontrol makes it" "$tmp/debian/control" debian/control || status=1
else
    echo "FAIL: pg_buildext (postgresql-server-dev-all) is missing" >&2
    status=1
fi
exit $status
