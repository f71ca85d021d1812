#!/bin/sh
# With no /bin/sh in the root, a hook is not run: spk warns, naming the package and hook, and
# installs.
. "${0%/*}/../lib/testlib.sh"
. "$SRC/tests/lib/refused.sh"

setup_root
make_tree "$TMP/s" hooked 1.0-r0
mkdir -p "$TMP/s/usr/bin" "$TMP/p"; echo h >"$TMP/s/usr/bin/hooked"
printf '#!/bin/sh\necho ran >/hook-ran\n' >"$TMP/s/.post-install"
printf '#!/bin/sh\necho ran >/hook-ran\n' >"$TMP/s/.pre-install"
spk mkpkg "$TMP/s" "$TMP/p" >/dev/null || fail mkpkg
spk --root "$ROOT" install "$TMP/p/hooked-1.0-r0-x86_64.tar.xz" >"$OUT/o" 2>"$OUT/err"
check test "$?" -eq 0
check grep -q '^spk: warning: hooked: .pre-install: .*/bin/sh' "$OUT/err"
check grep -q '^spk: warning: hooked: .post-install: .*/bin/sh' "$OUT/err"
check test "$(grep -vc '^spk: warning: ' "$OUT/err")" -eq 0
check test -e "$ROOT/usr/bin/hooked"
check test ! -e "$ROOT/hook-ran"
spk --root "$ROOT" list >"$OUT/list" || fail list
check test "$(cat "$OUT/list")" = "hooked 1.0-r0"
done_testing
