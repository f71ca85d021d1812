#!/bin/sh
# A hard link to something that is not a member of the package is refused.
. "${0%/*}/../lib/testlib.sh"
. "$SRC/tests/lib/refused.sh"

setup_root
make_pkg "$TMP/p" base 1.0-r0 usr/bin/base
must_pass spk --root "$ROOT" install "$TMP/p/base-1.0-r0-x86_64.tar.xz"
make_pkg "$TMP/p" evil 1.0-r0 usr/bin/evil
EVIL=$TMP/evil-1.0-r0-x86_64.tar.xz
hostile() { python3 "$HOSTILE" edit "$TMP/p/evil-1.0-r0-x86_64.tar.xz" "$EVIL" "$@"; }
echo secret >"$TMP/secret"

# to a path on the host, absolute, and in the record
hostile hardlink usr/bin/stolen "$TMP/secret"
refused "evil.*usr/bin/stolen" spk --root "$ROOT" install "$EVIL"
check test ! -e "$ROOT/usr/bin/stolen"

# to a file of another installed package, recorded as if it were ours
hostile hardlink usr/bin/stolen usr/bin/base
refused "evil.*usr/bin/stolen" spk --root "$ROOT" install "$EVIL"
check test "$(stat -c %h "$ROOT/usr/bin/base")" -eq 1
done_testing
