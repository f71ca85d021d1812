#!/bin/sh
# spk remove refuses to take away what an installed package depends on, naming both.
. "${0%/*}/../lib/testlib.sh"
. "$SRC/tests/lib/refused.sh"

setup_root
make_pkg "$TMP/p" lib 1.0-r0 usr/lib/lib.so
make_pkg "$TMP/p" app 1.0-r0 usr/bin/app Depends=lib
make_pkg "$TMP/p" tool 1.0-r0 usr/bin/tool "Depends=virt>=2"
make_pkg "$TMP/p" prov 1.0-r0 usr/lib/prov.so Provides=virt=2.5
must_pass spk --root "$ROOT" install "$TMP/p/lib-1.0-r0-x86_64.tar.xz" "$TMP/p/app-1.0-r0-x86_64.tar.xz"
refused "lib.*app" spk --root "$ROOT" remove lib
check test -e "$ROOT/usr/lib/lib.so"
# through a provided name
must_pass spk --root "$ROOT" install "$TMP/p/tool-1.0-r0-x86_64.tar.xz" "$TMP/p/prov-1.0-r0-x86_64.tar.xz"
refused "prov.*tool" spk --root "$ROOT" remove prov
# removing both at once is fine
must_pass spk --root "$ROOT" remove tool prov
check test ! -e "$ROOT/usr/bin/tool"
check test ! -e "$ROOT/usr/lib/prov.so"
done_testing
