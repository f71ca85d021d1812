#!/bin/sh
# spk verify exits 0 on a clean root, and 1 with 'NAME: PATH: what' lines after a file is changed,
# removed or chmodded.
. "${0%/*}/../lib/testlib.sh"
. "$SRC/tests/lib/refused.sh"

setup_root
make_pkg "$TMP/p" one 1.0-r0 usr/bin/one usr/share/one/a usr/share/one/b
make_pkg "$TMP/p" two 1.0-r0 usr/bin/two
must_pass spk --root "$ROOT" install "$TMP/p/one-1.0-r0-x86_64.tar.xz" "$TMP/p/two-1.0-r0-x86_64.tar.xz"
spk --root "$ROOT" verify >"$OUT/v" 2>&1
check test "$?" -eq 0
check test ! -s "$OUT/v"

# same size, other bytes: only a hash can tell
sed -i 's/one 1.0-r0/ONE 1.0-r0/' "$ROOT/usr/bin/one"
spk --root "$ROOT" verify >"$OUT/v" 2>"$OUT/err"
check test "$?" -eq 1
check test "$(wc -l <"$OUT/v")" -eq 1
check grep -q '^one: /usr/bin/one: .' "$OUT/v"

rm "$ROOT/usr/share/one/a"
chmod 0600 "$ROOT/usr/share/one/b"
spk --root "$ROOT" verify >"$OUT/v" 2>"$OUT/err"
check test "$?" -eq 1
check test "$(wc -l <"$OUT/v")" -eq 3
check grep -q '^one: /usr/share/one/a: .*missing' "$OUT/v"
check grep -q '^one: /usr/share/one/b: .*mode' "$OUT/v"
check test "$(grep -vc '^one: /[^:]*: .' "$OUT/v")" -eq 0

# only the names given; two is clean
spk --root "$ROOT" verify two >"$OUT/v" 2>&1
check test "$?" -eq 0
check test ! -s "$OUT/v"
spk --root "$ROOT" verify one >"$OUT/v" 2>&1
check test "$?" -eq 1

# a file replaced by a directory, a size change
rm "$ROOT/usr/bin/two"; mkdir "$ROOT/usr/bin/two"
spk --root "$ROOT" verify two >"$OUT/v" 2>&1
check test "$?" -eq 1
check grep -q '^two: /usr/bin/two: .' "$OUT/v"
refused "nothere.*not installed" spk --root "$ROOT" verify nothere
done_testing
