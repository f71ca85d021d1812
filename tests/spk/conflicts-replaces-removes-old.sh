#!/bin/sh
# A package that Conflicts with and Replaces an installed one removes it in the same transaction
# (a rename).
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
make_pkg "$TMP/p" oldname 1.0-r0 usr/bin/tool usr/share/oldname/doc
make_tree "$TMP/s" newname 2.0-r0 "Conflicts=oldname" "Replaces=oldname" "Provides=oldname=2.0"
mkdir -p "$TMP/s/usr/bin"; echo new >"$TMP/s/usr/bin/tool"
spk mkpkg "$TMP/s" "$TMP/p" >/dev/null || fail mkpkg
make_pkg "$TMP/p" user 1.0-r0 usr/bin/user "Depends=oldname"
must_pass spk --root "$ROOT" install "$TMP/p/oldname-1.0-r0-x86_64.tar.xz" "$TMP/p/user-1.0-r0-x86_64.tar.xz"
must_pass spk --root "$ROOT" install "$TMP/p/newname-2.0-r0-x86_64.tar.xz"
spk --root "$ROOT" list >"$OUT/list" || fail list
printf 'newname 2.0-r0\nuser 1.0-r0\n' >"$OUT/want"
check cmp -s "$OUT/list" "$OUT/want"
check test "$(cat "$ROOT/usr/bin/tool")" = new
check test ! -e "$ROOT/usr/share/oldname"
spk --root "$ROOT" owner /usr/bin/tool >"$OUT/o" || fail owner
check test "$(cat "$OUT/o")" = "newname 2.0-r0"
must_pass spk --root "$ROOT" verify
check test "$(grep -cx oldname "$ROOT/var/lib/spk/world")" -eq 0
done_testing
