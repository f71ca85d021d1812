#!/bin/sh
# The shim: kernel + initramfs only, booted with qemu -kernel -initrd (no firmware, no disk) to
# OpenRC's default runlevel and a login on the serial console; poweroff ends qemu.
. "${0%/*}/../lib/testlib.sh"
. "${0%/*}/images.shlib"

build_packages shim || { done_testing; exit 1; }
build_image shim || { done_testing; exit 1; }
echo "# shim image build: $IMAGE_SECONDS s"
check test -s "$IMG_OUT/images/shim/vmlinuz"
check test -s "$IMG_OUT/images/shim/initramfs"

boot_session shim 240 "$QEMU -accel tcg -m 512 -smp 1 -display none -serial stdio -monitor none -no-reboot -kernel $IMG_OUT/images/shim/vmlinuz -initrd $IMG_OUT/images/shim/initramfs -append console=ttyS0,115200 -netdev user,id=n0 -device virtio-net-pci,netdev=n0" \
	'c runlevel-default test "$(rc-status -r)" = default' \
	'c openrc-pid1 sh -c "readlink /proc/1/exe | grep -q openrc-init"' \
	'c dhcp-address sh -c "ip -4 addr show | grep -q \"inet 10.0.2.15/\""'
echo "# shim boot to login prompt: ${LOGIN_SECONDS:-?} s"
for n in runlevel-default openrc-pid1 dhcp-address; do
	guest_check "$n" shim
done
done_testing
