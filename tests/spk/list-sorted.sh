#!/bin/sh
# spk list prints one 'NAME VERSION' line per installed package, sorted by name.
. "${0%/*}/../lib/testlib.sh"
. "$SRC/tests/lib/refused.sh"

setup_root
spk --root "$ROOT" list >"$OUT/list" 2>"$OUT/err" || fail "list on an empty root"
check test ! -s "$OUT/list"
check test ! -s "$OUT/err"
make_pkg "$TMP/p" zeta 3.0-r1 usr/bin/zeta
make_pkg "$TMP/p" alpha 1.0-r0 usr/bin/alpha
make_pkg "$TMP/p" mid.dot_x 10.2a-r12 usr/bin/mid
make_pkg "$TMP/p" alpha-2 0.1-r0 usr/bin/alpha2
must_pass spk --root "$ROOT" install "$TMP/p/zeta-3.0-r1-x86_64.tar.xz" "$TMP/p/mid.dot_x-10.2a-r12-x86_64.tar.xz"
must_pass spk --root "$ROOT" install "$TMP/p/alpha-1.0-r0-x86_64.tar.xz" "$TMP/p/alpha-2-0.1-r0-x86_64.tar.xz"
spk --root "$ROOT" list >"$OUT/list" || fail "list"
printf 'alpha 1.0-r0\nalpha-2 0.1-r0\nmid.dot_x 10.2a-r12\nzeta 3.0-r1\n' >"$OUT/want"
check cmp -s "$OUT/list" "$OUT/want"
must_fail spk --root "$ROOT" list extra
check test "$rc" -eq 2
done_testing
