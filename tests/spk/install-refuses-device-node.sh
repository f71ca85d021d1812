#!/bin/sh
# A package holding a device node is refused and no node appears in the root.
. "${0%/*}/../lib/testlib.sh"
. "$SRC/tests/lib/refused.sh"

setup_root
make_pkg "$TMP/p" base 1.0-r0 usr/bin/base
must_pass spk --root "$ROOT" install "$TMP/p/base-1.0-r0-x86_64.tar.xz"
make_pkg "$TMP/p" evil 1.0-r0 usr/bin/evil
EVIL=$TMP/evil-1.0-r0-x86_64.tar.xz
hostile() { python3 "$HOSTILE" edit "$TMP/p/evil-1.0-r0-x86_64.tar.xz" "$EVIL" "$@"; }

# listed in the record as an empty file, so that the member's type is the only thing wrong
hostile chardev usr/bin/null
refused "evil.*usr/bin/null.*device node" spk --root "$ROOT" install "$EVIL"
check test ! -e "$ROOT/usr/bin/null"

hostile chardev dev/mem unlisted dev/mem
refused "evil.*dev/mem.*device node" spk --root "$ROOT" install "$EVIL"
check test ! -e "$ROOT/dev/mem"
done_testing
