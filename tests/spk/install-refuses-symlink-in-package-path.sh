#!/bin/sh
# A package whose member lies below one of its own symlinks (usr/lib -> outside) is refused.
. "${0%/*}/../lib/testlib.sh"
. "$SRC/tests/lib/refused.sh"

setup_root
make_pkg "$TMP/p" base 1.0-r0 usr/bin/base
must_pass spk --root "$ROOT" install "$TMP/p/base-1.0-r0-x86_64.tar.xz"
make_pkg "$TMP/p" evil 1.0-r0 usr/bin/evil
EVIL=$TMP/evil-1.0-r0-x86_64.tar.xz
hostile() { python3 "$HOSTILE" edit "$TMP/p/evil-1.0-r0-x86_64.tar.xz" "$EVIL" "$@"; }
mkdir "$TMP/outside"

hostile dir usr symlink usr/lib "$TMP/outside" file usr/lib/evil.so pwned
refused "evil.*usr/lib/evil.so.*symlink" spk --root "$ROOT" install "$EVIL"
check test ! -e "$TMP/outside/evil.so"

# a relative symlink that stays inside the root, but a path through it all the same
hostile dir usr symlink usr/lib bin file usr/lib/evil.so pwned
refused "evil.*usr/lib/evil.so.*symlink" spk --root "$ROOT" install "$EVIL"
check test ! -e "$ROOT/usr/bin/evil.so"
done_testing
