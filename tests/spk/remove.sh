#!/bin/sh
# spk remove takes a package's files, its now-empty directories and its record away, and nothing
# else.
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
make_pkg "$TMP/p" one 1.0-r0 usr/bin/one usr/share/one/data
make_pkg "$TMP/p" two 1.0-r0 usr/bin/two
must_pass spk --root "$ROOT" install "$TMP/p/one-1.0-r0-x86_64.tar.xz" "$TMP/p/two-1.0-r0-x86_64.tar.xz"
echo mine >"$ROOT/usr/share/one/user-file"
must_pass spk --root "$ROOT" remove one
check test ! -e "$ROOT/usr/bin/one"
check test ! -e "$ROOT/usr/share/one/data"
# a directory still holding a file nobody owns stays
check test -e "$ROOT/usr/share/one/user-file"
check test -e "$ROOT/usr/bin/two"
spk --root "$ROOT" list >"$OUT/list" || fail list
check test "$(cat "$OUT/list")" = "two 1.0-r0"
refused "/usr/bin/one.*not owned" spk --root "$ROOT" owner /usr/bin/one
must_pass spk --root "$ROOT" verify
check test "$(grep -cx one "$ROOT/var/lib/spk/world")" -eq 0
check grep -qx two "$ROOT/var/lib/spk/world"

must_pass spk --root "$ROOT" remove two
check test ! -e "$ROOT/usr/bin"
spk --root "$ROOT" list >"$OUT/list" || fail list
check test ! -s "$OUT/list"
refused "two.*not installed" spk --root "$ROOT" remove two
done_testing
