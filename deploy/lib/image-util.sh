# Sourced by deploy/lib/image.sh: logging, derived identifiers, reproducible file times.
# Everything an image build writes is a function of its inputs, so two builds of the same inputs
# give the same bytes: UUIDs, salts and volume ids come from a digest of the inputs, file times are
# clamped to SOURCE_DATE_EPOCH, and every tool gets its "reproducible" switch.

img_msg() { printf '>>> image %s: %s\n' "$IMG_PROFILE" "$*" >&2; }
img_die() {
	printf 'smechdeploy: error: image %s: %s\n' "$IMG_PROFILE" "$*" >&2
	exit 1
}

# img_need TOOL...: stops with the Debian package to install when a host tool is missing.
img_need() {
	for _t in "$@"; do
		command -v "$_t" >/dev/null 2>&1 ||
			img_die "host tool '$_t' is missing (install the packages in scripts/deps/images.apt)"
	done
}

# img_hex NAME [LEN]: LEN hex digits (default 64) of sha256(IMG_DIGEST/NAME). IMG_DIGEST is the
# digest of all inputs of this image (packages, profile files, kernel), so the same inputs give
# the same identifiers and a changed input gives new ones.
img_hex() {
	printf '%s/%s' "$IMG_DIGEST" "$1" | sha256sum | cut -c1-"${2:-64}"
}

# img_uuid NAME: a random-looking (version 4, variant 1) UUID derived from the image digest.
img_uuid() {
	img_hex "$1" 32 | awk '{
		v = substr("89ab", index("0123456789abcdef", substr($0, 17, 1)) % 4 + 1, 1)
		printf "%s-%s-4%s-%s%s-%s\n", substr($0, 1, 8), substr($0, 9, 4), substr($0, 14, 3), v,
			substr($0, 18, 3), substr($0, 21, 12) }'
}

# img_clamp_times DIR: no file in DIR is newer than SOURCE_DATE_EPOCH (symlinks included).
img_clamp_times() {
	touch -d "@$SOURCE_DATE_EPOCH" "$IMG_WORK/.sde"
	find "$1" -newer "$IMG_WORK/.sde" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
}

# img_mib N: N MiB in bytes.
img_mib() { echo $(($1 * 1024 * 1024)); }

# img_size_mib DIR SLACK_PERCENT MIN_MIB: a filesystem size for DIR's content, rounded up to MiB.
img_size_mib() {
	_kib=$(du -s -k --apparent-size "$1" | cut -f1)
	_files=$(find "$1" | wc -l)
	# content + per-file overhead (4 KiB block slack + inode) + slack, at least MIN
	_mib=$(((_kib + _files * 6) * (100 + $2) / 100 / 1024 + 1))
	[ "$_mib" -lt "$3" ] && _mib=$3
	echo "$_mib"
}
