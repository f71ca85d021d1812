#!/bin/sh
# Installing a newer package file upgrades: new contents in place, files the new version dropped
# removed, one record.
. "${0%/*}/../lib/testlib.sh"
. "$SRC/tests/lib/refused.sh"

setup_root
make_pkg "$TMP/p" app 1.0-r0 usr/bin/app usr/share/app/old-only usr/share/app/kept
make_pkg "$TMP/p" app 1.1-r0 usr/bin/app usr/share/app/kept usr/lib/app/new-only
must_pass spk --root "$ROOT" install "$TMP/p/app-1.0-r0-x86_64.tar.xz"
spk --root "$ROOT" install "$TMP/p/app-1.1-r0-x86_64.tar.xz" >"$OUT/o" 2>"$OUT/e"
check test "$?" -eq 0
check grep -q 'app.*1.0-r0.*1.1-r0' "$OUT/o"
check grep -q "app 1.1-r0 usr/bin/app" "$ROOT/usr/bin/app"
check grep -q "app 1.1-r0 usr/share/app/kept" "$ROOT/usr/share/app/kept"
check test -e "$ROOT/usr/lib/app/new-only"
check test ! -e "$ROOT/usr/share/app/old-only"
spk --root "$ROOT" list >"$OUT/list" || fail list
check test "$(cat "$OUT/list")" = "app 1.1-r0"
spk --root "$ROOT" files app >"$OUT/f" || fail files
check test "$(grep -c old-only "$OUT/f")" -eq 0
check grep -qx /usr/lib/app/new-only "$OUT/f"
refused "old-only.*not owned" spk --root "$ROOT" owner /usr/share/app/old-only
must_pass spk --root "$ROOT" verify
check test "$(grep -c . "$ROOT/var/lib/spk/world")" -eq 1
find "$ROOT" \( -name '.spk-new.*' -o -name '.spk-old.*' \) >"$OUT/staged"
check test ! -s "$OUT/staged"
# -rN alone is an upgrade too
make_pkg "$TMP/p" app 1.1-r1 usr/bin/app
must_pass spk --root "$ROOT" install "$TMP/p/app-1.1-r1-x86_64.tar.xz"
check test ! -e "$ROOT/usr/share/app"
check test ! -e "$ROOT/usr/lib/app"
must_pass spk --root "$ROOT" verify
done_testing
