# Sourced by deploy/lib/image.sh: filesystems written from a directory into a file, no mounts.
# Each function writes one file; deploy/lib/image-gpt.sh places the files into the disk.

# img_ext4 DIR OUT SIZE_MIB LABEL UUID: ext4 with DIR's content (owners, modes, mtimes as in DIR).
# mkfs.ext4 -d copies each file's atime/ctime (and its own wall clock into crtime) even under
# E2FSPROGS_FAKE_TIME (e2fsprogs 1.47.0), so a debugfs pass sets those of every inode to
# SOURCE_DATE_EPOCH, and the superblock's times too; e2fsck -fn then checks without writing.
img_ext4() {
	_dir=$1 _out=$2 _mib=$3 _label=$4 _uuid=$5
	rm -f "$_out"
	E2FSPROGS_FAKE_TIME=$SOURCE_DATE_EPOCH mkfs.ext4 -q -F -b 4096 -L "$_label" -U "$_uuid" \
		-E "hash_seed=$_uuid,root_owner=0:0,lazy_itable_init=0,nodiscard" \
		-O metadata_csum -I 256 -d "$_dir" "$_out" "${_mib}M" >"$IMG_WORK/$_label.mkfs" 2>&1 ||
		img_die "mkfs.ext4 $_label failed: $(cat "$IMG_WORK/$_label.mkfs")"
	_when=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y%m%d%H%M%S)
	{
		(cd "$_dir" && find . -mindepth 1) | LC_ALL=C sort | sed 's|^\./||' | awk -v t="$_when" '
			function stamp(p) {
				printf "sif \"%s\" atime %s\nsif \"%s\" ctime %s\nsif \"%s\" crtime %s\n", p, t, p, t, p, t
				printf "sif \"%s\" atime_extra 0\nsif \"%s\" ctime_extra 0\nsif \"%s\" crtime_extra 0\n", p, p, p
			}
			{ stamp("/" $0) }
			END { stamp("/"); stamp("/lost+found") }'
		for _f in mtime wtime lastcheck mkfs_time; do echo "ssv $_f $_when"; done
	} >"$IMG_WORK/$_label.debugfs"
	E2FSPROGS_FAKE_TIME=$SOURCE_DATE_EPOCH debugfs -w -f "$IMG_WORK/$_label.debugfs" "$_out" \
		>"$IMG_WORK/$_label.debugfs.log" 2>&1 || img_die "debugfs on $_label failed"
	# debugfs echoes each command as "debugfs: ..."; anything else is a complaint
	if grep -v '^debugfs' "$IMG_WORK/$_label.debugfs.log" | grep -q .; then
		img_die "debugfs on $_label: $(grep -v '^debugfs' "$IMG_WORK/$_label.debugfs.log" | head -n 3)"
	fi
	e2fsck -fn "$_out" >"$IMG_WORK/$_label.fsck" 2>&1 ||
		img_die "e2fsck $_label reports errors (see $IMG_WORK/$_label.fsck)"
}

# img_erofs DIR OUT UUID: read-only erofs, lz4hc-compressed, every file time SOURCE_DATE_EPOCH.
img_erofs() {
	rm -f "$2"
	mkfs.erofs --quiet -zlz4hc -T "$SOURCE_DATE_EPOCH" -U "$3" "$2" "$1" >"$IMG_WORK/erofs.log" 2>&1 ||
		img_die "mkfs.erofs failed: $(cat "$IMG_WORK/erofs.log")"
}

# img_verity DATA: appends a dm-verity hash tree to DATA (4 KiB blocks, sha256, salt and UUID
# derived from the image digest) and sets VERITY_ROOT, VERITY_SALT, VERITY_BLOCKS,
# VERITY_HASH_START (in 4 KiB blocks from the start of DATA).
img_verity() {
	_size=$(stat -c %s "$1")
	[ $((_size % 4096)) -eq 0 ] || img_die "verity data size $_size is not a multiple of 4096"
	VERITY_BLOCKS=$((_size / 4096))
	VERITY_HASH_START=$VERITY_BLOCKS
	VERITY_SALT=$(img_hex verity-salt 64)
	veritysetup format --no-superblock --data-block-size=4096 --hash-block-size=4096 --hash=sha256 \
		--salt="$VERITY_SALT" --uuid="$(img_uuid verity)" --hash-offset="$_size" \
		"$1" "$1" >"$IMG_WORK/verity.log" 2>&1 || img_die "veritysetup failed: $(cat "$IMG_WORK/verity.log")"
	VERITY_ROOT=$(sed -n 's/^Root hash:[[:space:]]*//p' "$IMG_WORK/verity.log")
	[ -n "$VERITY_ROOT" ] || img_die "veritysetup printed no root hash"
}

# img_esp OUT SIZE_MIB VOLID FILE:PATH...: a FAT32 ESP holding each FILE at PATH (mtools, no
# mount). mtools stamps files with SOURCE_DATE_EPOCH; --invariant fixes the remaining fields.
img_esp() {
	_out=$1 _mib=$2 _volid=$3
	shift 3
	rm -f "$_out"
	mkfs.fat -F 32 -S 512 -s 1 -n SMECH-ESP -i "$_volid" --invariant -C "$_out" $((_mib * 1024)) \
		>"$IMG_WORK/esp.log" 2>&1 || img_die "mkfs.fat failed: $(cat "$IMG_WORK/esp.log")"
	export MTOOLS_SKIP_CHECK=1
	for _pair in "$@"; do
		_src=${_pair%%:*} _dst=${_pair#*:}
		_d=$(dirname "$_dst")
		_acc=
		for _part in $(echo "$_d" | tr '/' ' '); do
			_acc="$_acc/$_part"
			mmd -D s -i "$_out" "::$_acc" 2>/dev/null || true
		done
		touch -d "@$SOURCE_DATE_EPOCH" "$_src"
		mcopy -m -o -i "$_out" "$_src" "::$_dst" || img_die "mcopy $_dst failed"
	done
}

# img_cpio DIR OUT: a gzip'd newc initramfs of DIR, files in sorted order, owners as in DIR.
img_cpio() {
	(cd "$1" && find . -mindepth 1 | LC_ALL=C sort |
		cpio --quiet -o -H newc --reproducible) | gzip -n -9 >"$2" ||
		img_die "cpio of $1 failed"
}
