#!/bin/sh
# Wrong bytes fail with a SHA-256 mismatch naming the URL and leave nothing behind; a stalled
# server times out; a refused connection is one clear line; an unexpected length is refused.
. "${0%/*}/../lib/testlib.sh"
. "$SRC/tests/lib/nginx.sh"
export SPK_FETCH_BACKOFF_MS=50 SPK_FETCH_ATTEMPTS=2

make_release "$TMP/www" smech os snap1 4 30000
nginx_start "$TMP/www" || exit 1
faultproxy_start || exit 1
base="$PROXY_URL/smech/os/releases/download/snap1"
src="$TMP/www/smech/os/releases/download/snap1"
mkdir "$TMP/out"
fetch_list "$TMP/www/smech/os/snap1.sums" "$base" "$TMP/out" >"$TMP/all"
line() { sed -n "$1p" "$TMP/all" >"$TMP/list"; }
now_ms() { date +%s%3N; }

faultproxy_rule '{"match": "asset-1.bin", "action": "corrupt", "offset": 1000}'
line 1
must_fail to_file "$TMP/out.txt" "$FETCH" "$TMP/list"
check grep -q "^spk-fetch-test: error: $base/asset-1.bin: SHA-256 mismatch: got [0-9a-f]\{64\}, expected $(cut -d' ' -f4 "$TMP/list")$" "$TMP/must_fail.err"
check test ! -e "$TMP/out/asset-1.bin"
check test ! -e "$TMP/out/asset-1.bin.part"

# The right bytes, the wrong length: refused before any is written.
awk '{print $1, $2, 29999, $4}' "$TMP/all" | sed -n 2p >"$TMP/list"
must_fail to_file "$TMP/out.txt" "$FETCH" "$TMP/list"
check grep -q "asset-2.bin: server announces 30000 bytes, expected 29999$" "$TMP/must_fail.err"
check test ! -e "$TMP/out/asset-2.bin"

# Headers, then silence for 5 s: the low-speed limit (1 s here) gives up well before.
faultproxy_rule '{"match": "asset-3.bin", "action": "slow", "stall_ms": 5000}'
line 3
t0=$(now_ms)
must_fail to_file "$TMP/out.txt" env SPK_FETCH_LOW_SPEED_TIME=1 SPK_FETCH_ATTEMPTS=1 "$FETCH" "$TMP/list"
t1=$(now_ms)
check grep -q "asset-3.bin: timed out: .*(1 attempt)$" "$TMP/must_fail.err"
check test $((t1 - t0)) -lt 4500
# Slow but moving (15 KB/s) is not a failure.
faultproxy_reset
faultproxy_rule '{"match": "asset-3.bin", "action": "slow", "rate": 15000}'
must_pass to_file "$TMP/out.txt" env SPK_FETCH_LOW_SPEED_TIME=1 "$FETCH" "$TMP/list"
check cmp "$TMP/out/asset-3.bin" "$src/asset-3.bin"

# Nobody listens: offline is one line saying so, after the retries.
dead=$(free_port)
echo "http://127.0.0.1:$dead/smech/os/releases/download/snap1/asset-4.bin $TMP/out/asset-4.bin" >"$TMP/list"
must_fail to_file "$TMP/out.txt" "$FETCH" "$TMP/list"
check grep -q "^spk-fetch-test: error: http://127.0.0.1:$dead/smech/os/releases/download/snap1/asset-4.bin: cannot connect (offline or server down): .*(2 attempts)$" "$TMP/must_fail.err"
check test "$(wc -l <"$TMP/must_fail.err")" -eq 1
check test ! -e "$TMP/out/asset-4.bin"

# A 404 is not retried.
echo "$base/nonexistent.bin $TMP/out/nonexistent.bin" >"$TMP/list"
must_fail to_file "$TMP/out.txt" "$FETCH" "$TMP/list"
check grep -q "nonexistent.bin: HTTP 404$" "$TMP/must_fail.err"
faultproxy_stats "$TMP/stats"
check test "$(faultproxy_count "$TMP/stats" nonexistent.bin)" -eq 1
done_testing
