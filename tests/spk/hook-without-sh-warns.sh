#!/bin/sh
# With no /bin/sh in the root, a hook is not run: spk warns, naming the package and hook, and
# installs.
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
make_tree "$TMP/s" hooked 1.0-r0
mkdir -p "$TMP/s/usr/bin" "$TMP/p"; echo h >"$TMP/s/usr/bin/hooked"
printf '#!/bin/sh\necho ran >/hook-ran\n' >"$TMP/s/.post-install"
printf '#!/bin/sh\necho ran >/hook-ran\n' >"$TMP/s/.pre-install"
spk mkpkg "$TMP/s" "$TMP/p" >/dev/null || fail mkpkg
spk --root "$ROOT" install "$TMP/p/hooked-1.0-r0-x86_64.tar.xz" >"$OUT/o" 2>"$OUT/err"
check test "$?" -eq 0
check grep -q '^spk: warning: hooked: .pre-install: .*/bin/sh' "$OUT/err"
check grep -q '^spk: warning: hooked: .post-install: .*/bin/sh' "$OUT/err"
check test "$(grep -vc '^spk: warning: ' "$OUT/err")" -eq 0
check test -e "$ROOT/usr/bin/hooked"
check test ! -e "$ROOT/hook-ran"
spk --root "$ROOT" list >"$OUT/list" || fail list
check test "$(cat "$OUT/list")" = "hooked 1.0-r0"
done_testing
