#!/bin/sh
# Many files in parallel from a real nginx: each lands complete, verified, with no .part left;
# a second run finds them all in place and fetches nothing.
. "${0%/*}/../lib/testlib.sh"
. "$SRC/tests/lib/nginx.sh"

make_release "$TMP/www" smech os snap1 40 70000
nginx_start "$TMP/www" || exit 1
mkdir "$TMP/out"
fetch_list "$TMP/www/smech/os/snap1.sums" "$NGINX_URL/smech/os/releases/download/snap1" \
	"$TMP/out" >"$TMP/list"

must_pass to_file "$TMP/out.txt" "$FETCH" --parallel 6 "$TMP/list"
check test "$(grep -c ' ok 70000 1 ' "$TMP/out.txt")" -eq 40
check cmp "$TMP/www/smech/os/releases/download/snap1/asset-17.bin" "$TMP/out/asset-17.bin"
check test -z "$(find "$TMP/out" -name '*.part')"
# The access log names every asset once, with spk's User-Agent.
check test "$(grep -c '"GET /smech/os/releases/download/snap1/asset-' "$NGINX_STATE/access.log")" -eq 40
check grep -q 'ua="spk/' "$NGINX_STATE/access.log"

must_pass to_file "$TMP/out2.txt" "$FETCH" "$TMP/list"
check test "$(grep -c ' cached 70000 0 ' "$TMP/out2.txt")" -eq 40
check test "$(grep -c 'releases/download/snap1/asset-' "$NGINX_STATE/access.log")" -eq 40
done_testing
