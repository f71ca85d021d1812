#!/bin/sh
# Installing the version that is already installed exits 0 and changes nothing.
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
make_pkg "$TMP/p" app 1.0-r0 usr/bin/app
must_pass spk --root "$ROOT" install "$TMP/p/app-1.0-r0-x86_64.tar.xz"
# a user edit survives: nothing is rewritten
echo edited >"$ROOT/usr/bin/app"
spk --root "$ROOT" list >"$OUT/list.before" || fail list
python3 "$HOSTILE" tree "$TMP" out must_fail.err >"$OUT/before"
must_pass spk --root "$ROOT" install "$TMP/p/app-1.0-r0-x86_64.tar.xz"
python3 "$HOSTILE" tree "$TMP" out must_fail.err >"$OUT/after"
check cmp -s "$OUT/before" "$OUT/after"
check test "$(cat "$ROOT/usr/bin/app")" = edited
spk --root "$ROOT" list >"$OUT/list.after" || fail list
check cmp -s "$OUT/list.before" "$OUT/list.after"
done_testing
