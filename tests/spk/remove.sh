#!/bin/sh
# spk remove takes a package's files, its now-empty directories and its record away, and nothing
# else.
. "${0%/*}/../lib/testlib.sh"
. "$SRC/tests/lib/refused.sh"

setup_root
make_pkg "$TMP/p" one 1.0-r0 usr/bin/one usr/share/one/data
make_pkg "$TMP/p" two 1.0-r0 usr/bin/two
must_pass spk --root "$ROOT" install "$TMP/p/one-1.0-r0-x86_64.tar.xz" "$TMP/p/two-1.0-r0-x86_64.tar.xz"
echo mine >"$ROOT/usr/share/one/user-file"
must_pass spk --root "$ROOT" remove one
check test ! -e "$ROOT/usr/bin/one"
check test ! -e "$ROOT/usr/share/one/data"
# a directory still holding a file nobody owns stays
check test -e "$ROOT/usr/share/one/user-file"
check test -e "$ROOT/usr/bin/two"
spk --root "$ROOT" list >"$OUT/list" || fail list
check test "$(cat "$OUT/list")" = "two 1.0-r0"
refused "/usr/bin/one.*not owned" spk --root "$ROOT" owner /usr/bin/one
must_pass spk --root "$ROOT" verify
check test "$(grep -cx one "$ROOT/var/lib/spk/world")" -eq 0
check grep -qx two "$ROOT/var/lib/spk/world"

must_pass spk --root "$ROOT" remove two
check test ! -e "$ROOT/usr/bin"
spk --root "$ROOT" list >"$OUT/list" || fail list
check test ! -s "$OUT/list"
refused "two.*not installed" spk --root "$ROOT" remove two
done_testing
