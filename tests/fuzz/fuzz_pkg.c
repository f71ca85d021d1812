/* libFuzzer: the package reader over whole archives (xz, tar, head, every member's checks). */
#include "libspk/pkg.h"

#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	char path[64];
	struct spk_pkg p;

	if (fd < 0)
		fd = memfd_create("fuzz-pkg", 0);
	if (fd < 0 || ftruncate(fd, 0) < 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
		return 0;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (spk_pkg_open(&p, path, NULL) < 0)
		return 0;
	spk_pkg_check_all(&p, NULL);
	spk_pkg_close(&p);
	return 0;
}
