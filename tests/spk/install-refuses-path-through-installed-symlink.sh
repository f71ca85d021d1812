#!/bin/sh
# A package writing below a symlink another installed package put on disk is refused.
. "${0%/*}/../lib/testlib.sh"
. "$SRC/tests/lib/refused.sh"

setup_root
mkdir "$TMP/outside"
make_tree "$TMP/s" linker 1.0-r0
mkdir -p "$TMP/s/usr"
ln -s "$TMP/outside" "$TMP/s/usr/lib"
mkdir -p "$TMP/p"
spk mkpkg "$TMP/s" "$TMP/p" >/dev/null || fail "mkpkg linker"
must_pass spk --root "$ROOT" install "$TMP/p/linker-1.0-r0-x86_64.tar.xz"
check test -L "$ROOT/usr/lib"
make_pkg "$TMP/p" evil 1.0-r0 usr/lib/evil.so
# as mkpkg makes it, the package also claims the directory usr/lib
refused "evil.*usr/lib" spk --root "$ROOT" install "$TMP/p/evil-1.0-r0-x86_64.tar.xz"
check test ! -e "$TMP/outside/evil.so"

# without its directory entries, only the file usr/lib/evil.so: the path goes through the symlink
python3 "$HOSTILE" edit "$TMP/p/evil-1.0-r0-x86_64.tar.xz" "$TMP/evil-1.0-r0-x86_64.tar.xz" \
	drop usr/lib drop usr
refused "evil.*usr/lib/evil.so.*symlink" spk --root "$ROOT" install "$TMP/evil-1.0-r0-x86_64.tar.xz"
check test ! -e "$TMP/outside/evil.so"
done_testing
