# mysql.sh - sourced by the *-mysql.test wrappers: selects the MySQL/MariaDB
# backend, or skips (77) when no server was given or the backend was not
# built; with GODWIT_REQUIRE_MYSQL=1 (CI) either is a hard error (99).
my_skip() {
    if [ "${GODWIT_REQUIRE_MYSQL:-}" = 1 ]; then
        echo "MySQL tests are required but $1" >&2
        exit 99
    fi
    echo "$1: skipped"
    exit 77
}
[ -f "$top_builddir/backends/mysql/mysql.la" ] ||
    my_skip "the MySQL backend was not built (configure --with-mysql)"
[ -n "${GODWIT_TEST_MYSQL_URL:-}" ] ||
    my_skip "no MySQL server was given (GODWIT_TEST_MYSQL_URL, from tools/mariadb-server)"
command -v mariadb >/dev/null 2>&1 || command -v mysql >/dev/null 2>&1 ||
    my_skip "the mariadb (or mysql) program is not installed"
[ -n "${GODWIT_TEST_MY_SOCKET:-}" ] && [ -n "${GODWIT_TEST_MY_USER:-}" ] || {
    echo "MySQL tests need GODWIT_TEST_MY_SOCKET and GODWIT_TEST_MY_USER beside GODWIT_TEST_MYSQL_URL (tools/mariadb-server sets them)" >&2
    exit 99
}
GODWIT_TEST_BACKEND=mysql
export GODWIT_TEST_BACKEND
