# bench/common.sh - what the benchmarks share, sourced by bench/run,
# bench/latency and bench/fleet after they set top (the source tree) and
# runs: the tools installed if missing, a throwaway PostgreSQL
# (tools/pg-server re-runs the script with it), a scratch directory to
# work in (removed on exit), timeit and pgfloor built, dbmate installed
# from the npm registry, and the helpers below.  Needs a built tree
# (BUILD, default _build).
build=${BUILD:-$top/_build}
. "$top/tools/deps.sh"
# Tools by command, not by package: Node.js may come from elsewhere.
need=
command -v sqlite3 >/dev/null 2>&1 || need="$need sqlite3"
command -v cc >/dev/null 2>&1 || need="$need gcc"
command -v npm >/dev/null 2>&1 || need="$need npm"
[ -z "$need" ] || install_missing $need >&2

if [ -z "${GODWIT_TEST_POSTGRES_URL:-}" ]; then
    exec "$top/tools/pg-server" sh "$0" "$@"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/godwit-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"
GODWIT_BACKEND_PATH="$build/backends/sqlite/.libs:$build/backends/postgres/.libs"
export GODWIT_BACKEND_PATH
godwit="$build/.libs/godwit"
[ -x "$godwit" ] || godwit="$build/godwit"
export LD_LIBRARY_PATH="$build/.libs"
cc -O2 -o timeit "$top/bench/timeit.c"
pq_cflags=$(pkg-config --cflags libpq 2>/dev/null || echo "-I$(pg_config --includedir)")
cc -O2 $pq_cflags -o pgfloor "$top/bench/pgfloor.c" -lpq

echo "installing dbmate from the npm registry (scratch directory)" >&2
npm install --silent --no-audit --no-fund --prefix "$work/npm" \
    @dbmate/linux-x64 >/dev/null 2>&1
dbmate="$work/npm/node_modules/@dbmate/linux-x64/bin/dbmate"
pgurl=$GODWIT_TEST_POSTGRES_URL
# dbmate (lib/pq) wants the socket directory and port as query parameters
# and no SSL on a socket.
dbmate_pg() { echo "$1&sslmode=disable"; }

# median PREP CMD... [:: CMD...]...: the median of RUNS runs of each
# command after a warm-up, in ms, a line each; the commands take turns,
# so that a machine whose speed drifts (this VM's moved W1 by seconds
# within minutes) weighs on each alike.  PREP is a shell command run untimed
# before each run.
median() { ./timeit "$runs" "$@"; }
# quick CMD... [:: CMD...]...: for runs of milliseconds, where one run is
# noise: the median of five times as many runs, nothing run before each.
quick() { ./timeit $((runs * 5)) "" "$@"; }

# gen DIR N: N small migrations in godwit and dbmate form.
gen() {
    mkdir -p "$1/godwit" "$1/dbmate"
    awk -v dir="$1" -v n="$2" 'BEGIN {
        for (i = 1; i <= n; i++) {
            v = sprintf("%05d", i)
            body = "CREATE TABLE t" v " (id INTEGER PRIMARY KEY, v TEXT);\n" \
                   "CREATE INDEX ix_t" v " ON t" v " (v);\n" \
                   "INSERT INTO t" v " (id, v) VALUES (1, '\''a'\'');\n" \
                   "INSERT INTO t" v " (id, v) VALUES (2, '\''b'\'');\n"
            f = dir "/godwit/" v "_m.sql"
            printf "-- godwit:up\n%s-- godwit:down\nDROP TABLE t%s;\n", body, v >f
            close(f)
            f = dir "/dbmate/" v "_m.sql"
            printf "-- migrate:up\n%s-- migrate:down\nDROP TABLE t%s;\n", body, v >f
            close(f)
        }
    }'
}

pgdb() { # a fresh PostgreSQL database URL named $1
    psql -X -q "$pgurl" -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" >/dev/null
    echo "$pgurl" | sed "s|/postgres?|/$1?|"
}

row() { # row WORKLOAD TOOL MS BASELINE_MS
    printf '%-34s %-30s %8s ms %8s\n' "$1" "$2" "$3" \
        "$(awk -v a="$3" -v b="$4" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "-" }')"
}

