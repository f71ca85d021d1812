#!/bin/sh
# spk owner PATH answers 'NAME VERSION' for in-root paths; an unowned path exits 1 with an error.
. "${0%/*}/../lib/testlib.sh"
. "$SRC/tests/lib/refused.sh"

setup_root
make_pkg "$TMP/p" one 1.0-r0 usr/bin/one etc/one.conf
make_pkg "$TMP/p" two 2.0-r5 usr/bin/two
must_pass spk --root "$ROOT" install "$TMP/p/one-1.0-r0-x86_64.tar.xz" "$TMP/p/two-2.0-r5-x86_64.tar.xz"
spk --root "$ROOT" owner /usr/bin/one >"$OUT/o" || fail "owner /usr/bin/one"
check test "$(cat "$OUT/o")" = "one 1.0-r0"
spk --root "$ROOT" owner /usr/bin/two /etc/one.conf >"$OUT/o" || fail "owner two paths"
printf 'two 2.0-r5\none 1.0-r0\n' >"$OUT/want"
check cmp -s "$OUT/o" "$OUT/want"
# unowned: a path that exists but belongs to nobody, and one that does not exist
echo stray >"$ROOT/etc/stray"
refused "/etc/stray.*not owned" spk --root "$ROOT" owner /etc/stray
refused "/usr/bin/nothere.*not owned" spk --root "$ROOT" owner /usr/bin/nothere
# the host path of the file is not the path inside the root
refused "not owned" spk --root "$ROOT" owner "$ROOT/usr/bin/one"
# a mix: the owned path is still answered, the status is 1
spk --root "$ROOT" owner /usr/bin/one /etc/stray >"$OUT/o" 2>"$OUT/err"
check test "$?" -eq 1
check test "$(cat "$OUT/o")" = "one 1.0-r0"
check grep -q '^spk: error: /etc/stray' "$OUT/err"
done_testing
