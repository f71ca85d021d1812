#!/bin/sh
# Only recipes whose inputs changed are rebuilt, and a change reaches the recipes built on it;
# builds run in dependency order (greet runs hello from its sysroot).
. "${0%/*}/../lib/testlib.sh"
. "$SRC/tests/data/deploy/setup.sh"

must_pass smechdeploy build greet
check test -f "$PKGS/hello-1.0-r0-x86_64.tar.xz"
check test -f "$PKGS/greet-1.0-r0-x86_64.tar.xz"
tar -xOJf "$PKGS/greet-1.0-r0-x86_64.tar.xz" usr/share/greet/greeting >"$TMP/greeting"
check test "$(cat "$TMP/greeting")" = "hello from a smechdeploy fixture"

# Nothing changed: nothing is rebuilt, the packages keep their bytes and inode.
ls -i "$PKGS"/*.tar.xz >"$TMP/before"
must_pass smechdeploy build greet 2>"$TMP/err"
check grep -q "hello: up to date" "$SMECH_OUT/logs/hello.log"
check grep -q "greet: up to date" "$SMECH_OUT/logs/greet.log"
ls -i "$PKGS"/*.tar.xz >"$TMP/after"
check cmp -s "$TMP/before" "$TMP/after"

# hello.c changes: hello is rebuilt, and greet too (its makedepends' output changed).
sed -i 's/a smechdeploy fixture/an edited fixture/' "$SMECH_RECIPES/hello/hello.c"
must_fail smechdeploy build greet 2>"$TMP/err"
check grep -q "error: hello: fetch: .*sha256 mismatch" "$TMP/err"
must_pass smechdeploy checksum hello
sed -i 's/a smechdeploy fixture/an edited fixture/' "$SMECH_RECIPES/hello/RECIPE"
must_pass smechdeploy build greet 2>"$TMP/err"
check grep -q "^smechdeploy: hello: built" "$TMP/err"
check grep -q "^smechdeploy: greet: built" "$TMP/err"
tar -xOJf "$PKGS/greet-1.0-r0-x86_64.tar.xz" usr/share/greet/greeting >"$TMP/greeting"
check test "$(cat "$TMP/greeting")" = "hello from an edited fixture"

# A new pkgrel replaces the old package file.
sed -i 's/^pkgrel=0/pkgrel=1/' "$SMECH_RECIPES/greet/RECIPE"
must_pass smechdeploy build greet
check test -f "$PKGS/greet-1.0-r1-x86_64.tar.xz"
check test ! -e "$PKGS/greet-1.0-r0-x86_64.tar.xz"
done_testing
