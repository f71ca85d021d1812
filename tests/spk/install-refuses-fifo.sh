#!/bin/sh
# A package holding a FIFO is refused and no FIFO appears in the root.
. "${0%/*}/../lib/testlib.sh"
. "$SRC/tests/lib/refused.sh"

setup_root
make_pkg "$TMP/p" base 1.0-r0 usr/bin/base
must_pass spk --root "$ROOT" install "$TMP/p/base-1.0-r0-x86_64.tar.xz"
make_pkg "$TMP/p" evil 1.0-r0 usr/bin/evil
EVIL=$TMP/evil-1.0-r0-x86_64.tar.xz
hostile() { python3 "$HOSTILE" edit "$TMP/p/evil-1.0-r0-x86_64.tar.xz" "$EVIL" "$@"; }

# listed in the record as an empty file, so that the member's type is the only thing wrong
hostile fifo usr/bin/pipe
refused "evil.*usr/bin/pipe.*FIFO" spk --root "$ROOT" install "$EVIL"
check test ! -e "$ROOT/usr/bin/pipe"
done_testing
