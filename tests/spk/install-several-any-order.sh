#!/bin/sh
# Several package files install in one transaction, whatever the order of the arguments and of
# their dependencies.
. "${0%/*}/../lib/testlib.sh"
. "$SRC/tests/lib/refused.sh"

make_pkg "$TMP/p" app 1.0-r0 usr/bin/app Depends=libmid
make_pkg "$TMP/p" libmid 2.1-r3 usr/lib/libmid.so "Depends=libbase >= 1.0"
make_pkg "$TMP/p" libbase 1.0-r0 usr/lib/libbase.so
P=$TMP/p
for order in "app libmid libbase" "libbase libmid app" "libmid app libbase"; do
	setup_root
	set --
	for n in $order; do set -- "$@" "$P/$n-"*.tar.xz; done
	must_pass spk --root "$ROOT" install "$@"
	spk --root "$ROOT" list >"$OUT/list" || fail "list"
	printf 'app 1.0-r0\nlibbase 1.0-r0\nlibmid 2.1-r3\n' >"$OUT/want"
	check cmp -s "$OUT/list" "$OUT/want"
	check grep -q "app 1.0-r0 usr/bin/app" "$ROOT/usr/bin/app"
	check grep -q "libmid 2.1-r3 usr/lib/libmid.so" "$ROOT/usr/lib/libmid.so"
	check grep -q "libbase 1.0-r0 usr/lib/libbase.so" "$ROOT/usr/lib/libbase.so"
	must_pass spk --root "$ROOT" verify
done

# one transaction: a dependency missing from the set installs none of them
setup_root
make_pkg "$TMP/p" other 1.0-r0 usr/bin/other
must_pass spk --root "$ROOT" install "$P/other-1.0-r0-x86_64.tar.xz"
refused "app.*libmid" spk --root "$ROOT" install "$P/app-1.0-r0-x86_64.tar.xz" "$P/libbase-1.0-r0-x86_64.tar.xz"
check test ! -e "$ROOT/usr/lib/libbase.so"
done_testing
