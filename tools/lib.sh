# Shared by tools/demo.sh and tools/test.sh: packages, build, install.
# shellcheck shell=bash

# The Debian package's build dependencies are debian/control's: its test installs them.
PACKAGES=(postgresql-15 postgresql-server-dev-15 postgresql-contrib uuid-dev build-essential
          cmake libgtest-dev clang-14 libclang-rt-14-dev clang-format-14
          pgbouncer python3-psycopg python3-psycopg-pool postgresql-server-dev-all python3-jsonschema)

# Root runs as is; anyone else goes through sudo for apt and make install.
as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

install_packages() {
    local missing=()
    for p in "${PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
    done
    # Node.js and npm for the client tests (docs/clients.md): the machine's own if it has them
    # (a newer Node.js than Debian's), else Debian's.
    command -v npm > /dev/null || missing+=(nodejs npm)
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "== installing ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# The tests use a staged install in build/destdir, which Debian's PostgreSQL loads through its
# extension_destdir setting: no root needed, and several checkouts can test side by side.
STAGE_DIR="$PWD/build/destdir"
export CELLUPSERT_STAGE_DIR="$STAGE_DIR"

build_and_stage() {
    echo "== building the extension (staged in build/destdir)"
    make -s -j2 >/dev/null && rm -rf "$STAGE_DIR" && make -s install DESTDIR="$STAGE_DIR" >/dev/null
}

build_and_install() {
    echo "== building and installing the extension"
    make -s -j2 >/dev/null && as_root make -s install >/dev/null
}

# A free TCP port on localhost, picked at random so that throwaway servers started side by
# side (pg_virtualenv -t only knows its own clusters) do not collide; from 20000 to 31999,
# below the kernel's ephemeral ports (net.ipv4.ip_local_port_range, 32768 to 60999 here),
# where the local end of any outgoing connection could take the port between this check and
# the server's bind ("could not bind IPv4 address: Address already in use").
free_port() {
    local port
    while :; do
        port=$((20000 + RANDOM % 12000))
        (echo > "/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
    done
}
