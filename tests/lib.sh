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

# godwit ARGS...: the binary under test.
godwit() { "$GODWIT" "$@"; }

finish() {
    echo "$testname: $passed passed, $failed failed"
    cd "$top_builddir" && [ "$failed" -eq 0 ] && rm -rf "$work"
    [ "$failed" -eq 0 ]
}
