#!/bin/sh
# Replaces lets a package take over a file of an installed one, which keeps its other files.
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
make_pkg "$TMP/p" old 1.0-r0 usr/bin/shared usr/bin/old-only
make_tree "$TMP/s" new 1.0-r0 "Replaces=old"
mkdir -p "$TMP/s/usr/bin"; echo "new's shared" >"$TMP/s/usr/bin/shared"; echo n >"$TMP/s/usr/bin/new-only"
spk mkpkg "$TMP/s" "$TMP/p" >/dev/null || fail mkpkg
must_pass spk --root "$ROOT" install "$TMP/p/old-1.0-r0-x86_64.tar.xz"
must_pass spk --root "$ROOT" install "$TMP/p/new-1.0-r0-x86_64.tar.xz"
check test "$(cat "$ROOT/usr/bin/shared")" = "new's shared"
spk --root "$ROOT" owner /usr/bin/shared >"$OUT/o" || fail owner
check test "$(cat "$OUT/o")" = "new 1.0-r0"
spk --root "$ROOT" list >"$OUT/list" || fail list
printf 'new 1.0-r0\nold 1.0-r0\n' >"$OUT/want"
check cmp -s "$OUT/list" "$OUT/want"
spk --root "$ROOT" files old >"$OUT/f" || fail files
check test "$(grep -c '^/usr/bin/shared$' "$OUT/f")" -eq 0
check grep -qx /usr/bin/old-only "$OUT/f"
must_pass spk --root "$ROOT" verify
# removing old leaves the taken-over file alone
must_pass spk --root "$ROOT" remove old
check test "$(cat "$ROOT/usr/bin/shared")" = "new's shared"
check test ! -e "$ROOT/usr/bin/old-only"
must_pass spk --root "$ROOT" verify
done_testing
