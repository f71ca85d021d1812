# Sourced by deploy/lib/image.sh: a unified kernel image (UKI) from our own EFI stub.
#
# img_uki STUB KERNEL CMDLINE [INITRD] OUT: copies STUB (smech-stub.efi from the linux package)
# and appends .cmdline, .initrd and .linux sections with objcopy, each placed after the stub's
# own image so their addresses never overlap (deploy/recipes/linux/smech-stub.c reads them).
img_uki() {
	_stub=$1 _kernel=$2 _cmdline=$3 _initrd=$4 _out=$5
	printf '%s\0' "$_cmdline" >"$IMG_WORK/cmdline"
	_base=$(objdump -p "$_stub" | awk '$1 == "ImageBase" { print $2 }')
	_size=$(objdump -p "$_stub" | awk '$1 == "SizeOfImage" { print $2 }')
	[ -n "$_base" ] && [ -n "$_size" ] || img_die "$_stub is not a PE image"
	_next=$(((0x$_base + 0x$_size + 0xfff) & ~0xfff))
	set -- --add-section .cmdline="$IMG_WORK/cmdline" \
		--change-section-vma .cmdline="$(printf '0x%x' "$_next")"
	_next=$(((_next + $(stat -c %s "$IMG_WORK/cmdline") + 0xfff) & ~0xfff))
	if [ -n "$_initrd" ]; then
		set -- "$@" --add-section .initrd="$_initrd" \
			--change-section-vma .initrd="$(printf '0x%x' "$_next")"
		_next=$(((_next + $(stat -c %s "$_initrd") + 0xfff) & ~0xfff))
	fi
	set -- "$@" --add-section .linux="$_kernel" --change-section-vma .linux="$(printf '0x%x' "$_next")"
	set -- "$@" --set-section-flags .cmdline=contents,alloc,load,readonly,data \
		--set-section-flags .linux=contents,alloc,load,readonly,data
	[ -z "$_initrd" ] || set -- "$@" --set-section-flags .initrd=contents,alloc,load,readonly,data
	objcopy "$@" "$_stub" "$_out" 2>"$IMG_WORK/objcopy.log" ||
		img_die "objcopy (UKI) failed: $(cat "$IMG_WORK/objcopy.log")"
	# objcopy (binutils 2.40) stamps the PE header with the wall clock, and the optional
	# header's CheckSum covers that stamp: zero both (firmware checks neither). TimeDateStamp is
	# at +8 in the PE header, CheckSum at +88 (24-byte COFF header + 64).
	_pe=$(od -An -tu4 -j 60 -N 4 "$_out" | tr -d ' ')
	for _at in 8 88; do
		printf '\000\000\000\000' | dd of="$_out" bs=1 seek=$((_pe + _at)) conv=notrunc status=none
	done
}
