#!/bin/sh
# spk files NAME lists the package's files and symlinks as absolute paths inside the root.
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
make_tree "$TMP/s" tool 1.0-r0
mkdir -p "$TMP/s/usr/bin" "$TMP/s/usr/share/tool" "$TMP/p"
echo t >"$TMP/s/usr/bin/tool"
ln -s tool "$TMP/s/usr/bin/tool-alias"
echo d >"$TMP/s/usr/share/tool/data"
spk mkpkg "$TMP/s" "$TMP/p" >/dev/null || fail "mkpkg"
must_pass spk --root "$ROOT" install "$TMP/p/tool-1.0-r0-x86_64.tar.xz"
spk --root "$ROOT" files tool >"$OUT/files" || fail "files tool"
check grep -qx /usr/bin/tool "$OUT/files"
check grep -qx /usr/bin/tool-alias "$OUT/files"
check grep -qx /usr/share/tool/data "$OUT/files"
# absolute, inside the root: never the host path of the root
check test "$(grep -cv '^/' "$OUT/files")" -eq 0
check test "$(grep -c "$ROOT" "$OUT/files")" -eq 0
refused "nothere.*not installed" spk --root "$ROOT" files nothere
done_testing
