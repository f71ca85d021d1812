/*
 * smech-stub: a minimal UEFI boot stub that turns one PE file into a unified kernel image (UKI).
 *
 * The image build appends three sections to this stub with objcopy:
 *   .linux    the kernel (a bzImage with the Linux EFI stub)
 *   .initrd   an initramfs (optional)
 *   .cmdline  the kernel command line, NUL-terminated ASCII
 * At boot the firmware starts the stub as \EFI\BOOT\BOOTX64.EFI. The stub finds those sections in
 * its own loaded image, offers the initramfs to the kernel through the LoadFile2 protocol on the
 * LINUX_EFI_INITRD_MEDIA_GUID device path (supported by Linux since 5.8), loads the kernel from
 * memory with LoadImage, gives it the command line as its LoadOptions, and starts it.
 *
 * Why our own: systemd-stub does the same, but no systemd pieces go into our images and no boot
 * manager is needed when the command line (root hash, partition UUIDs) is sealed into the ESP file.
 * The command line passed by the firmware is ignored on purpose: the image decides how it boots.
 *
 * Built freestanding with the mingw-w64 cross compiler, which emits a PE with base relocations
 * and uses the Microsoft ABI that UEFI calls use.
 */
#include <stddef.h>
#include <stdint.h>

typedef uint64_t efi_status;
typedef void *efi_handle;
typedef uint16_t char16;

#define EFI_SUCCESS 0
#define EFI_ERR(n) (0x8000000000000000ULL | (n))
#define EFI_INVALID_PARAMETER EFI_ERR(2)
#define EFI_BUFFER_TOO_SMALL EFI_ERR(5)
#define EFI_NOT_FOUND EFI_ERR(14)
#define EFI_LOAD_ERROR EFI_ERR(1)

struct efi_guid {
	uint32_t a;
	uint16_t b, c;
	uint8_t d[8];
};

struct efi_table_header {
	uint64_t signature;
	uint32_t revision, header_size, crc32, reserved;
};

struct efi_text_out {
	void *reset;
	efi_status (*output_string)(struct efi_text_out *self, const char16 *s);
};

/* Only the members we call are typed; the rest keep their slots as void pointers. */
struct efi_boot_services {
	struct efi_table_header hdr;
	void *raise_tpl, *restore_tpl;
	void *allocate_pages, *free_pages, *get_memory_map;
	efi_status (*allocate_pool)(int type, uint64_t size, void **buf);
	efi_status (*free_pool)(void *buf);
	void *create_event, *set_timer, *wait_for_event, *signal_event, *close_event, *check_event;
	void *install_protocol_interface, *reinstall_protocol_interface;
	void *uninstall_protocol_interface;
	efi_status (*handle_protocol)(efi_handle h, const struct efi_guid *g, void **iface);
	void *reserved, *register_protocol_notify, *locate_handle, *locate_device_path;
	void *install_configuration_table;
	efi_status (*load_image)(uint8_t boot_policy, efi_handle parent, void *path, void *src,
				 uint64_t size, efi_handle *out);
	efi_status (*start_image)(efi_handle h, uint64_t *exit_size, char16 **exit_data);
	void *exit, *unload_image, *exit_boot_services, *get_next_monotonic_count, *stall;
	void *set_watchdog_timer, *connect_controller, *disconnect_controller;
	void *open_protocol, *close_protocol, *open_protocol_information, *protocols_per_handle;
	void *locate_handle_buffer, *locate_protocol;
	efi_status (*install_multiple_protocol_interfaces)(efi_handle *h, ...);
	efi_status (*uninstall_multiple_protocol_interfaces)(efi_handle h, ...);
};

struct efi_system_table {
	struct efi_table_header hdr;
	char16 *firmware_vendor;
	uint32_t firmware_revision;
	efi_handle console_in_handle;
	void *con_in;
	efi_handle console_out_handle;
	struct efi_text_out *con_out;
	efi_handle standard_error_handle;
	struct efi_text_out *std_err;
	void *runtime_services;
	struct efi_boot_services *boot_services;
};

struct efi_loaded_image {
	uint32_t revision;
	efi_handle parent_handle;
	struct efi_system_table *system_table;
	efi_handle device_handle;
	void *file_path;
	void *reserved;
	uint32_t load_options_size;
	void *load_options;
	void *image_base;
	uint64_t image_size;
	int image_code_type, image_data_type;
	void *unload;
};

struct efi_device_path {
	uint8_t type, subtype;
	uint8_t length[2];
};

/* A vendor media node naming the initrd, then the end node: what the kernel asks LoadFile2 for. */
struct initrd_device_path {
	struct efi_device_path vendor;
	struct efi_guid guid;
	struct efi_device_path end;
} __attribute__((packed));

struct efi_load_file2 {
	efi_status (*load_file)(struct efi_load_file2 *self, void *path, uint8_t boot_policy,
				uint64_t *size, void *buf);
};

static const struct efi_guid loaded_image_guid = {
	0x5b1b31a1, 0x9562, 0x11d2, { 0x8e, 0x3f, 0x00, 0xa0, 0xc9, 0x69, 0x72, 0x3b }
};
static const struct efi_guid device_path_guid = {
	0x09576e91, 0x6d3f, 0x11d2, { 0x8e, 0x39, 0x00, 0xa0, 0xc9, 0x69, 0x72, 0x3b }
};
static const struct efi_guid load_file2_guid = {
	0x4006c0c1, 0xfcb3, 0x403e, { 0x99, 0x6d, 0x4a, 0x6c, 0x87, 0x24, 0xe0, 0x6d }
};
static const struct efi_guid linux_initrd_media_guid = {
	0x5568e427, 0x68fc, 0x4f3d, { 0xac, 0x74, 0xca, 0x55, 0x52, 0x31, 0xcc, 0x68 }
};

/* State of one boot; the LoadFile2 callback finds it through its protocol pointer. */
struct stub {
	struct efi_load_file2 lf2; /* first member: the callback casts back to struct stub */
	struct initrd_device_path path;
	const uint8_t *initrd;
	uint64_t initrd_size;
};

/* The compiler may emit calls to these for struct copies; nothing else provides them here. */
void *memset(void *d, int c, size_t n)
{
	uint8_t *p = d;

	while (n--)
		*p++ = (uint8_t)c;
	return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
	uint8_t *p = d;
	const uint8_t *q = s;

	while (n--)
		*p++ = *q++;
	return d;
}

static void say(struct efi_system_table *st, const char *msg)
{
	char16 buf[128];
	size_t i = 0;

	for (; *msg && i < sizeof(buf) / sizeof(buf[0]) - 1; msg++) {
		if (*msg == '\n')
			buf[i++] = '\r';
		buf[i++] = (uint8_t)*msg;
		if (i >= sizeof(buf) / sizeof(buf[0]) - 2)
			break;
	}
	buf[i] = 0;
	st->con_out->output_string(st->con_out, buf);
}

/* Finds section NAME (at most 8 bytes) in the PE image loaded at BASE. */
static const uint8_t *find_section(const uint8_t *base, const char *name, uint64_t *size)
{
	uint32_t pe = *(const uint32_t *)(base + 0x3c);
	uint16_t nsec, optsize;
	const uint8_t *sec;

	if (base[0] != 'M' || base[1] != 'Z' || base[pe] != 'P' || base[pe + 1] != 'E')
		return NULL;
	nsec = *(const uint16_t *)(base + pe + 6);
	optsize = *(const uint16_t *)(base + pe + 20);
	sec = base + pe + 24 + optsize;
	for (uint16_t i = 0; i < nsec; i++, sec += 40) {
		size_t k = 0;

		while (k < 8 && name[k] && sec[k] == (uint8_t)name[k])
			k++;
		if (name[k] || (k < 8 && sec[k]))
			continue;
		/* VirtualSize is the exact length objcopy added; SizeOfRawData is padded. */
		*size = *(const uint32_t *)(sec + 8);
		if (*size == 0)
			*size = *(const uint32_t *)(sec + 16);
		return base + *(const uint32_t *)(sec + 12);
	}
	return NULL;
}

static efi_status initrd_load_file(struct efi_load_file2 *self, void *path, uint8_t boot_policy,
				   uint64_t *size, void *buf)
{
	struct stub *s = (struct stub *)self;

	(void)path;
	if (boot_policy || !size)
		return EFI_INVALID_PARAMETER;
	if (!buf || *size < s->initrd_size) {
		*size = s->initrd_size;
		return EFI_BUFFER_TOO_SMALL;
	}
	memcpy(buf, s->initrd, s->initrd_size);
	*size = s->initrd_size;
	return EFI_SUCCESS;
}

efi_status efi_main(efi_handle image, struct efi_system_table *st)
{
	struct efi_boot_services *bs = st->boot_services;
	struct efi_loaded_image *self, *kli;
	const uint8_t *linux, *cmdline;
	uint64_t linux_size, cmdline_size = 0;
	efi_handle kernel = NULL, initrd_handle = NULL;
	struct stub *s;
	char16 *opts = NULL;
	efi_status r;

	r = bs->handle_protocol(image, &loaded_image_guid, (void **)&self);
	if (r != EFI_SUCCESS) {
		say(st, "smech-stub: no loaded image protocol\n");
		return r;
	}
	linux = find_section(self->image_base, ".linux", &linux_size);
	if (!linux) {
		say(st, "smech-stub: no .linux section\n");
		return EFI_NOT_FOUND;
	}
	cmdline = find_section(self->image_base, ".cmdline", &cmdline_size);

	r = bs->allocate_pool(2 /* EfiLoaderData */, sizeof(*s), (void **)&s);
	if (r != EFI_SUCCESS)
		return r;
	memset(s, 0, sizeof(*s));
	s->initrd = find_section(self->image_base, ".initrd", &s->initrd_size);
	if (s->initrd && s->initrd_size) {
		s->lf2.load_file = initrd_load_file;
		s->path.vendor.type = 4;    /* MEDIA_DEVICE_PATH */
		s->path.vendor.subtype = 3; /* MEDIA_VENDOR_DP */
		s->path.vendor.length[0] = sizeof(s->path.vendor) + sizeof(s->path.guid);
		s->path.guid = linux_initrd_media_guid;
		s->path.end.type = 0x7f;
		s->path.end.subtype = 0xff;
		s->path.end.length[0] = sizeof(s->path.end);
		r = bs->install_multiple_protocol_interfaces(&initrd_handle, &device_path_guid,
							     &s->path, &load_file2_guid, &s->lf2,
							     NULL);
		if (r != EFI_SUCCESS) {
			say(st, "smech-stub: cannot offer the initrd\n");
			return r;
		}
	}

	r = bs->load_image(0, image, NULL, (void *)linux, linux_size, &kernel);
	if (r != EFI_SUCCESS) {
		say(st, "smech-stub: the firmware refused to load .linux\n");
		return r;
	}
	if (cmdline && cmdline_size) {
		uint64_t n = 0;

		while (n < cmdline_size && cmdline[n])
			n++;
		r = bs->allocate_pool(2, (n + 1) * sizeof(char16), (void **)&opts);
		if (r != EFI_SUCCESS)
			return r;
		for (uint64_t i = 0; i < n; i++)
			opts[i] = cmdline[i];
		opts[n] = 0;
		r = bs->handle_protocol(kernel, &loaded_image_guid, (void **)&kli);
		if (r != EFI_SUCCESS)
			return r;
		kli->load_options = opts;
		kli->load_options_size = (uint32_t)((n + 1) * sizeof(char16));
	}
	r = bs->start_image(kernel, NULL, NULL);
	/* Only reached if the kernel returns: it failed before ExitBootServices. */
	say(st, "smech-stub: the kernel returned\n");
	if (initrd_handle)
		bs->uninstall_multiple_protocol_interfaces(initrd_handle, &device_path_guid,
							   &s->path, &load_file2_guid, &s->lf2,
							   NULL);
	return r == EFI_SUCCESS ? EFI_LOAD_ERROR : r;
}
