#!/bin/sh
# Depends with version constraints: 'libfoo>=2.0' accepts 2.0-r0, spaces around OP are allowed, an
# unmet constraint is refused.
. "${0%/*}/../lib/testlib.sh"
. "$SRC/tests/lib/refused.sh"

setup_root
make_pkg "$TMP/p" libfoo 2.0-r0 usr/lib/libfoo.so.2
make_pkg "$TMP/p" libfoo 1.9-r7 usr/lib/libfoo.so.1
make_pkg "$TMP/p" app 1.0-r0 usr/bin/app "Depends=libfoo>=2.0"
make_pkg "$TMP/p" spaced 1.0-r0 usr/bin/spaced "Depends=libfoo >= 2.0, libfoo < 3"
make_pkg "$TMP/p" exact 1.0-r0 usr/bin/exact "Depends=libfoo = 2.0-r0"
make_pkg "$TMP/p" old 1.0-r0 usr/bin/old "Depends=libfoo<2"
make_pkg "$TMP/p" other 1.0-r0 usr/bin/other
P=$TMP/p
must_pass spk --root "$ROOT" install "$P/other-1.0-r0-x86_64.tar.xz"

# libfoo 1.9-r7 does not satisfy >=2.0, nor does nothing
refused "app.*libfoo *>= *2.0" spk --root "$ROOT" install "$P/app-1.0-r0-x86_64.tar.xz"
must_pass spk --root "$ROOT" install "$P/libfoo-1.9-r7-x86_64.tar.xz"
refused "app.*libfoo *>= *2.0" spk --root "$ROOT" install "$P/app-1.0-r0-x86_64.tar.xz"
refused "exact.*libfoo *= *2.0-r0" spk --root "$ROOT" install "$P/exact-1.0-r0-x86_64.tar.xz"
must_pass spk --root "$ROOT" install "$P/old-1.0-r0-x86_64.tar.xz"

# upgrading libfoo to 2.0-r0 would break old (libfoo<2): refused
refused "libfoo.*old" spk --root "$ROOT" install "$P/libfoo-2.0-r0-x86_64.tar.xz"
must_pass spk --root "$ROOT" remove old

# 2.0-r0 given in the same command satisfies >=2.0 (the -rN is not compared)
must_pass spk --root "$ROOT" install "$P/app-1.0-r0-x86_64.tar.xz" "$P/libfoo-2.0-r0-x86_64.tar.xz"
must_pass spk --root "$ROOT" install "$P/spaced-1.0-r0-x86_64.tar.xz" "$P/exact-1.0-r0-x86_64.tar.xz"
spk --root "$ROOT" list >"$OUT/list" || fail list
printf 'app 1.0-r0\nexact 1.0-r0\nlibfoo 2.0-r0\nother 1.0-r0\nspaced 1.0-r0\n' >"$OUT/want"
check cmp -s "$OUT/list" "$OUT/want"
# and a downgrade that would break them is refused
refused "libfoo.*\(app\|exact\|spaced\)" spk --root "$ROOT" install "$P/libfoo-1.9-r7-x86_64.tar.xz"
done_testing
