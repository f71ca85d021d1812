#!/bin/sh
# Installing an older package file downgrades to it.
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
make_pkg "$TMP/p" app 2.0-r0 usr/bin/app usr/share/app/v2-only
make_pkg "$TMP/p" app 1.10-r3 usr/bin/app usr/share/app/v1-only
must_pass spk --root "$ROOT" install "$TMP/p/app-2.0-r0-x86_64.tar.xz"
must_pass spk --root "$ROOT" install "$TMP/p/app-1.10-r3-x86_64.tar.xz"
spk --root "$ROOT" list >"$OUT/list" || fail list
check test "$(cat "$OUT/list")" = "app 1.10-r3"
check grep -q "app 1.10-r3 usr/bin/app" "$ROOT/usr/bin/app"
check test -e "$ROOT/usr/share/app/v1-only"
check test ! -e "$ROOT/usr/share/app/v2-only"
must_pass spk --root "$ROOT" verify
done_testing
