#!/bin/sh
# A setuid or setgid file is refused unless .SPKINFO lists it in Allow-Setuid.
. "${0%/*}/../lib/testlib.sh"
. "$SRC/tests/lib/refused.sh"

setup_root
make_pkg "$TMP/p" base 1.0-r0 usr/bin/base
must_pass spk --root "$ROOT" install "$TMP/p/base-1.0-r0-x86_64.tar.xz"
make_pkg "$TMP/p" evil 1.0-r0 usr/bin/evil
EVIL=$TMP/evil-1.0-r0-x86_64.tar.xz
hostile() { python3 "$HOSTILE" edit "$TMP/p/evil-1.0-r0-x86_64.tar.xz" "$EVIL" "$@"; }

hostile mode usr/bin/evil 4755
refused "evil.*usr/bin/evil.*setuid" spk --root "$ROOT" install "$EVIL"
check test ! -e "$ROOT/usr/bin/evil"

hostile mode usr/bin/evil 2755
refused "evil.*usr/bin/evil.*setuid" spk --root "$ROOT" install "$EVIL"

# Allow-Setuid naming another path does not cover this one
hostile mode usr/bin/evil 4755 spkinfo 'Name: evil\nVersion: 1.0-r0\nArch: x86_64\nAllow-Setuid: /usr/bin/su\n'
refused "evil.*usr/bin/evil.*setuid" spk --root "$ROOT" install "$EVIL"

# setuid directory
hostile mode usr/bin 4755
refused "evil.*usr/bin.*setuid" spk --root "$ROOT" install "$EVIL"
done_testing
