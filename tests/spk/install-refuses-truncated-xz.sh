#!/bin/sh
# A package cut short (truncated xz stream) is refused and nothing is left half-installed.
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

python3 "$HOSTILE" truncate "$TMP/p/evil-1.0-r0-x86_64.tar.xz" "$EVIL"
refused "evil-1.0-r0-x86_64.tar.xz.*\(truncated\|corrupt\)" spk --root "$ROOT" install "$EVIL"
check test ! -e "$ROOT/usr/share/evil"

# cut inside the header: not even .SPKINFO
head -c 40 "$TMP/p/evil-1.0-r0-x86_64.tar.xz" >"$EVIL"
refused "evil-1.0-r0-x86_64.tar.xz.*\(truncated\|corrupt\)" spk --root "$ROOT" install "$EVIL"

# given with a valid package: neither is installed
make_pkg "$TMP/p" good 1.0-r0 usr/bin/good
python3 "$HOSTILE" truncate "$TMP/p/evil-1.0-r0-x86_64.tar.xz" "$EVIL"
refused "evil-1.0-r0-x86_64.tar.xz" spk --root "$ROOT" install "$TMP/p/good-1.0-r0-x86_64.tar.xz" "$EVIL"
check test ! -e "$ROOT/usr/bin/good"
done_testing
