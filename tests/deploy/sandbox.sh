#!/bin/sh
# A build runs in a sandbox: an unprivileged uid, no network but loopback, a read-only host with
# nothing of it visible beyond /usr, a fixed hostname, and SOURCE_DATE_EPOCH from the recipe.
. "${0%/*}/../lib/testlib.sh"
. "$SRC/tests/data/deploy/setup.sh"

must_pass smechdeploy build probe
mkdir "$TMP/x"
tar -xJf "$PKGS/probe-1.0-r0-x86_64.tar.xz" -C "$TMP/x" probe || fail "unpack the probe package"
P="$TMP/x/probe"
check test "$(cat "$P/uid")" != 0
check test "$(cat "$P/ifaces")" = lo
check test "$(cat "$P/usr")" = read-only
check test "$(cat "$P/root")" = read-only
check test "$(cat "$P/host")" = hidden
check test "$(cat "$P/sde")" = 1700000000
check test "$(cat "$P/hostname")" = smech-build
# The package's own metadata carries the same date.
tar -xOJf "$PKGS/probe-1.0-r0-x86_64.tar.xz" .SPKINFO >"$TMP/info"
check grep -qx "Build-Date: 1700000000" "$TMP/info"
check grep -qx "Origin: probe" "$TMP/info"
done_testing
