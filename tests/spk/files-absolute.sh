#!/bin/sh
# spk files NAME lists the package's files and symlinks as absolute paths inside the root.
. "${0%/*}/../lib/testlib.sh"
. "$SRC/tests/lib/refused.sh"

setup_root
make_tree "$TMP/s" tool 1.0-r0
mkdir -p "$TMP/s/usr/bin" "$TMP/s/usr/share/tool" "$TMP/p"
echo t >"$TMP/s/usr/bin/tool"
ln -s tool "$TMP/s/usr/bin/tool-alias"
echo d >"$TMP/s/usr/share/tool/data"
spk mkpkg "$TMP/s" "$TMP/p" >/dev/null || fail "mkpkg"
must_pass spk --root "$ROOT" install "$TMP/p/tool-1.0-r0-x86_64.tar.xz"
spk --root "$ROOT" files tool >"$OUT/files" || fail "files tool"
check grep -qx /usr/bin/tool "$OUT/files"
check grep -qx /usr/bin/tool-alias "$OUT/files"
check grep -qx /usr/share/tool/data "$OUT/files"
# absolute, inside the root: never the host path of the root
check test "$(grep -cv '^/' "$OUT/files")" -eq 0
check test "$(grep -c "$ROOT" "$OUT/files")" -eq 0
refused "nothere.*not installed" spk --root "$ROOT" files nothere
done_testing
