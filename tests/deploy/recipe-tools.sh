#!/bin/sh
# smechdeploy new writes a recipe skeleton; checksum fills sha256sums with the sources' hashes;
# the driver's other commands refuse bad usage with exit 2.
. "${0%/*}/../lib/testlib.sh"
. "$SRC/tests/data/deploy/setup.sh"

must_pass smechdeploy new tool
R="$SMECH_RECIPES/tool/RECIPE"
check test -f "$R"
check grep -q '^pkgname=tool$' "$R"
check grep -q '^package() {$' "$R"
must_fail smechdeploy new tool
must_fail smechdeploy new 'Bad!Name'

# Give it a source and a build, then let checksum fill the hashes.
cp "$SMECH_RECIPES/hello/hello.c" "$SMECH_RECIPES/tool/tool.c"
sed -i -e 's/^source=""/source="tool.c"/' -e 's/^makedepends="musl"/makedepends=""/' \
	-e 's|cd "\$builddir"|cd "$srcdir"|' -e 's|^\t\./configure.*|\tgcc -o tool tool.c|' -e 's|^\tmake$|\t:|' \
	-e 's|^\tmake check$|\t./tool|' \
	-e 's|^\tmake DESTDIR="\$pkgdir" install$|\tinstall -Dm755 tool "$pkgdir/usr/bin/tool"|' "$R"
must_fail smechdeploy build tool 2>"$TMP/err"
check grep -q "tool: parse: 1 sources need sha256 lines" "$TMP/err"
must_pass smechdeploy checksum tool
want=$(sha256sum <"$SMECH_RECIPES/tool/tool.c" | cut -d' ' -f1)
check grep -qx "$want  tool.c" "$R"
must_pass smechdeploy build tool
check test -f "$PKGS/tool-1.0-r0-x86_64.tar.xz"
# The verified source sits in the cache under its hash.
check cmp -s "$SMECH_CACHE/sources/$want" "$SMECH_RECIPES/tool/tool.c"

must_fail smechdeploy frobnicate
must_fail smechdeploy build
must_fail smechdeploy checksum
done_testing
