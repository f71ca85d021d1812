#!/bin/sh
# 500s and 429s are retried with back-off, Retry-After (seconds or an HTTP-date) is honoured, and
# when the retries run out the failure is one line naming the URL; nothing is left at DEST.
. "${0%/*}/../lib/testlib.sh"
. "$SRC/tests/lib/nginx.sh"
export SPK_FETCH_BACKOFF_MS=50 SPK_FETCH_ATTEMPTS=4

make_release "$TMP/www" smech os snap1 6 20000
nginx_start "$TMP/www" || exit 1
faultproxy_start || exit 1
base="$PROXY_URL/smech/os/releases/download/snap1"
mkdir "$TMP/out"
fetch_list "$TMP/www/smech/os/snap1.sums" "$base" "$TMP/out" >"$TMP/all"
line() { sed -n "$1p" "$TMP/all" >"$TMP/list"; }
now_ms() { date +%s%3N; }

# 500 twice, then the file.
faultproxy_rule '{"match": "asset-1.bin", "action": "status", "code": 500, "times": 2}'
line 1
must_pass to_file "$TMP/out.txt" "$FETCH" "$TMP/list"
check grep -q 'asset-1.bin ok 20000 3 ' "$TMP/out.txt"
faultproxy_stats "$TMP/stats"
check test "$(faultproxy_count "$TMP/stats" asset-1.bin)" -eq 3

# 500 for ever: gives up after SPK_FETCH_ATTEMPTS, one line, no DEST.
faultproxy_rule '{"match": "asset-2.bin", "action": "status", "code": 503}'
line 2
must_fail to_file "$TMP/out.txt" "$FETCH" "$TMP/list"
check grep -qx "spk-fetch-test: error: $base/asset-2.bin: HTTP 503 (4 attempts)" "$TMP/must_fail.err"
check test "$(wc -l <"$TMP/must_fail.err")" -eq 1
check test ! -e "$TMP/out/asset-2.bin"
faultproxy_stats "$TMP/stats"
check test "$(faultproxy_count "$TMP/stats" asset-2.bin)" -eq 4

# 429 with Retry-After: 2 -- the wait happens (back-off alone would be 50 ms).
faultproxy_rule '{"match": "asset-3.bin", "action": "status", "code": 429, "retry_after": "2", "times": 1}'
line 3
t0=$(now_ms)
must_pass to_file "$TMP/out.txt" "$FETCH" "$TMP/list"
t1=$(now_ms)
check test $((t1 - t0)) -ge 2000
check grep -q 'asset-3.bin ok 20000 2 ' "$TMP/out.txt"

# Retry-After as an HTTP-date: the retry comes no earlier than that date.
when_s=$(($(date +%s) + 4))
when=$(date -u -d "@$when_s" '+%a, %d %b %Y %H:%M:%S GMT')
faultproxy_rule "{\"match\": \"asset-4.bin\", \"action\": \"status\", \"code\": 503, \"retry_after\": \"$when\", \"times\": 1}"
line 4
must_pass to_file "$TMP/out.txt" "$FETCH" "$TMP/list"
check test "$(date +%s)" -ge "$when_s"
check grep -q 'asset-4.bin ok 20000 2 ' "$TMP/out.txt"

# A Retry-After beyond the cap fails at once instead of hanging for an hour.
faultproxy_rule '{"match": "asset-5.bin", "action": "status", "code": 429, "retry_after": "3600"}'
line 5
t0=$(now_ms)
must_fail to_file "$TMP/out.txt" env SPK_FETCH_MAX_WAIT_MS=5000 "$FETCH" "$TMP/list"
t1=$(now_ms)
check grep -q "asset-5.bin: HTTP 429; the server asks to retry after 3600 s$" "$TMP/must_fail.err"
check test $((t1 - t0)) -lt 3000

# A reset connection is retried like a 5xx.
faultproxy_rule '{"match": "asset-6.bin", "action": "reset", "times": 1}'
line 6
must_pass to_file "$TMP/out.txt" "$FETCH" "$TMP/list"
check grep -q 'asset-6.bin ok 20000 2 ' "$TMP/out.txt"
check cmp "$TMP/out/asset-6.bin" "$TMP/www/smech/os/releases/download/snap1/asset-6.bin"
done_testing
