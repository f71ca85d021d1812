#!/bin/sh
# Bad recipes (syntax error, missing source, wrong checksum, failing check(), a dependency cycle,
# a package() writing outside $pkgdir) each fail with one line naming the recipe and the step;
# independent recipes still build, dependents are skipped, and out/ holds no partial package.
. "${0%/*}/../lib/testlib.sh"
. "$SRC/tests/data/deploy/setup.sh"

must_fail smechdeploy build hello bad-syntax missing-source bad-checksum check-fails \
	cycle-a cycle-b escape needs-broken 2>"$TMP/err"
E='^smechdeploy: error:'
has_line "$TMP/err" "$E bad-syntax: parse: .*bad-syntax/RECIPE: line 19: Syntax error"
has_line "$TMP/err" "$E missing-source: fetch: nothere.c: missing source"
has_line "$TMP/err" "$E bad-checksum: fetch: .*hello.c: sha256 mismatch"
has_line "$TMP/err" "$E check-fails: check: failed \(exit 1\)"
has_line "$TMP/err" "$E cycle-a: graph: dependency cycle cycle-a -> cycle-b -> cycle-a$"
has_line "$TMP/err" "$E cycle-b: graph: dependency cycle cycle-b -> cycle-a -> cycle-b$"
has_line "$TMP/err" "$E escape: package: wrote outside \\\$pkgdir: .*/build/pkg/\.\./usr.*Read-only"
has_line "$TMP/err" "$E needs-broken: graph: skipped, dependency check-fails failed"
check test "$(grep -c "$E" "$TMP/err")" -eq 8

# The independent recipe finished; nothing else (and no temp file) reached out/.
check test -f "$PKGS/hello-1.0-r0-x86_64.tar.xz"
ls -A "$PKGS" | grep -v "^SPK" >"$TMP/pkgs"
check test "$(cat "$TMP/pkgs")" = "hello-1.0-r0-x86_64.tar.xz"
ls -A "$SMECH_OUT/tmp" >"$TMP/tmpfiles"
check test ! -s "$TMP/tmpfiles"
check test ! -e "$SMECH_OUT/state/check-fails.json"
# The log of the failed check says why.
check grep -q "expected failure: the test suite says no" "$SMECH_OUT/logs/check-fails.log"

# A failed rebuild leaves the previous package whole: hello's check now fails.
sum1=$(sha256sum "$PKGS/hello-1.0-r0-x86_64.tar.xz")
sed -i 's/^\tgcc -O2 -o hello hello.c$/\tgcc -O2 -DBROKEN -o hello hello.c; echo broken >hello.txt/' \
	"$SMECH_RECIPES/hello/RECIPE"
sed -i 's/^\t\[ "\$(.\/hello)" = .*/\ttest ! -e hello.txt/' "$SMECH_RECIPES/hello/RECIPE"
must_fail smechdeploy build hello 2>"$TMP/err2"
has_line "$TMP/err2" "$E hello: check: failed"
check test "$(sha256sum "$PKGS/hello-1.0-r0-x86_64.tar.xz")" = "$sum1"
done_testing
