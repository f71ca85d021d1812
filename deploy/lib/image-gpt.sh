# Sourced by deploy/lib/image.sh: a GPT disk image in a plain file, no loop device.
#
# img_gpt OUT PART...: each PART is "NAME:TYPE:SIZE_MIB:UUID:FILE" (FILE may be empty for an
# empty partition). Partitions start at 1 MiB and follow each other MiB-aligned; the disk ends
# with 1 MiB for the backup GPT. The disk GUID is derived from the image digest.

# GPT partition type GUIDs (UAPI Discoverable Partitions Specification, x86-64)
GPT_ESP=C12A7328-F81F-11D2-BA4B-00A0C93EC93B
GPT_ROOT_X86_64=4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709
GPT_ROOT_VERITY_X86_64=2C7357ED-EBD2-46D9-AEC1-23D437EC2BF5
GPT_VAR=4D21B016-B534-45C2-A9FB-5C16E091FD2D

img_gpt() {
	_out=$1
	shift
	_total=2
	for _p in "$@"; do
		_mib=$(echo "$_p" | cut -d: -f3)
		_total=$((_total + _mib))
	done
	rm -f "$_out"
	truncate -s "${_total}M" "$_out"
	{
		echo "label: gpt"
		echo "label-id: $(img_uuid disk)"
		echo "unit: sectors"
		echo "first-lba: 2048"
		_start=1
		for _p in "$@"; do
			IFS=: read -r _name _type _mib _uuid _file <<-EOF
				$_p
			EOF
			echo "start=$((_start * 2048)), size=$((_mib * 2048)), type=$_type, uuid=$_uuid, name=$_name"
			_start=$((_start + _mib))
		done
	} >"$IMG_WORK/sfdisk.script"
	sfdisk -q --no-reread --no-tell-kernel "$_out" <"$IMG_WORK/sfdisk.script" \
		>"$IMG_WORK/sfdisk.log" 2>&1 || img_die "sfdisk failed: $(cat "$IMG_WORK/sfdisk.log")"
	_start=1
	for _p in "$@"; do
		IFS=: read -r _name _type _mib _uuid _file <<-EOF
			$_p
		EOF
		if [ -n "$_file" ]; then
			_fs=$(stat -c %s "$_file")
			[ "$_fs" -le $((_mib * 1024 * 1024)) ] ||
				img_die "partition $_name: $_file ($_fs bytes) is larger than ${_mib} MiB"
			dd if="$_file" of="$_out" bs=1M seek="$_start" conv=notrunc,sparse status=none ||
				img_die "writing $_name failed"
		fi
		_start=$((_start + _mib))
	done
}
