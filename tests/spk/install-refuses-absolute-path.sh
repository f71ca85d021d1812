#!/bin/sh
# A package with an absolute member path is refused, named, and writes nothing there.
. "${0%/*}/../lib/testlib.sh"
. "$SRC/tests/lib/refused.sh"

setup_root
make_pkg "$TMP/p" base 1.0-r0 usr/bin/base
must_pass spk --root "$ROOT" install "$TMP/p/base-1.0-r0-x86_64.tar.xz"
make_pkg "$TMP/p" evil 1.0-r0 usr/bin/evil
EVIL=$TMP/evil-1.0-r0-x86_64.tar.xz
hostile() { python3 "$HOSTILE" edit "$TMP/p/evil-1.0-r0-x86_64.tar.xz" "$EVIL" "$@"; }

# the absolute path points beside the root, where the tree snapshot would see it
hostile file "$TMP/abs-escape" pwned unlisted "$TMP/abs-escape"
refused "evil.*absolute path" spk --root "$ROOT" install "$EVIL"
check test ! -e "$TMP/abs-escape"

hostile file "$TMP/abs-escape" pwned
refused "evil.*absolute path" spk --root "$ROOT" install "$EVIL"
check test ! -e "$TMP/abs-escape"
done_testing
