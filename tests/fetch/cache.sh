#!/bin/sh
# Downloads land in {root}/var/cache/spk/ as SHA256-ASSET; a cached file with the right hash is
# not fetched again, a damaged one is; spk cache clean empties the cache (left-over .part too).
. "${0%/*}/../lib/testlib.sh"
. "$SRC/tests/lib/nginx.sh"
setup_root

make_release "$TMP/www" smech os snap1 3 10000
nginx_start "$TMP/www" || exit 1
base="$NGINX_URL/smech/os/releases/download/snap1"
while read -r n s h; do echo "$base/$n $n $s $h"; done <"$TMP/www/smech/os/snap1.sums" >"$TMP/list"
h1=$(sed -n '1s/.* //p' "$TMP/www/smech/os/snap1.sums")

must_pass to_file "$TMP/out" "$FETCH" --cache "$ROOT" "$TMP/list"
check test "$(grep -c ' ok 10000 1 ' "$TMP/out")" -eq 3
check cmp "$ROOT/var/cache/spk/$h1-asset-1.bin" "$TMP/www/smech/os/releases/download/snap1/asset-1.bin"
must_pass to_file "$TMP/out" "$FETCH" --cache "$ROOT" "$TMP/list"
check test "$(grep -c ' cached 10000 0 ' "$TMP/out")" -eq 3
check test "$(grep -c 'GET /smech/os/releases/download/snap1/asset-1.bin' "$NGINX_STATE/access.log")" -eq 1

# A damaged cache entry is not trusted: it is fetched again.
printf 'X' | dd of="$ROOT/var/cache/spk/$h1-asset-1.bin" bs=1 seek=100 conv=notrunc 2>/dev/null
must_pass to_file "$TMP/out" "$FETCH" --cache "$ROOT" "$TMP/list"
check grep -q "$h1-asset-1.bin ok 10000 1 " "$TMP/out"
check test "$(grep -c ' cached 10000 0 ' "$TMP/out")" -eq 2

# An asset name that would leave the cache directory is refused.
echo "$base/asset-1.bin ../../escape 10000 $h1" >"$TMP/evil"
must_fail to_file "$TMP/out" "$FETCH" --cache "$ROOT" "$TMP/evil"
check test ! -e "$ROOT/var/escape"

: >"$ROOT/var/cache/spk/$h1-asset-9.bin.part"
must_pass to_file "$TMP/clean" spk --root "$ROOT" --dry-run cache clean
check grep -qx 'would remove 4 files (29.3 KiB) from the download cache' "$TMP/clean"
check test -e "$ROOT/var/cache/spk/$h1-asset-1.bin"
must_pass to_file "$TMP/clean" spk --root "$ROOT" cache clean
check grep -qx 'removed 4 files (29.3 KiB) from the download cache' "$TMP/clean"
check test -z "$(ls -A "$ROOT/var/cache/spk")"
must_pass to_file "$TMP/clean" spk --root "$ROOT" --quiet cache clean
check test ! -s "$TMP/clean"
must_fail spk --root "$ROOT" cache frobnicate
done_testing
