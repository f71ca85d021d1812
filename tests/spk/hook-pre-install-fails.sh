#!/bin/sh
# A failing .pre-install aborts the whole transaction: exit 1, one error naming the package and
# hook, nothing changed.
. "${0%/*}/../lib/testlib.sh"
HOSTILE="$SRC/tests/lib/hostile.py"
OUT=$TMP/out
mkdir -p "$OUT"

# refused PATTERN CMD...: CMD exits 1 with exactly one line "spk: error: ...PATTERN" on stderr;
# nothing under $TMP (the root and beside it) changed; no staging file, no journal; same list.
refused() {
	_pat=$1; shift
	spk --root "$ROOT" list >"$OUT/list.before" || fail "list before"
	python3 "$HOSTILE" tree "$TMP" out must_fail.err root/bin/busybox >"$OUT/before"
	must_fail "$@" 2>"$OUT/err"
	check test "$rc" -eq 1
	if [ "$(wc -l <"$OUT/err")" -eq 1 ] && grep -q "^spk: error: .*$_pat" "$OUT/err"; then
		pass "one error line matching '$_pat'"
	else
		fail "one error line matching '$_pat': got: $(cat "$OUT/err")"
	fi
	python3 "$HOSTILE" tree "$TMP" out must_fail.err root/bin/busybox >"$OUT/after"
	if cmp -s "$OUT/before" "$OUT/after"; then pass "nothing changed on disk"
	else fail "nothing changed on disk: $(diff "$OUT/before" "$OUT/after" | tr '\n' ' ')"; fi
	find "$ROOT" \( -name '.spk-new.*' -o -name '.spk-old.*' \) >"$OUT/staged"
	check test ! -s "$OUT/staged"
	check test ! -e "$ROOT/var/lib/spk/journal"
	spk --root "$ROOT" list >"$OUT/list.after" || fail "list after"
	check cmp -s "$OUT/list.before" "$OUT/list.after"
}

# a root with a shell: the host's static busybox as /bin/sh
with_busybox() {
	mkdir -p "$ROOT/bin"
	cp /bin/busybox "$ROOT/bin/busybox" || fail "copy busybox (package busybox-static)"
	ln -sf busybox "$ROOT/bin/sh"
}
TOKEN=${TMP##*/}
setup_root
with_busybox
make_pkg "$TMP/p" base 1.0-r0 usr/bin/base
must_pass spk --root "$ROOT" install "$TMP/p/base-1.0-r0-x86_64.tar.xz"
make_tree "$TMP/s" failing 1.0-r0
mkdir -p "$TMP/s/usr/bin"; echo f >"$TMP/s/usr/bin/failing"
printf '#!/bin/sh\necho "no, thanks" >&2\nexit 3\n' >"$TMP/s/.pre-install"
printf '#!/bin/sh\necho ran >/post-ran\n' >"$TMP/s/.post-install"
spk mkpkg "$TMP/s" "$TMP/p" >/dev/null || fail mkpkg
make_pkg "$TMP/p" bystander 1.0-r0 usr/bin/bystander

# the hook's own stderr passes through; spk's error is one line
spk --root "$ROOT" list >"$OUT/list.before" || fail list
python3 "$HOSTILE" tree "$TMP" out must_fail.err root/bin/busybox >"$OUT/before"
spk --root "$ROOT" install "$TMP/p/bystander-1.0-r0-x86_64.tar.xz" "$TMP/p/failing-1.0-r0-x86_64.tar.xz" >"$OUT/o" 2>"$OUT/err"
check test "$?" -eq 1
grep '^spk: ' "$OUT/err" >"$OUT/spkerr"
check test "$(wc -l <"$OUT/spkerr")" -eq 1
check grep -q '^spk: error: failing: .pre-install: .*3' "$OUT/spkerr"
python3 "$HOSTILE" tree "$TMP" out must_fail.err root/bin/busybox >"$OUT/after"
check cmp -s "$OUT/before" "$OUT/after"
check test ! -e "$ROOT/usr/bin/bystander"
check test ! -e "$ROOT/post-ran"
check test ! -e "$ROOT/var/lib/spk/journal"
spk --root "$ROOT" list >"$OUT/list.after" || fail list
check cmp -s "$OUT/list.before" "$OUT/list.after"
done_testing
