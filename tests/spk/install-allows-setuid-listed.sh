#!/bin/sh
# A setuid file listed in Allow-Setuid is built, installed with its mode, and verifies clean.
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
make_tree "$TMP/s" su 1.0-r0 "Allow-Setuid=/usr/bin/su, /usr/bin/newgrp"
mkdir -p "$TMP/s/usr/bin" "$TMP/p"
echo su >"$TMP/s/usr/bin/su"
echo newgrp >"$TMP/s/usr/bin/newgrp"
chmod 4755 "$TMP/s/usr/bin/su"
chmod 2755 "$TMP/s/usr/bin/newgrp"
must_pass spk mkpkg "$TMP/s" "$TMP/p"
must_pass spk --root "$ROOT" install "$TMP/p/su-1.0-r0-x86_64.tar.xz"
check test "$(stat -c %a "$ROOT/usr/bin/su")" = 4755
check test "$(stat -c %a "$ROOT/usr/bin/newgrp")" = 2755
must_pass spk --root "$ROOT" verify su

# mkpkg itself refuses a setuid file that is not listed
make_tree "$TMP/s2" notsu 1.0-r0
mkdir -p "$TMP/s2/usr/bin"
echo x >"$TMP/s2/usr/bin/x"
chmod 4755 "$TMP/s2/usr/bin/x"
must_fail spk mkpkg "$TMP/s2" "$TMP/p" 2>"$OUT/err"
check grep -q "^spk: error: .*usr/bin/x.*setuid" "$OUT/err"
check test ! -e "$TMP/p/notsu-1.0-r0-x86_64.tar.xz"
done_testing
