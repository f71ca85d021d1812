#!/bin/sh
# The six hook scripts run at their moments with their arguments, chrooted into the root: what
# they write lands inside it.
. "${0%/*}/../lib/testlib.sh"
. "$SRC/tests/lib/refused.sh"

# a root with a shell: the host's static busybox as /bin/sh
with_busybox() {
	mkdir -p "$ROOT/bin"
	cp /bin/busybox "$ROOT/bin/busybox" || fail "copy busybox (package busybox-static)"
	ln -sf busybox "$ROOT/bin/sh"
}
TOKEN=${TMP##*/}
setup_root
with_busybox
# hooked_pkg VERSION: every hook appends "HOOK $1 $2" to /hook-ran.TOKEN (a path that must
# never appear on the host) and notes whether the package's file is in place
hooked_pkg() {
	s=$TMP/s.$1
	make_tree "$s" hooked "$1"
	mkdir -p "$s/usr/bin"; echo "hooked $1" >"$s/usr/bin/hooked"
	for h in pre-install post-install pre-upgrade post-upgrade pre-remove post-remove; do
		printf '#!/bin/sh\nif [ -e /usr/bin/hooked ]; then f=present; else f=absent; fi\necho "%s $1 $2 $f" >>/hook-ran.%s\n' "$h" "$TOKEN" >"$s/.$h"
	done
	mkdir -p "$TMP/p"
	spk mkpkg "$s" "$TMP/p" >/dev/null || fail "mkpkg hooked $1"
}
hooked_pkg 1.0-r0
hooked_pkg 2.0-r0
LOG=$ROOT/hook-ran.$TOKEN

must_pass spk --root "$ROOT" install "$TMP/p/hooked-1.0-r0-x86_64.tar.xz"
printf 'pre-install 1.0-r0  absent\npost-install 1.0-r0  present\n' >"$OUT/want"
check cmp -s "$LOG" "$OUT/want"
check test ! -e "/hook-ran.$TOKEN"
# hooks are not files of the package
check test ! -e "$ROOT/.post-install"

: >"$LOG"
must_pass spk --root "$ROOT" install "$TMP/p/hooked-2.0-r0-x86_64.tar.xz"
printf 'pre-upgrade 2.0-r0 1.0-r0 present\npost-upgrade 2.0-r0 1.0-r0 present\n' >"$OUT/want"
check cmp -s "$LOG" "$OUT/want"

: >"$LOG"
must_pass spk --root "$ROOT" remove hooked
printf 'pre-remove 2.0-r0  present\npost-remove 2.0-r0  absent\n' >"$OUT/want"
check cmp -s "$LOG" "$OUT/want"
check test ! -e "/hook-ran.$TOKEN"
check test ! -e "$ROOT/usr/bin/hooked"
done_testing
