#!/bin/sh
# Provides: a dependency is met by a provided name, and a versioned one only by 'name=version'.
. "${0%/*}/../lib/testlib.sh"
HOSTILE="$SRC/tests/lib/hostile.py"
OUT=$TMP/out
mkdir -p "$OUT"

# refused PATTERN CMD...: CMD exits 1 with exactly one line "spk: error: ...PATTERN" on stderr;
# nothing under $TMP (the root and beside it) changed; no staging file, no journal; same list.
refused() {
	_pat=$1; shift
	spk --root "$ROOT" list >"$OUT/list.before" || fail "list before"
	python3 "$HOSTILE" tree "$TMP" out must_fail.err >"$OUT/before"
	must_fail "$@" 2>"$OUT/err"
	check test "$rc" -eq 1
	if [ "$(wc -l <"$OUT/err")" -eq 1 ] && grep -q "^spk: error: .*$_pat" "$OUT/err"; then
		pass "one error line matching '$_pat'"
	else
		fail "one error line matching '$_pat': got: $(cat "$OUT/err")"
	fi
	python3 "$HOSTILE" tree "$TMP" out must_fail.err >"$OUT/after"
	if cmp -s "$OUT/before" "$OUT/after"; then pass "nothing changed on disk"
	else fail "nothing changed on disk: $(diff "$OUT/before" "$OUT/after" | tr '\n' ' ')"; fi
	find "$ROOT" \( -name '.spk-new.*' -o -name '.spk-old.*' \) >"$OUT/staged"
	check test ! -s "$OUT/staged"
	check test ! -e "$ROOT/var/lib/spk/journal"
	spk --root "$ROOT" list >"$OUT/list.after" || fail "list after"
	check cmp -s "$OUT/list.before" "$OUT/list.after"
}

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
