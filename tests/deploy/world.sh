#!/bin/sh
# From source to a running system: the real recipes build musl, busybox (static against that musl)
# and smech-base in their sandboxes; spk installs the packages into a temporary root where busybox
# runs chrooted; busybox and smech-base build to the same bytes a second time.
# Slow (minutes): it compiles musl and busybox twice. Sources come from Debian once and then from
# the cache in $SRC/.cache (verified by SHA-256 on entry, keyed by it).
. "${0%/*}/../lib/testlib.sh"
. "$SRC/tests/data/deploy/setup.sh"
export SMECH_RECIPES="$SRC/deploy/recipes"
mkdir -p "$SRC/.cache/sources" "$SRC/.cache/apt" "$SMECH_CACHE"
ln -s "$SRC/.cache/sources" "$SMECH_CACHE/sources"
ln -s "$SRC/.cache/apt" "$SMECH_CACHE/apt"

must_pass smechdeploy build --no-index musl busybox smech-base
for p in musl-1.2.3-r0-x86_64 busybox-1.35.0-r0-x86_64 smech-base-0.1-r0-noarch; do
	check test -f "$PKGS/$p.tar.xz"
done
smechdeploy times | sed 's/^/# build time: /'

setup_root
must_pass spk --root "$ROOT" install "$PKGS/musl-1.2.3-r0-x86_64.tar.xz" \
	"$PKGS/busybox-1.35.0-r0-x86_64.tar.xz" "$PKGS/smech-base-0.1-r0-noarch.tar.xz"
check test -x "$ROOT/bin/busybox"
check test -L "$ROOT/bin/sh"
check grep -qx 'NAME="SmechOS"' "$ROOT/etc/os-release"
check grep -q '^root:x:0:0:' "$ROOT/etc/passwd"
spk --root "$ROOT" list >"$TMP/list" || fail "spk list"
check grep -qx 'busybox 1.35.0-r0' "$TMP/list"
must_pass spk --root "$ROOT" verify

# busybox runs in the new root, with nothing from the host: it is static.
if [ "$(id -u)" -eq 0 ]; then
	in_root() { chroot "$ROOT" "$@"; }
else
	in_root() { unshare --map-root-user chroot "$ROOT" "$@"; }
fi
in_root /bin/sh -c 'echo "$(cat /etc/hostname) $(id -u)"; ls /etc/runlevels/default' \
	>"$TMP/run" 2>&1 || fail "chroot busybox sh"
check test "$(sed -n 1p "$TMP/run")" = "smechos 0"
check grep -qx 'getty.ttyS0' "$TMP/run"
in_root /bin/busybox sha256sum /etc/passwd >"$TMP/sum" || fail "chroot busybox sha256sum"
check test "$(cut -d' ' -f1 "$TMP/sum")" = "$(sha256sum <"$ROOT/etc/passwd" | cut -d' ' -f1)"

must_pass smechdeploy verify-reproducible busybox
must_pass smechdeploy verify-reproducible smech-base
done_testing
