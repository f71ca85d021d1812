#!/bin/sh
# A symlink whose relative target climbs above the root (too many ..) is refused.
. "${0%/*}/../lib/testlib.sh"
. "$SRC/tests/lib/refused.sh"

setup_root
make_pkg "$TMP/p" base 1.0-r0 usr/bin/base
must_pass spk --root "$ROOT" install "$TMP/p/base-1.0-r0-x86_64.tar.xz"
make_pkg "$TMP/p" evil 1.0-r0 usr/bin/evil
EVIL=$TMP/evil-1.0-r0-x86_64.tar.xz
hostile() { python3 "$HOSTILE" edit "$TMP/p/evil-1.0-r0-x86_64.tar.xz" "$EVIL" "$@"; }

hostile symlink usr/bin/passwd ../../../etc/passwd
refused "evil.*usr/bin/passwd.*outside" spk --root "$ROOT" install "$EVIL"
check test ! -e "$ROOT/usr/bin/passwd"
check test ! -L "$ROOT/usr/bin/passwd"

# one level too many, at the top
hostile symlink up ..
refused "evil.*up.*outside" spk --root "$ROOT" install "$EVIL"
check test ! -L "$ROOT/up"
done_testing
