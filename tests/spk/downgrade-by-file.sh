#!/bin/sh
# Installing an older package file downgrades to it.
. "${0%/*}/../lib/testlib.sh"
. "$SRC/tests/lib/refused.sh"

setup_root
make_pkg "$TMP/p" app 2.0-r0 usr/bin/app usr/share/app/v2-only
make_pkg "$TMP/p" app 1.10-r3 usr/bin/app usr/share/app/v1-only
must_pass spk --root "$ROOT" install "$TMP/p/app-2.0-r0-x86_64.tar.xz"
must_pass spk --root "$ROOT" install "$TMP/p/app-1.10-r3-x86_64.tar.xz"
spk --root "$ROOT" list >"$OUT/list" || fail list
check test "$(cat "$OUT/list")" = "app 1.10-r3"
check grep -q "app 1.10-r3 usr/bin/app" "$ROOT/usr/bin/app"
check test -e "$ROOT/usr/share/app/v1-only"
check test ! -e "$ROOT/usr/share/app/v2-only"
must_pass spk --root "$ROOT" verify
done_testing
