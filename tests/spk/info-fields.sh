#!/bin/sh
# spk info NAME prints the package's fields as 'Key: value' lines; an unknown name fails.
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
make_pkg "$TMP/p" hello 2.4-r1 usr/bin/hello "Description=Says hello" "URL=https://example.org/hello" \
	"License=MIT" "Depends=libc>=1.0" "Provides=greeter=2.4" "Conflicts=goodbye" "Replaces=hi"
make_pkg "$TMP/p" libc 1.1-r0 usr/lib/libc.so
must_pass spk --root "$ROOT" install "$TMP/p/hello-2.4-r1-x86_64.tar.xz" "$TMP/p/libc-1.1-r0-x86_64.tar.xz"
spk --root "$ROOT" info hello >"$OUT/info" || fail "info hello"
check grep -qx 'Name: hello' "$OUT/info"
check grep -qx 'Version: 2.4-r1' "$OUT/info"
check grep -qx 'Arch: x86_64' "$OUT/info"
check grep -qx 'Description: Says hello' "$OUT/info"
check grep -qx 'URL: https://example.org/hello' "$OUT/info"
check grep -qx 'License: MIT' "$OUT/info"
check grep -qx 'Depends: libc *>= *1.0' "$OUT/info"
check grep -qx 'Provides: greeter *= *2.4' "$OUT/info"
check grep -qx 'Conflicts: goodbye' "$OUT/info"
check grep -qx 'Replaces: hi' "$OUT/info"
# every line is "Key: value"
check test "$(grep -cv '^[A-Z][A-Za-z-]*: ' "$OUT/info")" -eq 0
refused "nothere.*not installed" spk --root "$ROOT" info nothere
done_testing
