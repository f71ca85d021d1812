#!/bin/sh
# A truncated body is an error even when the server closed cleanly; DEST.part is kept and the
# next run resumes it with Range (206); a server that ignores Range (200) restarts it cleanly.
. "${0%/*}/../lib/testlib.sh"
. "$SRC/tests/lib/nginx.sh"
export SPK_FETCH_BACKOFF_MS=50

make_release "$TMP/www" smech os snap1 3 100000
nginx_start "$TMP/www" || exit 1
faultproxy_start || exit 1
base="$PROXY_URL/smech/os/releases/download/snap1"
src="$TMP/www/smech/os/releases/download/snap1"
mkdir "$TMP/out"
fetch_list "$TMP/www/smech/os/snap1.sums" "$base" "$TMP/out" >"$TMP/all"
line() { sed -n "$1p" "$TMP/all" >"$TMP/list"; }

# Every answer stops at 30000 of 100000 bytes (Content-Length announced): the run fails.
faultproxy_rule '{"match": "asset-1.bin", "action": "truncate", "bytes": 30000, "times": 2}'
line 1
must_fail to_file "$TMP/out.txt" env SPK_FETCH_ATTEMPTS=1 "$FETCH" "$TMP/list"
check grep -q "error: $base/asset-1.bin: .*(1 attempt)$" "$TMP/must_fail.err"
check test ! -e "$TMP/out/asset-1.bin"
check test "$(stat -c %s "$TMP/out/asset-1.bin.part")" -eq 30000
# The next run asks for the rest (cut again at 30000 more, so two requests), then completes.
must_pass to_file "$TMP/out.txt" "$FETCH" "$TMP/list"
check grep -q 'asset-1.bin resumed 100000 2 ' "$TMP/out.txt"
check cmp "$TMP/out/asset-1.bin" "$src/asset-1.bin"
check test ! -e "$TMP/out/asset-1.bin.part"
faultproxy_stats "$TMP/stats"
"$PYTHON" -c 'import json,sys
for e in json.load(open(sys.argv[1]))["log"]:
    if "asset-1.bin" in e["path"]: print(e["range"], e["status"])' "$TMP/stats" >"$TMP/ranges"
check grep -qx 'bytes=30000- 206' "$TMP/ranges"
check grep -qx 'bytes=60000- 206' "$TMP/ranges"

# No Content-Length and a clean close after 40000 bytes: only the expected size shows the loss.
faultproxy_rule '{"match": "asset-2.bin", "action": "truncate", "bytes": 40000, "length": "drop", "times": 1}'
line 2
must_pass to_file "$TMP/out.txt" "$FETCH" "$TMP/list"
check grep -q 'asset-2.bin resumed 100000 2 ' "$TMP/out.txt"
check cmp "$TMP/out/asset-2.bin" "$src/asset-2.bin"
# ... and without an expected size there is nothing to compare with, but the SHA-256 still is.
faultproxy_rule '{"match": "asset-2.bin", "action": "truncate", "bytes": 40000, "length": "drop"}'
awk '{print $1, $2 ".again", "-", $4}' "$TMP/list" >"$TMP/list2"
must_fail to_file "$TMP/out.txt" "$FETCH" "$TMP/list2"
check grep -q "error: $base/asset-2.bin: SHA-256 mismatch" "$TMP/must_fail.err"
check test ! -e "$TMP/out/asset-2.bin.again"

# A server that ignores Range answers 200 with the whole file: the .part starts over.
head -c 50000 "$src/asset-3.bin" >"$TMP/out/asset-3.bin.part"
faultproxy_rule '{"match": "asset-3.bin", "action": "norange"}'
line 3
must_pass to_file "$TMP/out.txt" "$FETCH" "$TMP/list"
check grep -q 'asset-3.bin ok 100000 1 ' "$TMP/out.txt"
check cmp "$TMP/out/asset-3.bin" "$src/asset-3.bin"
# A stale .part of other bytes: the resumed result mismatches, one clean retry fixes it.
rm "$TMP/out/asset-3.bin"
head -c 50000 /dev/urandom >"$TMP/out/asset-3.bin.part"
faultproxy_reset
must_pass to_file "$TMP/out.txt" "$FETCH" "$TMP/list"
check grep -q 'asset-3.bin ok 100000 2 ' "$TMP/out.txt"
check cmp "$TMP/out/asset-3.bin" "$src/asset-3.bin"
done_testing
