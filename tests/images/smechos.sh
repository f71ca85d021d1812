#!/bin/sh
# The SmechOS disk image: built from our packages twice with identical bytes, boots under OVMF
# (qemu TCG) from its unified kernel image to OpenRC's default runlevel and a login on the serial
# console; spk works in the booted system; poweroff ends qemu.
. "${0%/*}/../lib/testlib.sh"
. "${0%/*}/images.shlib"

build_packages smechos || { done_testing; exit 1; }
build_image smechos || { done_testing; exit 1; }
img=$IMG_OUT/images/smechos.img
sha256sum <"$img" >"$TMP/first.sha256"
echo "# smechos image build: $IMAGE_SECONDS s"
build_image smechos
sha256sum <"$img" | cmp -s - "$TMP/first.sha256" &&
	pass "a second build of the same inputs is byte-identical" ||
	fail "a second build of the same inputs gave other bytes"
sfdisk -d "$img" >"$TMP/table" 2>&1
check grep -q 'name="esp"' "$TMP/table"
check grep -q 'name="smech-root"' "$TMP/table"

cp --sparse=always "$img" "$TMP/disk.img"
boot_session smechos 300 "$(qemu_disk_argv "$TMP/disk.img")" \
	'c runlevel-default test "$(rc-status -r)" = default' \
	'c openrc-pid1 sh -c "readlink /proc/1/exe | grep -q openrc-init"' \
	'c spk-list sh -c "spk list | grep -q busybox"' \
	'spk verify; echo "spk verify exit $?"' \
	'c spk-verify spk verify' \
	'c root-rw-ext4 sh -c "grep -q \" / ext4 rw\" /proc/mounts && touch /probe && rm /probe"' \
	'c syslog sh -c "logger -t imgtest hello-log; sleep 1; grep -q hello-log /var/log/messages"' \
	'c dhcp-address sh -c "ip -4 addr show | grep -q \"inet 10.0.2.15/\""' \
	'c hostname test -n "$(hostname)"' \
	'c devtmpfs grep -q " /dev devtmpfs" /proc/mounts' \
	'c getty-tty1 sh -c "ps | grep -v grep | grep -q \"getty.*tty1\""'
echo "# smechos boot to login prompt: ${LOGIN_SECONDS:-?} s"
for n in runlevel-default openrc-pid1 spk-list spk-verify root-rw-ext4 syslog dhcp-address \
	hostname devtmpfs getty-tty1; do
	guest_check "$n" smechos
done
done_testing
