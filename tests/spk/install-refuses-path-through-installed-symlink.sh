#!/bin/sh
# A package writing below a symlink another installed package put on disk is refused.
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
mkdir "$TMP/outside"
make_tree "$TMP/s" linker 1.0-r0
mkdir -p "$TMP/s/usr"
ln -s "$TMP/outside" "$TMP/s/usr/lib"
mkdir -p "$TMP/p"
spk mkpkg "$TMP/s" "$TMP/p" >/dev/null || fail "mkpkg linker"
must_pass spk --root "$ROOT" install "$TMP/p/linker-1.0-r0-x86_64.tar.xz"
check test -L "$ROOT/usr/lib"
make_pkg "$TMP/p" evil 1.0-r0 usr/lib/evil.so
# as mkpkg makes it, the package also claims the directory usr/lib
refused "evil.*usr/lib" spk --root "$ROOT" install "$TMP/p/evil-1.0-r0-x86_64.tar.xz"
check test ! -e "$TMP/outside/evil.so"

# without its directory entries, only the file usr/lib/evil.so: the path goes through the symlink
python3 "$HOSTILE" edit "$TMP/p/evil-1.0-r0-x86_64.tar.xz" "$TMP/evil-1.0-r0-x86_64.tar.xz" \
	drop usr/lib drop usr
refused "evil.*usr/lib/evil.so.*symlink" spk --root "$ROOT" install "$TMP/evil-1.0-r0-x86_64.tar.xz"
check test ! -e "$TMP/outside/evil.so"
done_testing
