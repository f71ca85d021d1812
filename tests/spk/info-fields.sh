#!/bin/sh
# spk info NAME prints the package's fields as 'Key: value' lines; an unknown name fails.
. "${0%/*}/../lib/testlib.sh"
. "$SRC/tests/lib/refused.sh"

setup_root
make_pkg "$TMP/p" hello 2.4-r1 usr/bin/hello "Description=Says hello" "URL=https://example.org/hello" \
	"License=MIT" "Depends=libc>=1.0" "Provides=greeter=2.4" "Conflicts=goodbye" "Replaces=hi"
make_pkg "$TMP/p" libc 1.1-r0 usr/lib/libc.so
must_pass spk --root "$ROOT" install "$TMP/p/hello-2.4-r1-x86_64.tar.xz" "$TMP/p/libc-1.1-r0-x86_64.tar.xz"
spk --root "$ROOT" info hello >"$OUT/info" || fail "info hello"
check grep -qx 'Name: hello' "$OUT/info"
check grep -qx 'Version: 2.4-r1' "$OUT/info"
check grep -qx 'Arch: x86_64' "$OUT/info"
check grep -qx 'Description: Says hello' "$OUT/info"
check grep -qx 'URL: https://example.org/hello' "$OUT/info"
check grep -qx 'License: MIT' "$OUT/info"
check grep -qx 'Depends: libc *>= *1.0' "$OUT/info"
check grep -qx 'Provides: greeter *= *2.4' "$OUT/info"
check grep -qx 'Conflicts: goodbye' "$OUT/info"
check grep -qx 'Replaces: hi' "$OUT/info"
# every line is "Key: value"
check test "$(grep -cv '^[A-Z][A-Za-z-]*: ' "$OUT/info")" -eq 0
refused "nothere.*not installed" spk --root "$ROOT" info nothere
done_testing
