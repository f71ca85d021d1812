#!/bin/sh
# --quiet silences install and remove on stdout; errors still reach stderr.
. "${0%/*}/../lib/testlib.sh"
. "$SRC/tests/lib/refused.sh"

setup_root
make_pkg "$TMP/p" one 1.0-r0 usr/bin/one
make_pkg "$TMP/p" two 1.0-r0 usr/bin/two Depends=nothere
spk --root "$ROOT" install "$TMP/p/one-1.0-r0-x86_64.tar.xz" >"$OUT/o" 2>"$OUT/e"
check test "$?" -eq 0
check test -s "$OUT/o"
must_pass spk --root "$ROOT" remove one
spk --quiet --root "$ROOT" install "$TMP/p/one-1.0-r0-x86_64.tar.xz" >"$OUT/o" 2>"$OUT/e"
check test "$?" -eq 0
check test ! -s "$OUT/o"
check test ! -s "$OUT/e"
check test -e "$ROOT/usr/bin/one"
spk --root "$ROOT" remove one -q >"$OUT/o" 2>"$OUT/e"
check test "$?" -eq 0
check test ! -s "$OUT/o"
check test ! -e "$ROOT/usr/bin/one"
must_pass spk --root "$ROOT" install "$TMP/p/one-1.0-r0-x86_64.tar.xz"
refused "two.*nothere" spk --quiet --root "$ROOT" install "$TMP/p/two-1.0-r0-x86_64.tar.xz"
done_testing
