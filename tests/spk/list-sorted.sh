#!/bin/sh
# spk list prints one 'NAME VERSION' line per installed package, sorted by name.
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
spk --root "$ROOT" list >"$OUT/list" 2>"$OUT/err" || fail "list on an empty root"
check test ! -s "$OUT/list"
check test ! -s "$OUT/err"
make_pkg "$TMP/p" zeta 3.0-r1 usr/bin/zeta
make_pkg "$TMP/p" alpha 1.0-r0 usr/bin/alpha
make_pkg "$TMP/p" mid.dot_x 10.2a-r12 usr/bin/mid
make_pkg "$TMP/p" alpha-2 0.1-r0 usr/bin/alpha2
must_pass spk --root "$ROOT" install "$TMP/p/zeta-3.0-r1-x86_64.tar.xz" "$TMP/p/mid.dot_x-10.2a-r12-x86_64.tar.xz"
must_pass spk --root "$ROOT" install "$TMP/p/alpha-1.0-r0-x86_64.tar.xz" "$TMP/p/alpha-2-0.1-r0-x86_64.tar.xz"
spk --root "$ROOT" list >"$OUT/list" || fail "list"
printf 'alpha 1.0-r0\nalpha-2 0.1-r0\nmid.dot_x 10.2a-r12\nzeta 3.0-r1\n' >"$OUT/want"
check cmp -s "$OUT/list" "$OUT/want"
must_fail spk --root "$ROOT" list extra
check test "$rc" -eq 2
done_testing
