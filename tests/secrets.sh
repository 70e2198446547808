# secrets.sh - the body of secrets-postgres.test and secrets-mysql.test:
# no password in any output.  Every command that can succeed or fail runs
# with the password in the URL - from --url, from GODWIT_DATABASE_URL and
# from godwit.conf - and all output is searched for the password, its
# percent-encoded form and every 3-character piece of either.  The
# wrapper sets pw and enc (the password, raw and percent-encoded), scheme,
# role, host, port, db, sock (a URL of the database without a password,
# for hold_lock), and the URLs: good, param (?password=, or empty), wrong,
# nodb, refused (a closed port), badparam (a parameter the backend refuses,
# exiting badparam_code), raw and rawparam (the password not encoded).
mkdir migrations broken
printf -- '-- godwit:up\nCREATE TABLE t (id INT);\n-- godwit:down\nDROP TABLE t;\n' \
    >migrations/0001_t.sql
printf -- '-- godwit:up\nCREATE TABLEE u (id INT);\n' >broken/0001_u.sql
: >all.txt

# keep CODE WHAT CMD...: runs CMD expecting CODE, keeping its output
keep() {
    expect "$@"
    cat out.txt err.txt >>all.txt
}

# with URL HOW CMD...: runs keep CMD... with the URL given HOW: flag (-u
# URL before the command's arguments), env (GODWIT_DATABASE_URL) or conf
# (godwit.conf)
with() {
    u=$1 how=$2
    shift 2
    rm -f godwit.conf
    unset GODWIT_DATABASE_URL
    case $how in
    env) GODWIT_DATABASE_URL=$u; export GODWIT_DATABASE_URL ;;
    conf) printf 'url = %s\n' "$u" >godwit.conf ;;
    esac
    code=$1 what="$how: $2"
    shift 2
    if [ "$how" = flag ]; then
        keep "$code" "$what" godwit -u "$u" "$@"
    else
        keep "$code" "$what" godwit "$@"
    fi
    unset GODWIT_DATABASE_URL
    rm -f godwit.conf
}

# every_command URL HOW: what succeeds, and what fails for other reasons
# than the URL
every_command() {
    with "$1" "$2" 0 "-v up" -v up
    with "$1" "$2" 0 "status" status
    with "$1" "$2" 0 "status json" status --format json
    with "$1" "$2" 0 "history -v" -v history
    with "$1" "$2" 0 "--sql" -v down --sql
    with "$1" "$2" 0 "dump" dump
    with "$1" "$2" 0 "down" down
    with "$1" "$2" 0 "wait -v" -v wait --timeout 5
    with "$1" "$2" 1 "SQL error" -v -d broken up
    hold_lock "$sock" 3
    holder=$!
    sleep 1
    with "$1" "$2" 5 "lock timeout" -v up --lock-timeout 0.5
    wait $holder
}

every_command "$good" flag
every_command "$good" env
every_command "$good" conf
[ -n "$param" ] && every_command "$param" flag
keep 0 "verify on the password URL" godwit verify -u "$good"
has out.txt "verifying on $scheme://$role:***@$host:$port/$db" \
    "verify shows the redacted URL"

for how in flag env conf; do
    for u in "$wrong" "$nodb" "$refused"; do
        with "$u" "$how" 1 "failing connection" -v status
    done
    with "$badparam" "$how" "$badparam_code" "a parameter the backend refuses" \
        -v status
    # a raw password that libpq and RFC 3986 would split apart is refused
    # before libpq sees it, with a message quoting none of it
    for u in "$raw" "$rawparam"; do
        with "$u" "$how" 2 "raw password refused" -v status
        has err.txt "percent-encode" "$how: the refusal says what to do"
    done
done
rm -f godwit.conf
keep 1 "wait -v on a closed port" godwit -v -u "$refused" wait --timeout 1
has err.txt "waiting for the database" "wait -v shows its attempts"
keep 1 "verify on a closed port" godwit verify -u "$refused"
keep 2 "verify with a raw password" godwit verify -u "$raw"

# the password, its encoded form, and every 3-character piece of the
# password (and of the encoded form, but for pure %XX escapes, which the
# refusal's own hint spells out)
pieces() {
    s=$1 i=1
    while [ $i -le $((${#s} - 2)) ]; do
        printf '%s\n' "$s" | cut -c "$i-$((i + 2))"
        i=$((i + 1))
    done
}
leaks=0
for p in "$pw" "$enc" $(pieces "$pw") $(pieces "$enc" | grep -v '^%[0-9A-F][0-9A-F]$\|^[0-9A-F][0-9A-F]%$\|^[0-9A-F]%[0-9A-F]$'); do
    if grep -qF -- "$p" all.txt; then
        fail "a piece of the password is in the output: \"$p\""
        grep -F -- "$p" all.txt | head -3 >&2
        leaks=$((leaks + 1))
    fi
done
[ "$leaks" -eq 0 ] && pass
[ "$(wc -l <all.txt)" -gt 60 ] && pass || fail "too little output was searched"
finish
