#!/bin/sh
# A package that Conflicts with and Replaces an installed one removes it in the same transaction
# (a rename).
. "${0%/*}/../lib/testlib.sh"
. "$SRC/tests/lib/refused.sh"

setup_root
make_pkg "$TMP/p" oldname 1.0-r0 usr/bin/tool usr/share/oldname/doc
make_tree "$TMP/s" newname 2.0-r0 "Conflicts=oldname" "Replaces=oldname" "Provides=oldname=2.0"
mkdir -p "$TMP/s/usr/bin"; echo new >"$TMP/s/usr/bin/tool"
spk mkpkg "$TMP/s" "$TMP/p" >/dev/null || fail mkpkg
make_pkg "$TMP/p" user 1.0-r0 usr/bin/user "Depends=oldname"
must_pass spk --root "$ROOT" install "$TMP/p/oldname-1.0-r0-x86_64.tar.xz" "$TMP/p/user-1.0-r0-x86_64.tar.xz"
must_pass spk --root "$ROOT" install "$TMP/p/newname-2.0-r0-x86_64.tar.xz"
spk --root "$ROOT" list >"$OUT/list" || fail list
printf 'newname 2.0-r0\nuser 1.0-r0\n' >"$OUT/want"
check cmp -s "$OUT/list" "$OUT/want"
check test "$(cat "$ROOT/usr/bin/tool")" = new
check test ! -e "$ROOT/usr/share/oldname"
spk --root "$ROOT" owner /usr/bin/tool >"$OUT/o" || fail owner
check test "$(cat "$OUT/o")" = "newname 2.0-r0"
must_pass spk --root "$ROOT" verify
check test "$(grep -cx oldname "$ROOT/var/lib/spk/world")" -eq 0
done_testing
