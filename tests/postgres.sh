# postgres.sh - sourced by the *-postgres.test wrappers: selects the
# PostgreSQL backend, or skips (77) when no server was given; with
# GODWIT_REQUIRE_POSTGRES=1 (CI) a missing server is a hard error (99).
if [ -n "${GODWIT_TEST_POSTGRES_URL:-}" ] && ! command -v psql >/dev/null 2>&1; then
    if [ "${GODWIT_REQUIRE_POSTGRES:-}" = 1 ]; then
        echo "PostgreSQL tests are required but the psql program is missing" >&2
        exit 99
    fi
    echo "the psql program is not installed: skipped"
    exit 77
fi
if [ -z "${GODWIT_TEST_POSTGRES_URL:-}" ]; then
    if [ "${GODWIT_REQUIRE_POSTGRES:-}" = 1 ]; then
        echo "PostgreSQL tests are required but no server was given" >&2
        exit 99
    fi
    echo "no PostgreSQL server given (GODWIT_TEST_POSTGRES_URL): skipped"
    exit 77
fi
# The server's socket directory or address, port and user, for the URLs of
# the tests' own databases: given, or asked of the server.
if [ -z "${GODWIT_TEST_PG_HOST:-}" ] || [ -z "${GODWIT_TEST_PG_PORT:-}" ] ||
    [ -z "${GODWIT_TEST_PG_USER:-}" ]; then
    if ! where=$(psql -X -qtA -F ' ' -d "$GODWIT_TEST_POSTGRES_URL" -c \
        "SELECT current_user, current_setting('port'),
                coalesce(host(inet_server_addr()),
                         split_part(current_setting('unix_socket_directories'), ',', 1))") ||
        [ -z "$where" ]; then
        echo "cannot learn the host, port and user of GODWIT_TEST_POSTGRES_URL" \
            "(set GODWIT_TEST_PG_HOST, GODWIT_TEST_PG_PORT and GODWIT_TEST_PG_USER)" >&2
        exit 99
    fi
    set -- $where
    GODWIT_TEST_PG_USER=${GODWIT_TEST_PG_USER:-$1}
    GODWIT_TEST_PG_PORT=${GODWIT_TEST_PG_PORT:-$2}
    GODWIT_TEST_PG_HOST=${GODWIT_TEST_PG_HOST:-$3}
    export GODWIT_TEST_PG_USER GODWIT_TEST_PG_PORT GODWIT_TEST_PG_HOST
fi
GODWIT_TEST_BACKEND=postgres
export GODWIT_TEST_BACKEND
