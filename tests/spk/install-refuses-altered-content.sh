#!/bin/sh
# A valid package with bytes of one file changed (size kept, record kept) is refused and rolled
# back.
. "${0%/*}/../lib/testlib.sh"
. "$SRC/tests/lib/refused.sh"

setup_root
make_pkg "$TMP/p" base 1.0-r0 usr/bin/base
must_pass spk --root "$ROOT" install "$TMP/p/base-1.0-r0-x86_64.tar.xz"
# several files, one large and incompressible, so that the damage sits in the middle of the
# stream and spk meets it while unpacking, after it has begun the transaction
make_tree "$TMP/s" evil 1.0-r0
mkdir -p "$TMP/s/usr/bin" "$TMP/s/usr/share/evil" "$TMP/p"
echo a >"$TMP/s/usr/bin/evil"
head -c 200000 /dev/urandom >"$TMP/s/usr/share/evil/blob"
echo z >"$TMP/s/usr/share/evil/zz"
spk mkpkg "$TMP/s" "$TMP/p" >/dev/null || fail "mkpkg evil"
EVIL=$TMP/evil-1.0-r0-x86_64.tar.xz

python3 "$HOSTILE" edit "$TMP/p/evil-1.0-r0-x86_64.tar.xz" "$EVIL" alter usr/share/evil/blob keep-record
refused "evil.*usr/share/evil/blob.*SHA-256" spk --root "$ROOT" install "$EVIL"
check test ! -e "$ROOT/usr/bin/evil"
check test ! -e "$ROOT/usr/share/evil"

# the last file altered: everything before it is staged by then
python3 "$HOSTILE" edit "$TMP/p/evil-1.0-r0-x86_64.tar.xz" "$EVIL" alter usr/share/evil/zz keep-record
refused "evil.*usr/share/evil/zz.*SHA-256" spk --root "$ROOT" install "$EVIL"
check test ! -e "$ROOT/usr/share/evil"

# as an upgrade of an installed version: the old files stay as they were
make_pkg "$TMP/p" evil 0.9-r0 usr/bin/evil usr/share/evil/zz
must_pass spk --root "$ROOT" install "$TMP/p/evil-0.9-r0-x86_64.tar.xz"
refused "evil.*usr/share/evil/zz.*SHA-256" spk --root "$ROOT" install "$EVIL"
check grep -q "evil 0.9-r0 usr/bin/evil" "$ROOT/usr/bin/evil"
must_pass spk --root "$ROOT" verify
done_testing
