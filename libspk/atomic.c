#include "libspk/atomic.h"

#include "libspk/path.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int spk_fsync_parent(int dirfd, const char *path)
{
	char dir[SPK_PATH_MAX];
	const char *slash = strrchr(path, '/');
	int fd, r = 0;

	if (slash)
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	else
		snprintf(dir, sizeof(dir), ".");
	fd = openat(dirfd, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fsync(fd) < 0)
		r = -errno;
	close(fd);
	return r;
}

struct bytes {
	const char *p;
	size_t n;
};

static int write_bytes(void *arg, int fd)
{
	struct bytes *b = arg;

	while (b->n) {
		ssize_t w = write(fd, b->p, b->n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		b->p += w;
		b->n -= (size_t)w;
	}
	return 0;
}

int spk_atomic_write(int dirfd, const char *path, const void *data, size_t n, unsigned mode,
		     bool sync, struct spk_err *e)
{
	struct bytes b = { data, n };

	return spk_atomic_write_with(dirfd, path, mode, sync, write_bytes, &b, e);
}

int spk_atomic_write_with(int dirfd, const char *path, unsigned mode, bool sync,
			  int (*write_fn)(void *arg, int fd), void *arg, struct spk_err *e)
{
	char tmp[SPK_PATH_MAX];
	int fd, r;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp))
		return spk_fail(e, -ENAMETOOLONG, path, NULL);
	fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
	if (fd < 0)
		return spk_fail(e, -errno, tmp, NULL);
	r = write_fn(arg, fd);
	if (r < 0) {
		r = spk_fail(e, r, tmp, NULL);
		goto fail;
	}
	if (sync && fsync(fd) < 0) {
		r = spk_fail(e, -errno, tmp, NULL);
		goto fail;
	}
	if (close(fd) < 0) {
		fd = -1;
		r = spk_fail(e, -errno, tmp, NULL);
		goto fail;
	}
	fd = -1;
	if (renameat(dirfd, tmp, dirfd, path) < 0) {
		r = spk_fail(e, -errno, path, NULL);
		goto fail;
	}
	if (sync && (r = spk_fsync_parent(dirfd, path)) < 0)
		return spk_fail(e, r, path, NULL);
	return 0;
fail:
	if (fd >= 0)
		close(fd);
	unlinkat(dirfd, tmp, 0);
	return r;
}

int spk_mkdirs(int dirfd, const char *path, struct spk_err *e)
{
	char buf[SPK_PATH_MAX];
	struct stat st;

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf;; p++) {
		if (*p == '/' || !*p) {
			char c = *p;

			*p = '\0';
			if (mkdirat(dirfd, buf, 0755) < 0 && errno != EEXIST)
				return spk_fail(e, -errno, buf, NULL);
			if (fstatat(dirfd, buf, &st, AT_SYMLINK_NOFOLLOW) < 0)
				return spk_fail(e, -errno, buf, NULL);
			if (!S_ISDIR(st.st_mode))
				return spk_fail(e, -ENOTDIR, buf, "not a directory (a symlink?)");
			*p = c;
			if (!c)
				break;
		}
	}
	return 0;
}
