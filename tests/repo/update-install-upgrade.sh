#!/bin/sh
# The client path end to end against a real nginx with GitHub's latest redirect: update, install
# by name with dependencies, search, list --available/--upgradable, a new snapshot, upgrade.
. "${0%/*}/../lib/testlib.sh"
. "$SRC/tests/lib/nginx.sh"
. "$SRC/tests/lib/repo.sh"
repo_init
repo_pkg libgreet 1.0-r0 "Description=greeting library"
repo_pkg hello 1.0-r0 "Depends=libgreet>=1.0" "Description=says hello"
repo_pkg other 1.0-r0
repo_publish s1 1 -- "$PKGS/libgreet-1.0-r0-x86_64.tar.xz" "$PKGS/hello-1.0-r0-x86_64.tar.xz" \
	"$PKGS/other-1.0-r0-x86_64.tar.xz"

must_fail spk --root "$ROOT" install hello
check grep -q "run spk update" "$TMP/must_fail.err"
must_pass spk --root "$ROOT" update
must_pass spk --root "$ROOT" install hello
spk --root "$ROOT" list >"$TMP/list"
printf 'hello 1.0-r0\nlibgreet 1.0-r0\n' >"$TMP/want"
check cmp "$TMP/list" "$TMP/want"
check test -f "$ROOT/usr/share/hello/1.0-r0"
printf 'hello\n' >"$TMP/want"
check cmp "$ROOT/var/lib/spk/world" "$TMP/want"
check sh -c "ls '$ROOT/var/cache/spk/' | grep -q 'hello-1.0-r0-x86_64.tar.xz'"
# the token must not leak anywhere; none was set: no Authorization header at all
check sh -c "! grep -q 'auth=\"Bearer' '$NGINX_STATE/access.log'"

spk --root "$ROOT" search greet >"$TMP/search" || fail "search"
check grep -q "^libgreet 1.0-r0 - greeting library" "$TMP/search"
spk --root "$ROOT" search SAYS >"$TMP/search2" || fail "search, any case"
check grep -q "^hello 1.0-r0 - says hello" "$TMP/search2"
must_fail spk --root "$ROOT" search nosuchthing
spk --root "$ROOT" list --available >"$TMP/avail" || fail "list --available"
printf 'hello 1.0-r0\nlibgreet 1.0-r0\nother 1.0-r0\n' >"$TMP/want"
check cmp "$TMP/avail" "$TMP/want"

# A new snapshot: libgreet 2.0 (unchanged hello keeps its old Asset-Tag via --previous).
repo_pkg libgreet 2.0-r0
repo_publish s2 2 --previous "$TMP/snap-s1/SPKINDEX.xz" -- \
	"$PKGS/libgreet-2.0-r0-x86_64.tar.xz" "$PKGS/hello-1.0-r0-x86_64.tar.xz" \
	"$PKGS/other-1.0-r0-x86_64.tar.xz"
must_pass spk --root "$ROOT" update
spk --root "$ROOT" list --upgradable >"$TMP/upg" || fail "list --upgradable"
check grep -q "^libgreet 2.0-r0 (upgradable from 1.0-r0)" "$TMP/upg"
check test "$(wc -l <"$TMP/upg")" -eq 1
must_pass spk --root "$ROOT" --dry-run upgrade
spk --root "$ROOT" list >"$TMP/list"
check grep -q "^libgreet 1.0-r0" "$TMP/list"
must_pass spk --root "$ROOT" upgrade
spk --root "$ROOT" list >"$TMP/list"
printf 'hello 1.0-r0\nlibgreet 2.0-r0\n' >"$TMP/want"
check cmp "$TMP/list" "$TMP/want"
check test ! -e "$ROOT/usr/share/libgreet/1.0-r0"
check test -f "$ROOT/usr/share/libgreet/2.0-r0"
must_pass spk --root "$ROOT" verify
# the world did not gain libgreet, a dependency
printf 'hello\n' >"$TMP/want"
check cmp "$ROOT/var/lib/spk/world" "$TMP/want"
must_fail spk --root "$ROOT" install nosuchpackage
done_testing
