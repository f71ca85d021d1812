#!/bin/sh
# releases/latest/download answers 302 to a second server (GitHub's storage redirect): it is
# followed with its signed query string intact, and GITHUB_TOKEN goes to the GitHub origin only,
# never to the storage host, nor anywhere when the origin is not GitHub's.
. "${0%/*}/../lib/testlib.sh"
. "$SRC/tests/lib/nginx.sh"

make_release "$TMP/www" smech os snap1 2 5000
nginx_start "$TMP/www" || exit 1
nginx_set_latest "$TMP/www" smech os snap1
set -- $(sed -n 1p "$TMP/www/smech/os/snap1.sums")
echo "$NGINX_URL/smech/os/releases/latest/download/$1 $TMP/a.bin $2 $3" >"$TMP/list"

# A GitHub origin (SPK_GITHUB_URL) with a token.
must_pass to_file "$TMP/out" env GITHUB_TOKEN=sekrit-token SPK_GITHUB_URL="$NGINX_URL" \
	"$FETCH" "$TMP/list"
check cmp "$TMP/a.bin" "$TMP/www/smech/os/releases/download/snap1/$1"
grep "^$NGINX_PORT \"GET /smech/os/releases/latest/download/$1 " "$NGINX_STATE/access.log" \
	>"$TMP/gh.log"
grep "^$NGINX_STORE_PORT \"GET /smech/os/releases/latest-download/$1?X-Amz-Credential=spk%2Ftest%2Fus-east-1&" \
	"$NGINX_STATE/access.log" >"$TMP/store.log"
check grep -q ' 302 auth="Bearer sekrit-token"' "$TMP/gh.log"
check grep -q ' 200 auth="-" ' "$TMP/store.log"
check test "$(grep -c sekrit "$NGINX_STATE/access.log")" -eq 1

# Not a GitHub origin: no token at all.
rm -f "$TMP/a.bin"
must_pass to_file "$TMP/out" env GITHUB_TOKEN=sekrit-token SPK_GITHUB_URL=https://ghe.invalid \
	"$FETCH" "$TMP/list"
check test "$(grep -c sekrit "$NGINX_STATE/access.log")" -eq 1

# The storage server refuses a query string that was re-encoded (nginx answers 403).
echo "$NGINX_STORE_URL/smech/os/releases/latest-download/$1?X-Amz-Credential=spk/test/us-east-1&X-Amz-Expires=300&X-Amz-Signature=ab $TMP/b.bin" >"$TMP/list2"
must_fail to_file "$TMP/out" "$FETCH" "$TMP/list2"
check grep -q "error: .*latest-download.*: HTTP 403$" "$TMP/must_fail.err"

# Flipping latest moves the redirect.
make_release "$TMP/www" smech os snap2 1 3000
nginx_set_latest "$TMP/www" smech os snap2
set -- $(sed -n 1p "$TMP/www/smech/os/snap2.sums")
echo "$NGINX_URL/smech/os/releases/latest/download/asset-1.bin $TMP/c.bin $2 $3" >"$TMP/list3"
must_pass to_file "$TMP/out" "$FETCH" "$TMP/list3"
check cmp "$TMP/c.bin" "$TMP/www/smech/os/releases/download/snap2/asset-1.bin"

# In memory, with a ceiling: the channel file fits, a larger body is refused.
must_pass to_file "$TMP/mem" "$FETCH" --mem 3000 "$NGINX_URL/smech/os/releases/latest/download/asset-1.bin"
check cmp "$TMP/mem" "$TMP/www/smech/os/releases/download/snap2/asset-1.bin"
must_fail to_file "$TMP/mem" "$FETCH" --mem 2999 "$NGINX_URL/smech/os/releases/latest/download/asset-1.bin"
check grep -q 'error: .*asset-1.bin: larger than 2999 bytes$' "$TMP/must_fail.err"
done_testing
