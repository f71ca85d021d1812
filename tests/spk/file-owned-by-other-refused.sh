#!/bin/sh
# A file owned by another installed package is refused unless the newcomer Replaces it.
. "${0%/*}/../lib/testlib.sh"
. "$SRC/tests/lib/refused.sh"

setup_root
make_pkg "$TMP/p" first 1.0-r0 usr/bin/clash usr/bin/first
make_pkg "$TMP/p" second 1.0-r0 usr/bin/clash usr/bin/second
make_pkg "$TMP/p" third 1.0-r0 usr/bin/clash "Replaces=nobody"
must_pass spk --root "$ROOT" install "$TMP/p/first-1.0-r0-x86_64.tar.xz"
refused "second.*usr/bin/clash.*first" spk --root "$ROOT" install "$TMP/p/second-1.0-r0-x86_64.tar.xz"
check grep -q "first 1.0-r0" "$ROOT/usr/bin/clash"
check test ! -e "$ROOT/usr/bin/second"
refused "third.*usr/bin/clash.*first" spk --root "$ROOT" install "$TMP/p/third-1.0-r0-x86_64.tar.xz"
# two new packages with the same file, in one command
must_pass spk --root "$ROOT" remove first
refused "usr/bin/clash" spk --root "$ROOT" install "$TMP/p/second-1.0-r0-x86_64.tar.xz" "$TMP/p/third-1.0-r0-x86_64.tar.xz"
done_testing
