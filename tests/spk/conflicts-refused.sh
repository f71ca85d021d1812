#!/bin/sh
# A package that Conflicts with an installed one (either way) is refused and nothing changes.
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
make_pkg "$TMP/p" vim 9.0-r0 usr/bin/vim
make_pkg "$TMP/p" nvi 1.8-r0 usr/bin/nvi "Conflicts=vim"
make_pkg "$TMP/p" elvis 2.2-r0 usr/bin/elvis
make_pkg "$TMP/p" vile 9.8-r0 usr/bin/vile "Conflicts=elvis<2"
P=$TMP/p
must_pass spk --root "$ROOT" install "$P/vim-9.0-r0-x86_64.tar.xz"
refused "nvi.*vim" spk --root "$ROOT" install "$P/nvi-1.8-r0-x86_64.tar.xz"
check test ! -e "$ROOT/usr/bin/nvi"
# the other way round: the installed package declares the conflict
must_pass spk --root "$ROOT" remove vim
must_pass spk --root "$ROOT" install "$P/nvi-1.8-r0-x86_64.tar.xz"
refused "vim.*nvi\|nvi.*vim" spk --root "$ROOT" install "$P/vim-9.0-r0-x86_64.tar.xz"
check test ! -e "$ROOT/usr/bin/vim"
# both given in one command
must_pass spk --root "$ROOT" remove nvi
refused "nvi.*vim\|vim.*nvi" spk --root "$ROOT" install "$P/vim-9.0-r0-x86_64.tar.xz" "$P/nvi-1.8-r0-x86_64.tar.xz"
# a versioned conflict that does not match is no conflict
must_pass spk --root "$ROOT" install "$P/elvis-2.2-r0-x86_64.tar.xz" "$P/vile-9.8-r0-x86_64.tar.xz"
done_testing
