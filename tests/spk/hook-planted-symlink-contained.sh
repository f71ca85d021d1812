#!/bin/sh
# A .pre-install hook turns a directory the package creates into a symlink out of the root:
# spk follows it nowhere (no chmod, no write outside), rolls back, and the root stays usable.
. "${0%/*}/../lib/testlib.sh"
OUT=$TMP/out
mkdir -p "$OUT"

setup_root
mkdir -p "$ROOT/bin"
cp /bin/busybox "$ROOT/bin/busybox" || fail "copy busybox (package busybox-static)"
ln -s busybox "$ROOT/bin/sh"
make_pkg "$TMP/p" base 1.0-r0 usr/bin/base
must_pass spk --root "$ROOT" install "$TMP/p/base-1.0-r0-x86_64.tar.xz"
mkdir "$TMP/outside"
chmod 0700 "$TMP/outside"
make_tree "$TMP/s" evil 1.0-r0
mkdir -p "$TMP/s/usr/lib"
echo x >"$TMP/s/usr/lib/evil.so"
chmod 0755 "$TMP/s/usr/lib"
# the root's own busybox makes the symlink, after spk planned (and found usr/lib absent)
printf '#!/bin/sh\n/bin/busybox ln -s %s /usr/lib\n' "$TMP/outside" >"$TMP/s/.pre-install"
spk mkpkg "$TMP/s" "$TMP/p" >/dev/null || fail mkpkg
spk --root "$ROOT" list >"$OUT/list.before" || fail list

spk --root "$ROOT" install "$TMP/p/evil-1.0-r0-x86_64.tar.xz" >"$OUT/o" 2>"$OUT/err"
check test "$?" -eq 1
check test "$(wc -l <"$OUT/err")" -eq 1
check grep -q '^spk: error: .*usr/lib.*symlink' "$OUT/err"
# nothing happened outside the root: not even a chmod through the link
check test "$(stat -c %a "$TMP/outside")" = 700
check test -z "$(ls -A "$TMP/outside")"
check test ! -e "$ROOT/var/lib/spk/journal"
# and the root is not wedged: the next commands work
spk --root "$ROOT" list >"$OUT/list.after" 2>"$OUT/err"
check test "$?" -eq 0
check cmp -s "$OUT/list.before" "$OUT/list.after"
must_pass spk --root "$ROOT" install "$TMP/p/base-1.0-r0-x86_64.tar.xz"
done_testing
