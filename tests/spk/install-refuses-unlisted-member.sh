#!/bin/sh
# A member missing from the package's own file record (.SPKMANIFEST) is refused.
. "${0%/*}/../lib/testlib.sh"
. "$SRC/tests/lib/refused.sh"

setup_root
make_pkg "$TMP/p" base 1.0-r0 usr/bin/base
must_pass spk --root "$ROOT" install "$TMP/p/base-1.0-r0-x86_64.tar.xz"
make_pkg "$TMP/p" evil 1.0-r0 usr/bin/evil
EVIL=$TMP/evil-1.0-r0-x86_64.tar.xz
hostile() { python3 "$HOSTILE" edit "$TMP/p/evil-1.0-r0-x86_64.tar.xz" "$EVIL" "$@"; }

hostile file usr/bin/extra sneaky unlisted usr/bin/extra
refused "evil.*usr/bin/extra.*not listed" spk --root "$ROOT" install "$EVIL"
check test ! -e "$ROOT/usr/bin/extra"

# a member of the record dropped from it, the rest untouched
hostile unlisted usr/bin/evil
refused "evil.*usr/bin/evil.*not listed" spk --root "$ROOT" install "$EVIL"
check test ! -e "$ROOT/usr/bin/evil"
done_testing
