#!/bin/sh
# Provides: a dependency is met by a provided name, and a versioned one only by 'name=version'.
. "${0%/*}/../lib/testlib.sh"
. "$SRC/tests/lib/refused.sh"

setup_root
make_pkg "$TMP/p" mawk 1.3-r0 usr/bin/mawk "Provides=awk"
make_pkg "$TMP/p" openssl 3.1-r0 usr/lib/libssl.so "Provides=libssl=3.1, libcrypto = 3.1"
make_pkg "$TMP/p" needs-awk 1.0-r0 usr/bin/needs-awk "Depends=awk"
make_pkg "$TMP/p" needs-awk2 1.0-r0 usr/bin/needs-awk2 "Depends=awk>=2"
make_pkg "$TMP/p" needs-ssl 1.0-r0 usr/bin/needs-ssl "Depends=libssl>=3.0, libcrypto"
make_pkg "$TMP/p" needs-ssl4 1.0-r0 usr/bin/needs-ssl4 "Depends=libssl>=4"
make_pkg "$TMP/p" other 1.0-r0 usr/bin/other
P=$TMP/p
must_pass spk --root "$ROOT" install "$P/other-1.0-r0-x86_64.tar.xz"
must_pass spk --root "$ROOT" install "$P/needs-awk-1.0-r0-x86_64.tar.xz" "$P/mawk-1.3-r0-x86_64.tar.xz"
# an unversioned provide does not satisfy a versioned dependency
refused "needs-awk2.*awk" spk --root "$ROOT" install "$P/needs-awk2-1.0-r0-x86_64.tar.xz"
must_pass spk --root "$ROOT" install "$P/openssl-3.1-r0-x86_64.tar.xz"
must_pass spk --root "$ROOT" install "$P/needs-ssl-1.0-r0-x86_64.tar.xz"
refused "needs-ssl4.*libssl" spk --root "$ROOT" install "$P/needs-ssl4-1.0-r0-x86_64.tar.xz"
# the provider cannot go while a dependent needs what it provides
refused "mawk.*needs-awk" spk --root "$ROOT" remove mawk
spk --root "$ROOT" list >"$OUT/list" || fail list
printf 'mawk 1.3-r0\nneeds-awk 1.0-r0\nneeds-ssl 1.0-r0\nopenssl 3.1-r0\nother 1.0-r0\n' >"$OUT/want"
check cmp -s "$OUT/list" "$OUT/want"
done_testing
