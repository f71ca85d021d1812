#!/bin/sh
# On a terminal the transfer draws one line (file, bytes, totals, rate, ETA) redrawn with \r and
# erased at the end; with --quiet, or when stderr is not a terminal, nothing is drawn.
. "${0%/*}/../lib/testlib.sh"
. "$SRC/tests/lib/nginx.sh"

make_release "$TMP/www" smech os snap1 2 60000
nginx_start "$TMP/www" || exit 1
faultproxy_start || exit 1
faultproxy_rule '{"match": "asset-", "action": "slow", "rate": 100000}'
mkdir "$TMP/out"
fetch_list "$TMP/www/smech/os/snap1.sums" "$PROXY_URL/smech/os/releases/download/snap1" \
	"$TMP/out" >"$TMP/list"

ends_erased() {
	"$PYTHON" -c 'import sys
d = open(sys.argv[1], "rb").read()
d = d[:d.rfind(b"Script done")] if b"Script done" in d else d
sys.exit(0 if d.rstrip(b"\n").endswith(b"\r\x1b[K") else 1)' "$1"
}

# script(1) gives the program a terminal; the typescript holds what it drew.
must_pass to_file /dev/null script -qefc "'$FETCH' '$TMP/list' >'$TMP/stdout'" "$TMP/tty"
check grep -q 'asset-[12].bin [0-9.]* KiB/58.6 KiB  \[[01]/2\] [0-9.]* KiB/117.2 KiB  [0-9.]* KiB/s ETA 0:0' "$TMP/tty"
check test "$(tr -cd '\r' <"$TMP/tty" | wc -c)" -ge 3
# The last thing drawn erases the line (script(1) appends its own trailer after it).
check ends_erased "$TMP/tty"
check test "$(grep -c ' ok 60000 1 ' "$TMP/stdout")" -eq 2

rm -f "$TMP"/out/*
must_pass to_file /dev/null script -qefc "'$FETCH' --quiet '$TMP/list' >'$TMP/stdout'" "$TMP/tty"
check test "$(grep -c ETA "$TMP/tty")" -eq 0

rm -f "$TMP"/out/*
must_pass to_file "$TMP/stdout" "$FETCH" "$TMP/list" 2>"$TMP/stderr"
check test ! -s "$TMP/stderr"
done_testing
