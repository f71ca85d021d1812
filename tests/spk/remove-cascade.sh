#!/bin/sh
# spk remove --cascade removes the dependents (and theirs) in the same transaction.
. "${0%/*}/../lib/testlib.sh"
. "$SRC/tests/lib/refused.sh"

setup_root
make_pkg "$TMP/p" lib 1.0-r0 usr/lib/lib.so
make_pkg "$TMP/p" mid 1.0-r0 usr/lib/mid.so Depends=lib
make_pkg "$TMP/p" app 1.0-r0 usr/bin/app Depends=mid
make_pkg "$TMP/p" other 1.0-r0 usr/bin/other
must_pass spk --root "$ROOT" install "$TMP/p/"*.tar.xz
must_pass spk --root "$ROOT" remove --cascade lib
check test ! -e "$ROOT/usr/lib/lib.so"
check test ! -e "$ROOT/usr/lib/mid.so"
check test ! -e "$ROOT/usr/bin/app"
check test -e "$ROOT/usr/bin/other"
spk --root "$ROOT" list >"$OUT/list" || fail list
check test "$(cat "$OUT/list")" = "other 1.0-r0"
must_pass spk --root "$ROOT" verify
done_testing
