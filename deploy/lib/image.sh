#!/bin/sh
# deploy/lib/image.sh PROFILE: assembles out/images/PROFILE.img (or out/images/shim/) from spk
# packages, as `deploy/smechdeploy image PROFILE` does. Nothing is mounted and no loop device is
# used: filesystems are written from a staging directory (mkfs.ext4 -d, mkfs.erofs, mkfs.fat +
# mtools) and placed into a GPT disk file with sfdisk and dd.
#
# Steps: 1. stage: `spk --root STAGE install` the profile's packages (deploy/profiles/P/packages)
#        from out/packages/x86_64, then copy the profile's overlays (deploy/profiles/*/overlay);
#        2. kernel: /boot/vmlinuz and /usr/lib/smech/smech-stub.efi from the linux package become a
#        UKI (\EFI\BOOT\BOOTX64.EFI) with the command line sealed inside;
#        3. filesystems and disk, by the profile's kind: disk-ext4 (smechos), disk-verity
#        (smechvisor), shim (kernel + initramfs only).
# Same inputs give the same bytes: identifiers derive from a digest of every input, file times
# are SOURCE_DATE_EPOCH (the environment's, else the last commit of the profile and this code).
#
# Environment: SPK (spk binary; default build-images/spk/spk, then build/spk/spk), SMECH_OUT
# (default out/), SMECH_IMAGE_ROOT (developer hook: a ready root tree used instead of packages).
set -eu

IMG_PROFILE=${1:?usage: image.sh PROFILE}
IMG_TOP=$(cd "$(dirname "$0")/../.." && pwd)
IMG_LIB=$IMG_TOP/deploy/lib
. "$IMG_LIB/image-util.sh"
. "$IMG_LIB/image-fs.sh"
. "$IMG_LIB/image-gpt.sh"
. "$IMG_LIB/image-uki.sh"

IMG_PDIR=$IMG_TOP/deploy/profiles/$IMG_PROFILE
case $IMG_PROFILE in
*/* | .* | common) img_die "no such profile (see deploy/profiles/)" ;;
esac
[ -f "$IMG_PDIR/profile" ] || img_die "no such profile (see deploy/profiles/)"

# Profile defaults; deploy/profiles/P/profile overrides them (POSIX sh, variables only).
kind=disk-ext4
overlays="common $IMG_PROFILE"
esp_mib=64
root_mib=
slot_mib=256
data_mib=256
cmdline_extra=
. "$IMG_PDIR/profile"

img_need sha256sum mkfs.fat mcopy mmd objcopy objdump cpio gzip sfdisk
case $kind in
disk-ext4) img_need mkfs.ext4 debugfs e2fsck ;;
disk-verity) img_need mkfs.erofs veritysetup mkfs.ext4 debugfs e2fsck ;;
shim) ;;
*) img_die "profile sets unknown kind '$kind'" ;;
esac

OUT=${SMECH_OUT:-$IMG_TOP/out}
PKGDIR=$OUT/packages/x86_64
IMG_WORK=$IMG_TOP/.cache/images/$IMG_PROFILE
rm -rf "$IMG_WORK"
mkdir -p "$IMG_WORK" "$OUT/images"
STAGE=$IMG_WORK/root
export LC_ALL=C TZ=UTC
umask 022

# --- inputs: package files, digest, epoch -------------------------------------------------
pkgfiles=
if [ -z "${SMECH_IMAGE_ROOT:-}" ]; then
	for name in $(sed 's/#.*//' "$IMG_PDIR/packages"); do
		f=$(ls "$PKGDIR/$name"-[0-9]*-x86_64.tar.xz "$PKGDIR/$name"-[0-9]*-noarch.tar.xz 2>/dev/null | sort -V | tail -n 1)
		[ -n "$f" ] || img_die "package '$name' is not in $PKGDIR (run: deploy/smechdeploy build $name)"
		pkgfiles="$pkgfiles $f"
	done
fi
IMG_DIGEST=$(
	{
		echo "profile $IMG_PROFILE"
		for f in $pkgfiles; do sha256sum "$f" | cut -c1-64; done
		[ -z "${SMECH_IMAGE_ROOT:-}" ] || (cd "$SMECH_IMAGE_ROOT" && find . | LC_ALL=C sort | xargs -d '\n' ls -ld --time-style=+ 2>/dev/null | sed 's/  */ /g')
		# every image script, profile and overlay file: path, mode, link target or content hash
		(cd "$IMG_TOP/deploy" && find lib/image*.sh $(for o in $overlays; do echo "profiles/$o"; done) \
			"profiles/$IMG_PROFILE" \( -type f -o -type l \) -printf '%p %m %l\n' | LC_ALL=C sort &&
			find lib/image*.sh $(for o in $overlays; do echo "profiles/$o"; done) "profiles/$IMG_PROFILE" \
				-type f -exec sha256sum {} + | LC_ALL=C sort -k2)
	} | sha256sum | cut -c1-64
)
if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
	SOURCE_DATE_EPOCH=$(git -C "$IMG_TOP" log -1 --format=%ct -- deploy/lib/image.sh deploy/lib/image-util.sh deploy/lib/image-fs.sh deploy/lib/image-gpt.sh deploy/lib/image-uki.sh deploy/profiles 2>/dev/null || true)
	: "${SOURCE_DATE_EPOCH:=1700000000}"
fi
export SOURCE_DATE_EPOCH
img_msg "digest $IMG_DIGEST, SOURCE_DATE_EPOCH $SOURCE_DATE_EPOCH"

# --- 1. stage -----------------------------------------------------------------------------
mkdir -p "$STAGE"
if [ -n "${SMECH_IMAGE_ROOT:-}" ]; then
	img_msg "staging from $SMECH_IMAGE_ROOT (SMECH_IMAGE_ROOT, not from packages)"
	cp -a "$SMECH_IMAGE_ROOT/." "$STAGE/"
else
	if [ -z "${SPK:-}" ]; then
		for SPK in "$IMG_TOP/build-images/spk/spk" "$IMG_TOP/build/spk/spk"; do
			[ -x "$SPK" ] && break
		done
	fi
	[ -x "$SPK" ] || img_die "no spk binary (set SPK, or: meson setup build-images && ninja -C build-images spk/spk spk/spk-full)"
	img_msg "installing$(for f in $pkgfiles; do printf ' %s' "${f##*/}"; done)"
	# shellcheck disable=SC2086
	"$SPK" --root "$STAGE" install $pkgfiles >"$IMG_WORK/spk.log" 2>&1 ||
		img_die "spk install failed: $(tail -n 5 "$IMG_WORK/spk.log")"
	# The query index names the database's inode and mtime on this host: not reproducible, and
	# stale in the image anyway. spk rebuilds it on first use (libspk/dbindex.h).
	rm -f "$STAGE/var/lib/spk/installed.idx"
fi
for o in $overlays; do
	[ -d "$IMG_TOP/deploy/profiles/$o/overlay" ] || continue
	# An overlay adds files; replacing a packaged file would make `spk verify` report it.
	(cd "$IMG_TOP/deploy/profiles/$o/overlay" && find . ! -type d) | while read -r f; do
		{ [ ! -e "$STAGE/$f" ] && [ ! -L "$STAGE/$f" ]; } || [ -n "${SMECH_IMAGE_ROOT:-}" ] ||
			img_die "overlay $o replaces $f from a package; change the package instead"
	done
	tar -C "$IMG_TOP/deploy/profiles/$o/overlay" --owner=0 --group=0 --numeric-owner -cf - . |
		tar -C "$STAGE" -xf - --same-owner --same-permissions
done
# Mount points and run-time directories every profile needs.
for d in dev proc sys run tmp var/log var/tmp root boot/efi; do mkdir -p "$STAGE/$d"; done
chmod 1777 "$STAGE/tmp" "$STAGE/var/tmp"
chmod 0700 "$STAGE/root"
[ -x "$STAGE/sbin/openrc-init" ] || img_die "the staged root has no /sbin/openrc-init (package openrc)"
if [ "$kind" != shim ]; then
	[ -f "$STAGE/boot/vmlinuz" ] || img_die "the staged root has no /boot/vmlinuz (package linux)"
	[ -f "$STAGE/usr/lib/smech/smech-stub.efi" ] ||
		img_die "the staged root has no /usr/lib/smech/smech-stub.efi (package linux)"
fi

# Profile hook: a function `stage` in the profile may adjust the staged tree.
if command -v stage >/dev/null 2>&1; then stage "$STAGE"; fi
img_clamp_times "$STAGE"

# --- 2./3. kernel, filesystems, disk -------------------------------------------------------
console="console=tty0 console=ttyS0,115200 panic=10"
case $kind in
shim)
	mkdir -p "$IMG_WORK/shim"
	[ -e "$STAGE/init" ] || ln -s sbin/openrc-init "$STAGE/init"
	cp "$STAGE/boot/vmlinuz" "$IMG_WORK/shim/vmlinuz"
	rm -f "$STAGE/boot/vmlinuz"
	img_clamp_times "$STAGE"
	img_cpio "$STAGE" "$IMG_WORK/shim/initramfs"
	rm -rf "$OUT/images/shim.tmp"
	mv "$IMG_WORK/shim" "$OUT/images/shim.tmp"
	rm -rf "$OUT/images/shim"
	mv "$OUT/images/shim.tmp" "$OUT/images/shim"
	img_msg "wrote $OUT/images/shim/vmlinuz and initramfs ($(du -sh "$OUT/images/shim" | cut -f1))"
	exit 0
	;;
disk-ext4)
	root_uuid=$(img_uuid root-part)
	[ -n "$root_mib" ] || root_mib=$(img_size_mib "$STAGE" 100 512)
	img_msg "root: ext4, $root_mib MiB"
	img_ext4 "$STAGE" "$IMG_WORK/root.ext4" "$root_mib" smech-root "$(img_uuid root-fs)"
	cmdline="root=PARTUUID=$root_uuid rootfstype=ext4 rw rootwait init=/sbin/openrc-init $console $cmdline_extra"
	img_uki "$STAGE/usr/lib/smech/smech-stub.efi" "$STAGE/boot/vmlinuz" "$cmdline" "" "$IMG_WORK/uki.efi"
	img_esp "$IMG_WORK/esp.fat" "$esp_mib" "$(img_hex esp-volid 8)" "$IMG_WORK/uki.efi:/EFI/BOOT/BOOTX64.EFI"
	img_gpt "$IMG_WORK/disk.img" \
		"esp:$GPT_ESP:$esp_mib:$(img_uuid esp-part):$IMG_WORK/esp.fat" \
		"smech-root:$GPT_ROOT_X86_64:$root_mib:$root_uuid:$IMG_WORK/root.ext4"
	;;
disk-verity)
	# /var lives on the data partition: the sealed root keeps an empty mount point, the data
	# partition starts with the staged /var (package database, log directory).
	mkdir -p "$IMG_WORK/var"
	cp -a "$STAGE/var/." "$IMG_WORK/var/"
	find "$STAGE/var" -mindepth 1 -delete
	mkdir -p "$IMG_WORK/var/lib/smech/etc/upper" "$IMG_WORK/var/lib/smech/etc/work"
	img_clamp_times "$IMG_WORK/var"
	img_clamp_times "$STAGE"
	slot_a=$(img_uuid slot-a) slot_b=$(img_uuid slot-b)
	img_erofs "$STAGE" "$IMG_WORK/root.erofs" "$(img_uuid root-fs)"
	# pad to whole 4 KiB blocks for dm-verity
	sz=$(stat -c %s "$IMG_WORK/root.erofs")
	truncate -s $(((sz + 4095) / 4096 * 4096)) "$IMG_WORK/root.erofs"
	img_verity "$IMG_WORK/root.erofs"
	img_msg "root: erofs $sz bytes + verity, root hash $VERITY_ROOT"
	img_ext4 "$IMG_WORK/var" "$IMG_WORK/data.ext4" "$data_mib" smech-data "$(img_uuid data-fs)"
	table="0 $((VERITY_BLOCKS * 8)) verity 1 PARTUUID=$slot_a PARTUUID=$slot_a 4096 4096"
	table="$table $VERITY_BLOCKS $VERITY_HASH_START sha256 $VERITY_ROOT $VERITY_SALT"
	cmdline="dm-mod.create=\"smech-root,,,ro,$table\" dm-mod.waitfor=PARTUUID=$slot_a"
	cmdline="$cmdline root=/dev/dm-0 rootfstype=erofs ro init=/usr/lib/smech/preinit $console $cmdline_extra"
	img_uki "$STAGE/usr/lib/smech/smech-stub.efi" "$STAGE/boot/vmlinuz" "$cmdline" "" "$IMG_WORK/uki.efi"
	img_esp "$IMG_WORK/esp.fat" "$esp_mib" "$(img_hex esp-volid 8)" "$IMG_WORK/uki.efi:/EFI/BOOT/BOOTX64.EFI"
	img_gpt "$IMG_WORK/disk.img" \
		"esp:$GPT_ESP:$esp_mib:$(img_uuid esp-part):$IMG_WORK/esp.fat" \
		"smech-root-a:$GPT_ROOT_X86_64:$slot_mib:$slot_a:$IMG_WORK/root.erofs" \
		"smech-root-b:$GPT_ROOT_X86_64:$slot_mib:$slot_b:" \
		"smech-data:$GPT_VAR:$data_mib:$(img_uuid data-part):$IMG_WORK/data.ext4"
	;;
esac
printf '%s\n' "$cmdline" >"$IMG_WORK/cmdline.txt"
mv "$IMG_WORK/disk.img" "$OUT/images/$IMG_PROFILE.img"
img_msg "wrote $OUT/images/$IMG_PROFILE.img ($(du -h --apparent-size "$OUT/images/$IMG_PROFILE.img" | cut -f1))"
