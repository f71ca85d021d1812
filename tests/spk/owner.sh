#!/bin/sh
# spk owner PATH answers 'NAME VERSION' for in-root paths; an unowned path exits 1 with an error.
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
make_pkg "$TMP/p" one 1.0-r0 usr/bin/one etc/one.conf
make_pkg "$TMP/p" two 2.0-r5 usr/bin/two
must_pass spk --root "$ROOT" install "$TMP/p/one-1.0-r0-x86_64.tar.xz" "$TMP/p/two-2.0-r5-x86_64.tar.xz"
spk --root "$ROOT" owner /usr/bin/one >"$OUT/o" || fail "owner /usr/bin/one"
check test "$(cat "$OUT/o")" = "one 1.0-r0"
spk --root "$ROOT" owner /usr/bin/two /etc/one.conf >"$OUT/o" || fail "owner two paths"
printf 'two 2.0-r5\none 1.0-r0\n' >"$OUT/want"
check cmp -s "$OUT/o" "$OUT/want"
# unowned: a path that exists but belongs to nobody, and one that does not exist
echo stray >"$ROOT/etc/stray"
refused "/etc/stray.*not owned" spk --root "$ROOT" owner /etc/stray
refused "/usr/bin/nothere.*not owned" spk --root "$ROOT" owner /usr/bin/nothere
# the host path of the file is not the path inside the root
refused "not owned" spk --root "$ROOT" owner "$ROOT/usr/bin/one"
# a mix: the owned path is still answered, the status is 1
spk --root "$ROOT" owner /usr/bin/one /etc/stray >"$OUT/o" 2>"$OUT/err"
check test "$?" -eq 1
check test "$(cat "$OUT/o")" = "one 1.0-r0"
check grep -q '^spk: error: /etc/stray' "$OUT/err"
done_testing
