#!/bin/sh
# A package that Conflicts with an installed one (either way) is refused and nothing changes.
. "${0%/*}/../lib/testlib.sh"
. "$SRC/tests/lib/refused.sh"

setup_root
make_pkg "$TMP/p" vim 9.0-r0 usr/bin/vim
make_pkg "$TMP/p" nvi 1.8-r0 usr/bin/nvi "Conflicts=vim"
make_pkg "$TMP/p" elvis 2.2-r0 usr/bin/elvis
make_pkg "$TMP/p" vile 9.8-r0 usr/bin/vile "Conflicts=elvis<2"
P=$TMP/p
must_pass spk --root "$ROOT" install "$P/vim-9.0-r0-x86_64.tar.xz"
refused "nvi.*vim" spk --root "$ROOT" install "$P/nvi-1.8-r0-x86_64.tar.xz"
check test ! -e "$ROOT/usr/bin/nvi"
# the other way round: the installed package declares the conflict
must_pass spk --root "$ROOT" remove vim
must_pass spk --root "$ROOT" install "$P/nvi-1.8-r0-x86_64.tar.xz"
refused "vim.*nvi\|nvi.*vim" spk --root "$ROOT" install "$P/vim-9.0-r0-x86_64.tar.xz"
check test ! -e "$ROOT/usr/bin/vim"
# both given in one command
must_pass spk --root "$ROOT" remove nvi
refused "nvi.*vim\|vim.*nvi" spk --root "$ROOT" install "$P/vim-9.0-r0-x86_64.tar.xz" "$P/nvi-1.8-r0-x86_64.tar.xz"
# a versioned conflict that does not match is no conflict
must_pass spk --root "$ROOT" install "$P/elvis-2.2-r0-x86_64.tar.xz" "$P/vile-9.8-r0-x86_64.tar.xz"
done_testing
