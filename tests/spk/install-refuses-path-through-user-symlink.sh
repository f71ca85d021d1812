#!/bin/sh
# A package writing below a symlink the user put in the root is refused, nothing written through it.
. "${0%/*}/../lib/testlib.sh"
. "$SRC/tests/lib/refused.sh"

setup_root
make_pkg "$TMP/p" base 1.0-r0 usr/bin/base
must_pass spk --root "$ROOT" install "$TMP/p/base-1.0-r0-x86_64.tar.xz"
mkdir "$TMP/outside"
ln -s "$TMP/outside" "$ROOT/usr/lib"
make_pkg "$TMP/p" evil 1.0-r0 usr/lib/evil.so
# as mkpkg makes it, the package also claims the directory usr/lib
refused "evil.*usr/lib" spk --root "$ROOT" install "$TMP/p/evil-1.0-r0-x86_64.tar.xz"
check test ! -e "$TMP/outside/evil.so"

# without its directory entries, only the file usr/lib/evil.so: the path goes through the symlink
python3 "$HOSTILE" edit "$TMP/p/evil-1.0-r0-x86_64.tar.xz" "$TMP/evil-1.0-r0-x86_64.tar.xz" \
	drop usr/lib drop usr
refused "evil.*usr/lib/evil.so.*symlink" spk --root "$ROOT" install "$TMP/evil-1.0-r0-x86_64.tar.xz"
check test ! -e "$TMP/outside/evil.so"

# a deeper symlinked ancestor: usr/share/doc -> outside, the package writes usr/share/doc/x/y
mkdir -p "$ROOT/usr/share"
ln -s "$TMP/outside" "$ROOT/usr/share/doc"
make_pkg "$TMP/p" evil2 1.0-r0 usr/share/doc/x/y
python3 "$HOSTILE" edit "$TMP/p/evil2-1.0-r0-x86_64.tar.xz" "$TMP/evil2-1.0-r0-x86_64.tar.xz" \
	drop usr/share/doc drop usr/share drop usr
refused "evil2.*usr/share/doc/x.*symlink" spk --root "$ROOT" install "$TMP/evil2-1.0-r0-x86_64.tar.xz"
check test ! -e "$TMP/outside/x"
done_testing
