#!/bin/sh
# Depends with version constraints: 'libfoo>=2.0' accepts 2.0-r0, spaces around OP are allowed, an
# unmet constraint is refused.
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
make_pkg "$TMP/p" libfoo 2.0-r0 usr/lib/libfoo.so.2
make_pkg "$TMP/p" libfoo 1.9-r7 usr/lib/libfoo.so.1
make_pkg "$TMP/p" app 1.0-r0 usr/bin/app "Depends=libfoo>=2.0"
make_pkg "$TMP/p" spaced 1.0-r0 usr/bin/spaced "Depends=libfoo >= 2.0, libfoo < 3"
make_pkg "$TMP/p" exact 1.0-r0 usr/bin/exact "Depends=libfoo = 2.0-r0"
make_pkg "$TMP/p" old 1.0-r0 usr/bin/old "Depends=libfoo<2"
make_pkg "$TMP/p" other 1.0-r0 usr/bin/other
P=$TMP/p
must_pass spk --root "$ROOT" install "$P/other-1.0-r0-x86_64.tar.xz"

# libfoo 1.9-r7 does not satisfy >=2.0, nor does nothing
refused "app.*libfoo *>= *2.0" spk --root "$ROOT" install "$P/app-1.0-r0-x86_64.tar.xz"
must_pass spk --root "$ROOT" install "$P/libfoo-1.9-r7-x86_64.tar.xz"
refused "app.*libfoo *>= *2.0" spk --root "$ROOT" install "$P/app-1.0-r0-x86_64.tar.xz"
refused "exact.*libfoo *= *2.0-r0" spk --root "$ROOT" install "$P/exact-1.0-r0-x86_64.tar.xz"
must_pass spk --root "$ROOT" install "$P/old-1.0-r0-x86_64.tar.xz"

# upgrading libfoo to 2.0-r0 would break old (libfoo<2): refused
refused "libfoo.*old" spk --root "$ROOT" install "$P/libfoo-2.0-r0-x86_64.tar.xz"
must_pass spk --root "$ROOT" remove old

# 2.0-r0 given in the same command satisfies >=2.0 (the -rN is not compared)
must_pass spk --root "$ROOT" install "$P/app-1.0-r0-x86_64.tar.xz" "$P/libfoo-2.0-r0-x86_64.tar.xz"
must_pass spk --root "$ROOT" install "$P/spaced-1.0-r0-x86_64.tar.xz" "$P/exact-1.0-r0-x86_64.tar.xz"
spk --root "$ROOT" list >"$OUT/list" || fail list
printf 'app 1.0-r0\nexact 1.0-r0\nlibfoo 2.0-r0\nother 1.0-r0\nspaced 1.0-r0\n' >"$OUT/want"
check cmp -s "$OUT/list" "$OUT/want"
# and a downgrade that would break them is refused
refused "libfoo.*\(app\|exact\|spaced\)" spk --root "$ROOT" install "$P/libfoo-1.9-r7-x86_64.tar.xz"
done_testing
