#!/bin/sh
# Replaces lets a package take over a file of an installed one, which keeps its other files.
. "${0%/*}/../lib/testlib.sh"
. "$SRC/tests/lib/refused.sh"

setup_root
make_pkg "$TMP/p" old 1.0-r0 usr/bin/shared usr/bin/old-only
make_tree "$TMP/s" new 1.0-r0 "Replaces=old"
mkdir -p "$TMP/s/usr/bin"; echo "new's shared" >"$TMP/s/usr/bin/shared"; echo n >"$TMP/s/usr/bin/new-only"
spk mkpkg "$TMP/s" "$TMP/p" >/dev/null || fail mkpkg
must_pass spk --root "$ROOT" install "$TMP/p/old-1.0-r0-x86_64.tar.xz"
must_pass spk --root "$ROOT" install "$TMP/p/new-1.0-r0-x86_64.tar.xz"
check test "$(cat "$ROOT/usr/bin/shared")" = "new's shared"
spk --root "$ROOT" owner /usr/bin/shared >"$OUT/o" || fail owner
check test "$(cat "$OUT/o")" = "new 1.0-r0"
spk --root "$ROOT" list >"$OUT/list" || fail list
printf 'new 1.0-r0\nold 1.0-r0\n' >"$OUT/want"
check cmp -s "$OUT/list" "$OUT/want"
spk --root "$ROOT" files old >"$OUT/f" || fail files
check test "$(grep -c '^/usr/bin/shared$' "$OUT/f")" -eq 0
check grep -qx /usr/bin/old-only "$OUT/f"
must_pass spk --root "$ROOT" verify
# removing old leaves the taken-over file alone
must_pass spk --root "$ROOT" remove old
check test "$(cat "$ROOT/usr/bin/shared")" = "new's shared"
check test ! -e "$ROOT/usr/bin/old-only"
must_pass spk --root "$ROOT" verify
done_testing
