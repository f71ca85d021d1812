#!/bin/sh
# The sealed SmechVisor disk image: boots under OVMF (qemu TCG) with its root on dm-verity
# (erofs, read-only), /var on the data partition, /etc writable through an overlay whose changes
# survive a reboot; the console banner names the control-plane URL and the placeholder answers on
# port 8006 (also through a host port forward); poweroff ends qemu.
. "${0%/*}/../lib/testlib.sh"
. "${0%/*}/images.shlib"

build_packages smechvisor || { done_testing; exit 1; }
build_image smechvisor || { done_testing; exit 1; }
img=$IMG_OUT/images/smechvisor.img
echo "# smechvisor image build: $IMAGE_SECONDS s"
sfdisk -d "$img" >"$TMP/table" 2>&1
for p in esp smech-root-a smech-root-b smech-data; do
	check grep -q "name=\"$p\"" "$TMP/table"
done
a=$(awk -F'size=' '/name="smech-root-a"/ { split($2, s, ","); print s[1] + 0 }' "$TMP/table")
b=$(awk -F'size=' '/name="smech-root-b"/ { split($2, s, ","); print s[1] + 0 }' "$TMP/table")
check test "$a" -gt 0 -a "$a" = "$b"

cp --sparse=always "$img" "$TMP/disk.img"
boot_session smechvisor 300 "$(qemu_disk_argv "$TMP/disk.img")" \
	'c runlevel-default test "$(rc-status -r)" = default' \
	'c root-erofs-ro sh -c "grep -q \"^/dev/root / erofs ro\" /proc/mounts"' \
	'c root-is-smech-root-dm test "$(cat /sys/block/dm-0/dm/name)" = smech-root' \
	"c root-on-dm-0 grep -q DEVNAME=dm-0 /sys/dev/block/\$(grep ' / / ' /proc/self/mountinfo | cut -d' ' -f3)/uevent" \
	'c root-read-only sh -c "! touch /probe"' \
	'c var-writable sh -c "touch /var/probe && rm /var/probe"' \
	'c var-data-partition sh -c "grep -q \" /var ext4 rw\" /proc/mounts"' \
	'c etc-overlay sh -c "grep -q \" /etc overlay rw\" /proc/mounts && echo kept >/etc/smech-test"' \
	'c placeholder-8006 sh -c "wget -q -O - http://127.0.0.1:8006/ | grep -q SmechVisor"' \
	'c syslog test -s /var/log/messages'
echo "# smechvisor boot to login prompt: ${LOGIN_SECONDS:-?} s"
check grep -aq 'Control plane: https://10\.0\.2\.15:8006' "$TMP/smechvisor.console"
for n in runlevel-default root-erofs-ro root-is-smech-root-dm root-on-dm-0 root-read-only var-writable var-data-partition \
	etc-overlay placeholder-8006 syslog; do
	guest_check "$n" smechvisor
done

# Second boot of the same disk: the change to /etc is still there (data partition), and the
# placeholder is reachable from the host through the port forward.
HOSTFWD_PORT=$(free_port)
# The host side polls the forwarded port while the guest is up (it waits 10 s before poweroff).
(
	for _ in $(seq 1 150); do
		if python3 -c "import urllib.request, sys; sys.exit(0 if b'SmechVisor' in urllib.request.urlopen('http://127.0.0.1:$HOSTFWD_PORT/', timeout=2).read() else 1)" 2>/dev/null; then
			echo yes >"$TMP/fwd-ok"
			break
		fi
		sleep 1
	done
) &
probe=$!
on_exit "kill $probe"
boot_session smechvisor-again 300 "$(qemu_disk_argv "$TMP/disk.img")" \
	'c etc-change-kept grep -q kept /etc/smech-test' \
	'sleep 10'
kill "$probe" 2>/dev/null
check test -s "$TMP/fwd-ok"
guest_check etc-change-kept smechvisor-again

# dm-verity guards slot A: flip bytes of the erofs superblock (slot A starts right after the
# 64 MiB ESP) and the kernel refuses the root instead of booting it.
cp --sparse=always "$img" "$TMP/tampered.img"
printf 'SMECH-TAMPERED' | dd of="$TMP/tampered.img" bs=1 seek=$((65 * 1024 * 1024 + 1024)) conv=notrunc status=none
# shellcheck disable=SC2046
$CONSOLE --log "$TMP/tampered.console" --timeout 240 "expect:verity.*(corrupted|I/O error|error)" \
	-- $(qemu_disk_argv "$TMP/tampered.img") >"$TMP/tampered.times" 2>"$TMP/tampered.err"
check grep -aqE 'device-mapper: verity: .*(corrupted|error)' "$TMP/tampered.console"
check sh -c "! grep -aq 'login: ' '$TMP/tampered.console'"
done_testing
