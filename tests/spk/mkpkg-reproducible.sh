#!/bin/sh
# spk mkpkg gives the same bytes for the same tree, whatever the mtimes and the order files were
# made in; hard links and symlinks survive.
. "${0%/*}/../lib/testlib.sh"
. "$SRC/tests/lib/refused.sh"

# build_tree DIR ORDER: the same tree, files created in ORDER (fwd or rev)
build_tree() {
	d=$1
	make_tree "$d" repro 1.0-r0 "Description=reproducible" "Build-Date=1700000000"
	mkdir -p "$d/usr/bin" "$d/usr/share/repro"
	if [ "$2" = fwd ]; then
		for f in a b c d e f g; do echo "file $f" >"$d/usr/share/repro/$f"; done
	else
		for f in g f e d c b a; do echo "file $f" >"$d/usr/share/repro/$f"; done
	fi
	echo tool >"$d/usr/bin/tool"
	chmod 755 "$d/usr/bin/tool"
	ln "$d/usr/bin/tool" "$d/usr/bin/tool-hard"
	ln -s tool "$d/usr/bin/tool-sym"
	ln -s /usr/share/repro/a "$d/usr/bin/abs-sym"
}
build_tree "$TMP/t1" fwd
build_tree "$TMP/t2" rev
# different mtimes everywhere
find "$TMP/t1" -exec touch -h -d '2001-01-01 00:00:00' {} +
find "$TMP/t2" -exec touch -h -d '2024-06-01 12:34:56' {} +
touch -d '1999-12-31' "$TMP/t2/usr/share/repro/c"
mkdir -p "$TMP/o1" "$TMP/o2" "$TMP/o3"
must_pass spk mkpkg "$TMP/t1" "$TMP/o1"
must_pass spk mkpkg "$TMP/t2" "$TMP/o2"
P1=$TMP/o1/repro-1.0-r0-x86_64.tar.xz P2=$TMP/o2/repro-1.0-r0-x86_64.tar.xz
check test -f "$P1"
check test "$(sha256sum <"$P1")" = "$(sha256sum <"$P2")"
# again, later: still the same
sleep 1
touch "$TMP/t1/usr/bin/tool"
must_pass spk mkpkg "$TMP/t1" "$TMP/o3"
check test "$(sha256sum <"$P1")" = "$(sha256sum <"$TMP/o3/repro-1.0-r0-x86_64.tar.xz")"
# another umask or owner does not show either: owner 0:0 in the archive
tar -tvJf "$P1" >"$OUT/listing" || fail "tar -t"
check test "$(grep -vc ' root/root \| 0/0 ' "$OUT/listing")" -eq 0
# members sorted, .SPKINFO first
tar -tJf "$P1" >"$OUT/names" || fail "tar -t names"
check test "$(head -n1 "$OUT/names")" = .SPKINFO
check test "$(sed -n 2p "$OUT/names")" = .SPKMANIFEST
# a changed byte changes the package
echo "file X" >"$TMP/t2/usr/share/repro/a"
must_pass spk mkpkg "$TMP/t2" "$TMP/o2"
check test "$(sha256sum <"$P1")" != "$(sha256sum <"$P2")"

# installed: hard link and symlinks as they were
setup_root
must_pass spk --root "$ROOT" install "$P1"
check test "$(stat -c %i "$ROOT/usr/bin/tool")" = "$(stat -c %i "$ROOT/usr/bin/tool-hard")"
check test "$(stat -c %h "$ROOT/usr/bin/tool")" -eq 2
check test "$(readlink "$ROOT/usr/bin/tool-sym")" = tool
check test "$(readlink "$ROOT/usr/bin/abs-sym")" = /usr/share/repro/a
check test "$(stat -c %a "$ROOT/usr/bin/tool")" = 755
check test "$(cat "$ROOT/usr/share/repro/g")" = "file g"
# mtimes clamped to Build-Date
check test "$(stat -c %Y "$ROOT/usr/share/repro/a")" -eq 1700000000
must_pass spk --root "$ROOT" verify
done_testing
