#!/bin/sh
# --root DIR / --root=DIR and the other global options work before or after the command name;
# everything stays under the root.
. "${0%/*}/../lib/testlib.sh"
. "$SRC/tests/lib/refused.sh"

make_pkg "$TMP/p" one 1.0-r0 usr/bin/one
A=$TMP/a B=$TMP/b C=$TMP/c
mkdir -p "$A" "$B" "$C"
must_pass spk --root "$A" install "$TMP/p/one-1.0-r0-x86_64.tar.xz"
must_pass spk install --root "$B" "$TMP/p/one-1.0-r0-x86_64.tar.xz"
must_pass spk install "$TMP/p/one-1.0-r0-x86_64.tar.xz" --root="$C" --sync=no --quiet
for r in "$A" "$B" "$C"; do
	check test -e "$r/usr/bin/one"
	check test -s "$r/var/lib/spk/installed"
done
spk list --root "$B" >"$OUT/l" || fail "list --root after the command"
check test "$(cat "$OUT/l")" = "one 1.0-r0"
spk --root="$C" owner /usr/bin/one >"$OUT/l" || fail "owner --root="
check test "$(cat "$OUT/l")" = "one 1.0-r0"
must_pass spk remove one --root "$A" --sync=yes
check test ! -e "$A/usr/bin/one"
check test -e "$B/usr/bin/one"
# nothing of the package outside the roots
check test ! -e "$TMP/usr"
# usage errors exit 2
must_fail spk --root
check test "$rc" -eq 2
must_fail spk --sync=maybe --root "$A" list
check test "$rc" -eq 2
must_fail spk --root "$A" --frobnicate list
check test "$rc" -eq 2
must_fail spk --root "$A" frobnicate
check test "$rc" -eq 2
done_testing
