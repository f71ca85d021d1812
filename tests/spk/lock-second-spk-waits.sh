#!/bin/sh
# A second spk on a root whose lock is held waits, says so, then proceeds.
. "${0%/*}/../lib/testlib.sh"
. "$SRC/tests/lib/refused.sh"

# a root with a shell: the host's static busybox as /bin/sh
with_busybox() {
	mkdir -p "$ROOT/bin"
	cp /bin/busybox "$ROOT/bin/busybox" || fail "copy busybox (package busybox-static)"
	ln -sf busybox "$ROOT/bin/sh"
}
# wait_for FILE: up to 5 s
wait_for() {
	i=0
	while [ ! -e "$1" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	test -e "$1"
}
setup_root
make_pkg "$TMP/p" one 1.0-r0 usr/bin/one
must_pass spk --root "$ROOT" install "$TMP/p/one-1.0-r0-x86_64.tar.xz"
make_pkg "$TMP/p" two 1.0-r0 usr/bin/two

# held by flock(1): the holder notes, before it lets go, that it is letting go
flock "$ROOT/var/lib/spk/lock" sh -c "touch '$TMP/held'; sleep 1.5; touch '$TMP/released'" &
holder=$!
on_exit "kill $holder"
check wait_for "$TMP/held"
spk --root "$ROOT" install "$TMP/p/two-1.0-r0-x86_64.tar.xz" >"$OUT/o" 2>"$OUT/err"
check test "$?" -eq 0
check test -e "$TMP/released"
check grep -q '^spk: waiting for the lock .*var/lib/spk/lock' "$OUT/err"
check test -e "$ROOT/usr/bin/two"
wait $holder

# held by another spk, busy in a slow pre-install hook: spk list waits for it to finish
with_busybox
make_tree "$TMP/s" slow 1.0-r0
mkdir -p "$TMP/s/usr/bin"; echo s >"$TMP/s/usr/bin/slow"
printf '#!/bin/sh\necho >/hook-started\n/bin/busybox sleep 1.5\n' >"$TMP/s/.pre-install"
spk mkpkg "$TMP/s" "$TMP/p" >/dev/null || fail mkpkg
"$SPK" --root "$ROOT" install "$TMP/p/slow-1.0-r0-x86_64.tar.xz" >"$OUT/o1" 2>"$OUT/e1" &
first=$!
on_exit "kill $first"
check wait_for "$ROOT/hook-started"
spk --root "$ROOT" list >"$OUT/list" 2>"$OUT/err"
check test "$?" -eq 0
check grep -q '^spk: waiting for the lock' "$OUT/err"
# by the time it got the lock, the install was done
check grep -qx 'slow 1.0-r0' "$OUT/list"
wait $first
check test "$?" -eq 0
done_testing
