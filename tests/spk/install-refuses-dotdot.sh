#!/bin/sh
# A package with a '../' member is refused, named, and changes nothing, in or beside the root:
# whether or not its own file record lists the member.
. "${0%/*}/../lib/testlib.sh"
. "$SRC/tests/lib/refused.sh"

setup_root
make_pkg "$TMP/p" base 1.0-r0 usr/bin/base
must_pass spk --root "$ROOT" install "$TMP/p/base-1.0-r0-x86_64.tar.xz"
make_pkg "$TMP/p" evil 1.0-r0 usr/bin/evil

# the member only: not in the record
python3 "$HOSTILE" edit "$TMP/p/evil-1.0-r0-x86_64.tar.xz" "$TMP/evil-1.0-r0-x86_64.tar.xz" \
	file ../escape pwned unlisted ../escape
refused "evil.*\.\./escape" spk --root "$ROOT" install "$TMP/evil-1.0-r0-x86_64.tar.xz"
check test ! -e "$TMP/escape"

# the member and its record line
python3 "$HOSTILE" edit "$TMP/p/evil-1.0-r0-x86_64.tar.xz" "$TMP/evil-1.0-r0-x86_64.tar.xz" \
	file usr/../../escape pwned
refused "evil.*\.\./\.\./escape" spk --root "$ROOT" install "$TMP/evil-1.0-r0-x86_64.tar.xz"
check test ! -e "$TMP/escape"
done_testing
