#!/bin/sh
# Transport faults on the install path, through the fault-injecting test peer: HTTP errors after
# retries, a truncated transfer resumed, a transient 500 retried.
. "${0%/*}/../lib/testlib.sh"
. "$SRC/tests/lib/nginx.sh"
. "$SRC/tests/lib/repo.sh"
repo_init
faultproxy_start || exit 1
SPK_GITHUB_URL="http://127.0.0.1:$PROXY_PORT"
export SPK_GITHUB_URL
repo_pkg big 1.0-r0
head -c 200000 /dev/urandom >"$TMP/src/big-1.0-r0/usr/share/big/blob"
"$SPK" mkpkg "$TMP/src/big-1.0-r0" "$PKGS" >/dev/null
repo_publish s1 1 -- "$PKGS/big-1.0-r0-x86_64.tar.xz"
must_pass spk --root "$ROOT" update

# HTTP errors after every retry: refused, nothing installed
faultproxy_rule '{"match": "big-1.0", "action": "status", "code": 503}'
must_fail spk --root "$ROOT" install big
check grep -q "503" "$TMP/must_fail.err"
spk --root "$ROOT" list >"$TMP/list"
check test ! -s "$TMP/list"
faultproxy_reset
# a transient 500 is retried and the install succeeds
faultproxy_rule '{"match": "big-1.0", "action": "status", "code": 500, "times": 1}'
must_pass spk --root "$ROOT" install big
must_pass spk --root "$ROOT" verify
must_pass spk --root "$ROOT" remove big
spk cache clean --root "$ROOT" >/dev/null 2>&1 || "$SPK" --root "$ROOT" cache clean >/dev/null
faultproxy_reset
# truncated transfers every time: refused, nothing installed, a .part kept for resuming
faultproxy_rule '{"match": "big-1.0", "action": "truncate", "bytes": 50000}'
must_fail spk --root "$ROOT" install big
spk --root "$ROOT" list >"$TMP/list"
check test ! -s "$TMP/list"
faultproxy_reset
must_pass spk --root "$ROOT" install big
faultproxy_stats "$TMP/stats"
check grep -q "bytes=" "$TMP/stats"
must_pass spk --root "$ROOT" verify
done_testing
