#!/bin/sh
# A package with a '../' member is refused, named, and changes nothing, in or beside the root:
# whether or not its own file record lists the member.
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
make_pkg "$TMP/p" base 1.0-r0 usr/bin/base
must_pass spk --root "$ROOT" install "$TMP/p/base-1.0-r0-x86_64.tar.xz"
make_pkg "$TMP/p" evil 1.0-r0 usr/bin/evil

# the member only: not in the record
python3 "$HOSTILE" edit "$TMP/p/evil-1.0-r0-x86_64.tar.xz" "$TMP/evil-1.0-r0-x86_64.tar.xz" \
	file ../escape pwned unlisted ../escape
refused "evil.*\.\./escape" spk --root "$ROOT" install "$TMP/evil-1.0-r0-x86_64.tar.xz"
check test ! -e "$TMP/escape"

# the member and its record line
python3 "$HOSTILE" edit "$TMP/p/evil-1.0-r0-x86_64.tar.xz" "$TMP/evil-1.0-r0-x86_64.tar.xz" \
	file usr/../../escape pwned
refused "evil.*\.\./\.\./escape" spk --root "$ROOT" install "$TMP/evil-1.0-r0-x86_64.tar.xz"
check test ! -e "$TMP/escape"
done_testing
