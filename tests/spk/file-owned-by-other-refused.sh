#!/bin/sh
# A file owned by another installed package is refused unless the newcomer Replaces it.
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
