#!/bin/sh
# A setuid file listed in Allow-Setuid is built, installed with its mode, and verifies clean.
. "${0%/*}/../lib/testlib.sh"
. "$SRC/tests/lib/refused.sh"

setup_root
make_tree "$TMP/s" su 1.0-r0 "Allow-Setuid=/usr/bin/su, /usr/bin/newgrp"
mkdir -p "$TMP/s/usr/bin" "$TMP/p"
echo su >"$TMP/s/usr/bin/su"
echo newgrp >"$TMP/s/usr/bin/newgrp"
chmod 4755 "$TMP/s/usr/bin/su"
chmod 2755 "$TMP/s/usr/bin/newgrp"
must_pass spk mkpkg "$TMP/s" "$TMP/p"
must_pass spk --root "$ROOT" install "$TMP/p/su-1.0-r0-x86_64.tar.xz"
check test "$(stat -c %a "$ROOT/usr/bin/su")" = 4755
check test "$(stat -c %a "$ROOT/usr/bin/newgrp")" = 2755
must_pass spk --root "$ROOT" verify su

# mkpkg itself refuses a setuid file that is not listed
make_tree "$TMP/s2" notsu 1.0-r0
mkdir -p "$TMP/s2/usr/bin"
echo x >"$TMP/s2/usr/bin/x"
chmod 4755 "$TMP/s2/usr/bin/x"
must_fail spk mkpkg "$TMP/s2" "$TMP/p" 2>"$OUT/err"
check grep -q "^spk: error: .*usr/bin/x.*setuid" "$OUT/err"
check test ! -e "$TMP/p/notsu-1.0-r0-x86_64.tar.xz"
done_testing
