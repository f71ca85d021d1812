#!/bin/sh
# verify-reproducible builds a recipe a second time from scratch and compares the package bytes:
# it passes for a reproducible recipe and names the difference for one that is not.
. "${0%/*}/../lib/testlib.sh"
. "$SRC/tests/data/deploy/setup.sh"

must_pass smechdeploy verify-reproducible hello
must_pass smechdeploy verify-reproducible greet
must_fail smechdeploy verify-reproducible unrepro 2>"$TMP/err"
has_line "$TMP/err" "^smechdeploy: error: unrepro: verify-reproducible: unrepro-1.0-r0-noarch.tar.xz differs"
has_line "$TMP/err" "usr/share/unrepro/stamp"
# The second build's scratch output is gone; the first package stays in out/.
ls -A "$SMECH_OUT/tmp" >"$TMP/left"
check test ! -s "$TMP/left"
check test -f "$PKGS/unrepro-1.0-r0-noarch.tar.xz"
done_testing
