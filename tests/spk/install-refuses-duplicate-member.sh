#!/bin/sh
# A package holding the same path twice is refused.
. "${0%/*}/../lib/testlib.sh"
. "$SRC/tests/lib/refused.sh"

setup_root
make_pkg "$TMP/p" base 1.0-r0 usr/bin/base
must_pass spk --root "$ROOT" install "$TMP/p/base-1.0-r0-x86_64.tar.xz"
make_pkg "$TMP/p" evil 1.0-r0 usr/bin/evil
EVIL=$TMP/evil-1.0-r0-x86_64.tar.xz
hostile() { python3 "$HOSTILE" edit "$TMP/p/evil-1.0-r0-x86_64.tar.xz" "$EVIL" "$@"; }

hostile dup usr/bin/evil
refused "evil.*usr/bin/evil.*duplicate" spk --root "$ROOT" install "$EVIL"
check test ! -e "$ROOT/usr/bin/evil"

# the second copy with other content (same size): the record matches the first one only
hostile file usr/bin/evil "$(printf 'evil 1.0-r0 usr/bin/XXX')"
refused "evil.*usr/bin/evil.*duplicate" spk --root "$ROOT" install "$EVIL"
check test ! -e "$ROOT/usr/bin/evil"

# a duplicated hook script
printf '#!/bin/sh\ntrue\n' >"$TMP/p/hook"
make_tree "$TMP/s" hooked 1.0-r0
mkdir -p "$TMP/s/usr/bin"; echo x >"$TMP/s/usr/bin/hooked"
cp "$TMP/p/hook" "$TMP/s/.post-install"
spk mkpkg "$TMP/s" "$TMP/p" >/dev/null || fail "mkpkg hooked"
python3 "$HOSTILE" edit "$TMP/p/hooked-1.0-r0-x86_64.tar.xz" "$TMP/hooked-1.0-r0-x86_64.tar.xz" dup .post-install
refused "hooked.*post-install.*duplicate" spk --root "$ROOT" install "$TMP/hooked-1.0-r0-x86_64.tar.xz"
done_testing
