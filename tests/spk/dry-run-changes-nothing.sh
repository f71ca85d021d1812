#!/bin/sh
# --dry-run tells what install and remove would do, and changes nothing.
. "${0%/*}/../lib/testlib.sh"
. "$SRC/tests/lib/refused.sh"

setup_root
make_pkg "$TMP/p" one 1.0-r0 usr/bin/one
make_pkg "$TMP/p" one 2.0-r0 usr/bin/one
make_pkg "$TMP/p" two 1.0-r0 usr/bin/two Depends=one
must_pass spk --root "$ROOT" install "$TMP/p/one-1.0-r0-x86_64.tar.xz"
spk --root "$ROOT" list >"$OUT/list.before" || fail list
python3 "$HOSTILE" tree "$TMP" out must_fail.err >"$OUT/before"
spk --root "$ROOT" --dry-run install "$TMP/p/two-1.0-r0-x86_64.tar.xz" >"$OUT/o" 2>"$OUT/e"
check test "$?" -eq 0
check grep -q 'two' "$OUT/o"
spk --dry-run --root "$ROOT" install "$TMP/p/one-2.0-r0-x86_64.tar.xz" >"$OUT/o" 2>"$OUT/e"
check test "$?" -eq 0
check grep -q 'one.*1.0-r0.*2.0-r0' "$OUT/o"
spk --root "$ROOT" remove --dry-run one >"$OUT/o" 2>"$OUT/e"
check test "$?" -eq 0
check grep -q 'one' "$OUT/o"
python3 "$HOSTILE" tree "$TMP" out must_fail.err >"$OUT/after"
check cmp -s "$OUT/before" "$OUT/after"
spk --root "$ROOT" list >"$OUT/list.after" || fail list
check cmp -s "$OUT/list.before" "$OUT/list.after"
# a dry run still refuses what the real one would
make_pkg "$TMP/p" bad 1.0-r0 usr/bin/bad Depends=nothere
refused "bad.*nothere" spk --dry-run --root "$ROOT" install "$TMP/p/bad-1.0-r0-x86_64.tar.xz"
done_testing
