#!/bin/sh
# Boots out/images/smechvisor.img in qemu (TCG, UEFI via OVMF) with its serial console in this
# terminal and 127.0.0.1:8006 on this machine forwarded to the guest's port 8006 (the control
# plane). The image itself is never written: the guest boots a copy in .cache/ (kept between
# runs, so /var and local /etc changes persist; --fresh starts from the image again).
# Quit with `poweroff` in the guest, or Ctrl-A X. Build the image first: ./run does, or
#   deploy/smechdeploy image smechvisor
# Usage: scripts/boot-smechvisor.sh [--fresh] [--port N]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
img=${SMECH_OUT:-$top/out}/images/smechvisor.img
port=8006
fresh=
while [ $# -gt 0 ]; do
	case $1 in
	--fresh) fresh=1 ;;
	--port) port=${2:?--port needs a number}; shift ;;
	*) echo "usage: scripts/boot-smechvisor.sh [--fresh] [--port N]" >&2; exit 2 ;;
	esac
	shift
done
[ -f "$img" ] || { echo "boot-smechvisor: error: $img: no image (run: deploy/smechdeploy image smechvisor)" >&2; exit 1; }
for f in /usr/share/OVMF/OVMF_CODE_4M.fd /usr/share/OVMF/OVMF_VARS_4M.fd; do
	[ -f "$f" ] || { echo "boot-smechvisor: error: $f: missing (apt-get install ovmf)" >&2; exit 1; }
done
command -v qemu-system-x86_64 >/dev/null ||
	{ echo "boot-smechvisor: error: qemu-system-x86_64: missing (apt-get install qemu-system-x86)" >&2; exit 1; }

run=$top/.cache/boot-smechvisor
mkdir -p "$run"
if [ -n "$fresh" ] || [ ! -f "$run/disk.img" ] || [ "$img" -nt "$run/disk.img" ]; then
	cp --sparse=always "$img" "$run/disk.img"
	cp /usr/share/OVMF/OVMF_VARS_4M.fd "$run/vars.fd"
fi
echo "boot-smechvisor: console below; control plane forwarded to https://127.0.0.1:$port (Ctrl-A X quits)" >&2
exec qemu-system-x86_64 -accel tcg -machine q35 -m 1024 -smp 2 -nographic -no-reboot \
	-drive if=pflash,format=raw,unit=0,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd \
	-drive if=pflash,format=raw,unit=1,file="$run/vars.fd" \
	-drive file="$run/disk.img",format=raw,if=virtio \
	-netdev user,id=n0,hostfwd=tcp:127.0.0.1:"$port"-:8006 -device virtio-net-pci,netdev=n0
