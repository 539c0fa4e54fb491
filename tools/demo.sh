#!/usr/bin/env bash
# Installs what it needs, builds and installs the extension, starts a throwaway server and
# walks through cell_upsert: an insert, an overwrite, a clear, a refused foreign column and a
# write refused by row-level security for another tenant.
set -euo pipefail
cd "$(dirname "$0")/.."
. tools/lib.sh
install_packages
build_and_install
PGPORT=$(free_port) exec pg_virtualenv -t -v 15 psql -X -v ON_ERROR_STOP=0 -f tools/demo.sql
