# deps.sh - sourced by tools/quickstart and tools/check: installs the
# Debian/Ubuntu packages named in $1.. that are missing, with sudo when
# not root.  Does nothing when all are present.
install_missing() {
    missing=
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null |
            grep -q 'install ok installed' || missing="$missing $pkg"
    done
    [ -z "$missing" ] && return 0
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "godwit: please install:$missing" >&2
        return 1
    fi
    sudo=
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    echo "installing:$missing"
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
        $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
            --no-install-recommends $missing >/dev/null
}

BUILD_DEPS="build-essential autoconf automake libtool pkg-config libsqlite3-dev libpq-dev libmariadb-dev"
TEST_DEPS="check mandoc sqlite3 bsdutils bash zsh fish"
