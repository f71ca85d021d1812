#!/bin/sh
# spk remove refuses to take away what an installed package depends on, naming both.
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
