#!/bin/sh
# Installing the version that is already installed exits 0 and changes nothing.
. "${0%/*}/../lib/testlib.sh"
. "$SRC/tests/lib/refused.sh"

setup_root
make_pkg "$TMP/p" app 1.0-r0 usr/bin/app
must_pass spk --root "$ROOT" install "$TMP/p/app-1.0-r0-x86_64.tar.xz"
# a user edit survives: nothing is rewritten
echo edited >"$ROOT/usr/bin/app"
spk --root "$ROOT" list >"$OUT/list.before" || fail list
python3 "$HOSTILE" tree "$TMP" out must_fail.err >"$OUT/before"
must_pass spk --root "$ROOT" install "$TMP/p/app-1.0-r0-x86_64.tar.xz"
python3 "$HOSTILE" tree "$TMP" out must_fail.err >"$OUT/after"
check cmp -s "$OUT/before" "$OUT/after"
check test "$(cat "$ROOT/usr/bin/app")" = edited
spk --root "$ROOT" list >"$OUT/list.after" || fail list
check cmp -s "$OUT/list.before" "$OUT/list.after"
done_testing
