# lib.sh - helpers for the shell tests, sourced by tests/*.test.
#
# Each test runs in a fresh directory under $top_builddir/tests/tmp and
# counts its assertions; the last line is "N passed, N failed".

set -u
: "${top_srcdir:?run through make check}" "${top_builddir:?}" "${GODWIT:?}"

passed=0
failed=0
testname=$(basename "$0" .test)
work="$top_builddir/tests/tmp/$testname-$$"
rm -rf "$work"
mkdir -p "$work"
cd "$work" || exit 99

pass() { passed=$((passed + 1)); }
fail() {
    failed=$((failed + 1))
    printf 'FAIL: %s\n' "$*" >&2
}

# run CMD...: runs a command, keeping its exit code in $rc and its output
# in out.txt (stdout) and err.txt (stderr).
run() {
    "$@" >out.txt 2>err.txt
    rc=$?
}

# with_pid CMD...: runs CMD (a program, not a function) with its process
# id in pid.txt: godwit names its scratch databases and schemas after it.
with_pid() { sh -c 'echo $$ >pid.txt; exec "$@"' with_pid "$@"; }

# expect CODE DESCRIPTION CMD...: runs CMD and checks its exit code.
expect() {
    want=$1 what=$2
    shift 2
    run "$@"
    if [ "$rc" -eq "$want" ]; then
        pass
    else
        fail "$what: exit $rc, expected $want ($*)"
        sed 's/^/  stdout: /' out.txt >&2
        sed 's/^/  stderr: /' err.txt >&2
    fi
}

# has FILE TEXT DESCRIPTION: FILE contains the fixed string TEXT.
has() {
    if grep -qF -- "$2" "$1"; then
        pass
    else
        fail "$3: \"$2\" not in $1"
        sed 's/^/  | /' "$1" >&2
    fi
}

# lacks FILE TEXT DESCRIPTION: FILE does not contain TEXT.
lacks() {
    if grep -qF -- "$2" "$1"; then
        fail "$3: \"$2\" found in $1"
        sed 's/^/  | /' "$1" >&2
    else
        pass
    fi
}

# same A B DESCRIPTION: two strings are equal.
same() {
    if [ "$1" = "$2" ]; then pass; else fail "$3: \"$1\" != \"$2\""; fi
}

# The backend under test: sqlite, postgres (tests/postgres.sh) or mysql
# (tests/mysql.sh).
backend=${GODWIT_TEST_BACKEND:-sqlite}

# bk SQLITE POSTGRES [MYSQL]: the text expected on the backend under test
# (MySQL's, when not given, is PostgreSQL's).
bk() {
    case $backend in
    postgres) printf '%s' "$2" ;;
    mysql) printf '%s' "${3-$2}" ;;
    *) printf '%s' "$1" ;;
    esac
}

# my ARGS...: the mariadb client on the test server, as its test user.
my() {
    "$(command -v mariadb || command -v mysql)" --no-defaults \
        -S "$GODWIT_TEST_MY_SOCKET" -u "$GODWIT_TEST_MY_USER" "$@"
}

# my_db URL: the database name of a mysql:// URL of newdb.
my_db() {
    printf '%s\n' "$1" | sed 's|^mysql://[^/]*/\([^?]*\).*|\1|'
}

# newdb NAME: prints the URL of a fresh, empty database.
newdb() {
    if [ "$backend" = postgres ]; then
        db="gw_$(printf '%s' "$1" | tr -c 'a-z0-9' _)_$$"
        psql -X -q "$GODWIT_TEST_POSTGRES_URL" -c "CREATE DATABASE $db" \
            >/dev/null || exit 99
        printf 'postgresql://%s@/%s?host=%s&port=%s\n' "$GODWIT_TEST_PG_USER" \
            "$db" "$GODWIT_TEST_PG_HOST" "$GODWIT_TEST_PG_PORT"
    elif [ "$backend" = mysql ]; then
        db="gw_$(printf '%s' "$1" | tr -c 'a-z0-9' _)_$$"
        my -e "CREATE DATABASE $db" || exit 99
        printf 'mysql://%s@localhost/%s?socket=%s\n' "$GODWIT_TEST_MY_USER" \
            "$db" "$GODWIT_TEST_MY_SOCKET"
    else
        printf 'sqlite:%s.db\n' "$1"
    fi
}

# hold_lock URL SECONDS: holds the migration lock of URL's default history
# table from another session for SECONDS, in the background ($! is it).
# The PostgreSQL key is pinned: every godwit version must use it.
hold_lock() {
    if [ "$backend" = postgres ]; then
        psql -X -q "$1" -c "SELECT pg_advisory_lock(2677817879560451861)" \
            -c "SELECT pg_sleep($2)" >/dev/null &
    elif [ "$backend" = mysql ]; then
        # the lock's name is pinned too: "godwit:DATABASE.TABLE"
        my -e "SELECT GET_LOCK('godwit:$(my_db "$1").godwit_migrations', 0); SELECT SLEEP($2)" >/dev/null &
    else
        (printf 'BEGIN IMMEDIATE;\nSELECT 1;\n'; sleep "$2"; printf 'ROLLBACK;\n') |
            sqlite3 "${1#sqlite:}" >/dev/null &
    fi
}

# runsql URL FILE: runs a SQL script with the database's own CLI, stopping
# at the first error.
runsql() {
    if [ "$backend" = postgres ]; then
        psql -X -q -v ON_ERROR_STOP=1 -d "$1" -f "$2" >/dev/null
    elif [ "$backend" = mysql ]; then
        # migration files are UTF-8, as godwit's own sessions say
        my --default-character-set=utf8mb4 "$(my_db "$1")" <"$2" >/dev/null
    else
        sqlite3 -bail "${1#sqlite:}" <"$2" >/dev/null
    fi
}

# schema URL: the database's schema as text, from the database's own tools.
schema() {
    if [ "$backend" = postgres ]; then
        # \restrict lines carry a random key in newer pg_dump releases
        pg_dump -s --no-owner --no-privileges -d "$1" |
            grep -v -e '^--' -e '^$' -e '^.restrict ' -e '^.unrestrict '
    elif [ "$backend" = mysql ]; then
        "$(command -v mariadb-dump || command -v mysqldump)" --no-defaults \
            -S "$GODWIT_TEST_MY_SOCKET" -u "$GODWIT_TEST_MY_USER" --no-data \
            --skip-comments --skip-dump-date "$(my_db "$1")" |
            sed 's/ AUTO_INCREMENT=[0-9]*//'
    else
        sqlite3 "${1#sqlite:}" .schema
    fi
}

# query URL SQL: the rows of one query, from the database's own CLI,
# columns separated by '|'.
query() {
    if [ "$backend" = postgres ]; then
        psql -X -qtA -d "$1" -c "$2"
    elif [ "$backend" = mysql ]; then
        my -N -B "$(my_db "$1")" -e "$2" | tr '\t' '|'
    else
        sqlite3 "${1#sqlite:}" "$2"
    fi
}

# history_rows URL: version, name and checksum of every history row.
history_rows() {
    query "$1" "SELECT version, name, checksum FROM godwit_migrations ORDER BY version"
}

# wait_for FILE TEXT: waits up to 20 s for TEXT to appear in FILE.
wait_for() {
    i=0
    while [ $i -lt 200 ] && ! grep -qF -- "$2" "$1" 2>/dev/null; do
        sleep 0.1
        i=$((i + 1))
    done
}

# need_cli: skips the test (77) when the database's own command-line
# client, which it uses to look at the database, is not installed.
need_cli() {
    cli=$(bk sqlite3 psql mariadb)
    if ! command -v "$cli" >/dev/null 2>&1; then
        echo "$testname: skipped: the $cli program is not installed"
        exit 77
    fi
}

# godwit ARGS...: the binary under test.
godwit() { "$GODWIT" "$@"; }

finish() {
    echo "$testname: $passed passed, $failed failed"
    cd "$top_builddir" && [ "$failed" -eq 0 ] && rm -rf "$work"
    [ "$failed" -eq 0 ]
}
