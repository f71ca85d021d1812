#!/bin/sh
# An invalid Version in .SPKINFO (no -rN, or a ~) is refused.
. "${0%/*}/../lib/testlib.sh"
. "$SRC/tests/lib/refused.sh"

setup_root
make_pkg "$TMP/p" base 1.0-r0 usr/bin/base
must_pass spk --root "$ROOT" install "$TMP/p/base-1.0-r0-x86_64.tar.xz"
make_pkg "$TMP/p" evil 1.0-r0 usr/bin/evil
EVIL=$TMP/evil-1.0-r0-x86_64.tar.xz

python3 "$HOSTILE" edit "$TMP/p/evil-1.0-r0-x86_64.tar.xz" "$EVIL" spkinfo 'Name: evil\nVersion: 1.0\nArch: x86_64\n'
refused "evil-1.0-r0-x86_64.tar.xz.*SPKINFO.*Version" spk --root "$ROOT" install "$EVIL"
check test ! -e "$ROOT/usr/bin/evil"

python3 "$HOSTILE" edit "$TMP/p/evil-1.0-r0-x86_64.tar.xz" "$EVIL" spkinfo 'Name: evil\nVersion: 1.0~rc1-r0\nArch: x86_64\n'
refused "evil-1.0-r0-x86_64.tar.xz.*SPKINFO.*Version" spk --root "$ROOT" install "$EVIL"

python3 "$HOSTILE" edit "$TMP/p/evil-1.0-r0-x86_64.tar.xz" "$EVIL" spkinfo 'Name: evil\nVersion: v1.0-r0\nArch: x86_64\n'
refused "evil-1.0-r0-x86_64.tar.xz.*SPKINFO.*Version" spk --root "$ROOT" install "$EVIL"
done_testing
