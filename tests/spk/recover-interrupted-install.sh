#!/bin/sh
# An install killed (-9) after its journal is written is rolled back by the next spk command,
# whatever it is.
. "${0%/*}/../lib/testlib.sh"
. "$SRC/tests/lib/refused.sh"

# a root with a shell: the host's static busybox as /bin/sh
with_busybox() {
	mkdir -p "$ROOT/bin"
	cp /bin/busybox "$ROOT/bin/busybox" || fail "copy busybox (package busybox-static)"
	ln -sf busybox "$ROOT/bin/sh"
}
wait_for() {
	i=0
	while [ ! -e "$1" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	test -e "$1"
}
# run_and_kill PKG...: starts spk install, waits for the slow pre-hook, kill -9 spk and the hook
run_and_kill() {
	rm -f "$ROOT/hook-pid"
	# "$SPK" itself, not the spk function: $! must be the pid of spk, not of a subshell
	"$SPK" --root "$ROOT" install "$@" >"$OUT/o" 2>"$OUT/e" &
	victim=$!
	if wait_for "$ROOT/hook-pid"; then
		pass "the slow hook started"
	else
		fail "the slow hook started: $(cat "$OUT/e")"
	fi
	kill -9 $victim
	wait $victim 2>/dev/null
	kill -9 "$(cat "$ROOT/hook-pid")" 2>/dev/null
}
setup_root
with_busybox
make_pkg "$TMP/p" base 1.0-r0 usr/bin/base usr/share/base/data
make_pkg "$TMP/p" plain 1.0-r0 usr/bin/plain usr/share/plain/data
must_pass spk --root "$ROOT" install "$TMP/p/base-1.0-r0-x86_64.tar.xz"
# hook_pkg NAME VERSION HOOK: a package whose HOOK notes its pid and sleeps
hook_pkg() {
	s=$TMP/s.$1.$2
	make_tree "$s" "$1" "$2"
	mkdir -p "$s/usr/bin" "$s/usr/share/$1"
	echo "$1 $2" >"$s/usr/bin/$1"
	echo "$1 $2 data" >"$s/usr/share/$1/new-data"
	printf '#!/bin/sh\necho $$ >/hook-pid\nexec /bin/busybox sleep 10\n' >"$s/.$3"
	spk mkpkg "$s" "$TMP/p" >/dev/null || fail "mkpkg $1"
}
hook_pkg slow 1.0-r0 pre-install
hook_pkg base 2.0-r0 pre-upgrade

cp "$ROOT/var/lib/spk/installed" "$OUT/db.before"
spk --root "$ROOT" list >"$OUT/list.before" || fail list
python3 "$HOSTILE" tree "$ROOT" hook-pid var bin/busybox >"$OUT/before"

# a new package (with another, hookless one in the same transaction)
run_and_kill "$TMP/p/plain-1.0-r0-x86_64.tar.xz" "$TMP/p/slow-1.0-r0-x86_64.tar.xz"
check test -e "$ROOT/var/lib/spk/journal"
spk --root "$ROOT" list >"$OUT/list.after" 2>"$OUT/err"
check test "$?" -eq 0
check cmp -s "$OUT/list.before" "$OUT/list.after"
check test ! -e "$ROOT/var/lib/spk/journal"
check cmp -s "$OUT/db.before" "$ROOT/var/lib/spk/installed"
python3 "$HOSTILE" tree "$ROOT" hook-pid var bin/busybox >"$OUT/after"
check cmp -s "$OUT/before" "$OUT/after"
check test ! -e "$ROOT/usr/bin/slow"
check test ! -e "$ROOT/usr/bin/plain"

# an upgrade, recovered by a query command (owner)
run_and_kill "$TMP/p/base-2.0-r0-x86_64.tar.xz"
check test -e "$ROOT/var/lib/spk/journal"
spk --root "$ROOT" owner /usr/bin/base >"$OUT/o" 2>"$OUT/err"
check test "$?" -eq 0
check test "$(cat "$OUT/o")" = "base 1.0-r0"
check test ! -e "$ROOT/var/lib/spk/journal"
check cmp -s "$OUT/db.before" "$ROOT/var/lib/spk/installed"
python3 "$HOSTILE" tree "$ROOT" hook-pid var bin/busybox >"$OUT/after"
check cmp -s "$OUT/before" "$OUT/after"
find "$ROOT" \( -name '.spk-new.*' -o -name '.spk-old.*' \) >"$OUT/staged"
check test ! -s "$OUT/staged"
must_pass spk --root "$ROOT" verify
# and the next install goes through
must_pass spk --root "$ROOT" install "$TMP/p/plain-1.0-r0-x86_64.tar.xz"
done_testing
