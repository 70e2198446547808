# postgres.sh - sourced by the *-postgres.test wrappers: selects the
# PostgreSQL backend, or skips (77) when no server was given; with
# GODWIT_REQUIRE_POSTGRES=1 (CI) a missing server is a hard error (99).
if [ -z "${GODWIT_TEST_POSTGRES_URL:-}" ]; then
    if [ "${GODWIT_REQUIRE_POSTGRES:-}" = 1 ]; then
        echo "PostgreSQL tests are required but no server was given" >&2
        exit 99
    fi
    echo "no PostgreSQL server given (GODWIT_TEST_POSTGRES_URL): skipped"
    exit 77
fi
GODWIT_TEST_BACKEND=postgres
export GODWIT_TEST_BACKEND
