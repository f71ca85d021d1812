/* Whole-or-nothing file writes for the publishing side (see publish_file.h). */
#include "libspk/publish_file.h"

#include "libspk/buf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* A temporary name next to name: ".NAME.spk-tmp.PID"; -ENAMETOOLONG. */
static int tmp_name(char *buf, size_t n, const char *name)
{
	const char *slash = strrchr(name, '/');
	int w;

	if (slash)
		w = snprintf(buf, n, "%.*s/.%s.spk-tmp.%ld", (int)(slash - name), name, slash + 1,
		             (long)getpid());
	else
		w = snprintf(buf, n, ".%s.spk-tmp.%ld", name, (long)getpid());
	return w < 0 || (size_t)w >= n ? -ENAMETOOLONG : 0;
}

/* Opens the directory holding name (for its fsync). */
static int open_parent(int dirfd, const char *name)
{
	const char *slash = strrchr(name, '/');
	char dir[4096];

	if (!slash)
		return openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if ((size_t)(slash - name) >= sizeof(dir))
		return -1;
	memcpy(dir, name, (size_t)(slash - name));
	dir[slash - name] = '\0';
	return openat(dirfd, slash == name ? "/" : dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

/* Moves the finished temporary into place; both names relative to dirfd. */
static int commit(int dirfd, const char *tmp, const char *name, unsigned flags)
{
	int r = 0, dfd;

	if (flags & SPK_PUBLISH_FILE_EXCL) {
		/* link() fails with EEXIST instead of replacing: no window where we clobber */
		if (linkat(dirfd, tmp, dirfd, name, 0) < 0)
			r = -errno;
		unlinkat(dirfd, tmp, 0);
	} else if (renameat(dirfd, tmp, dirfd, name) < 0) {
		r = -errno;
		unlinkat(dirfd, tmp, 0);
	}
	if (r == 0 && (flags & SPK_PUBLISH_FILE_SYNC)) {
		dfd = open_parent(dirfd, name);
		if (dfd >= 0) {
			if (fsync(dfd) < 0)
				r = -errno;
			close(dfd);
		}
	}
	return r;
}

/* Creates the temporary; on success *fd is open and tmp holds its name. */
static int open_tmp(int dirfd, const char *name, char *tmp, size_t n, mode_t mode, int *fd,
                    struct spk_err *e)
{
	int r = tmp_name(tmp, n, name);

	if (r < 0)
		return spk_fail(e, r, name, NULL);
	unlinkat(dirfd, tmp, 0); /* a leftover of a crashed run with our PID */
	*fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
	if (*fd < 0)
		return spk_fail(e, -errno, name, NULL);
	/* the umask must not widen or narrow what the caller asked for (a key stays 0600) */
	if (fchmod(*fd, mode) < 0) {
		r = spk_fail(e, -errno, name, NULL);
		close(*fd);
		unlinkat(dirfd, tmp, 0);
	}
	return r;
}

/* Finishes the temporary: optional fsync, checked close, then commit. */
static int finish(int dirfd, int fd, const char *tmp, const char *name, unsigned flags, int r,
                  struct spk_err *e)
{
	if (r == 0 && (flags & SPK_PUBLISH_FILE_SYNC) && fsync(fd) < 0)
		r = -errno;
	if (close(fd) < 0 && r == 0)
		r = -errno;
	if (r < 0) {
		unlinkat(dirfd, tmp, 0);
		return spk_fail(e, r, name, NULL);
	}
	r = commit(dirfd, tmp, name, flags);
	if (r == -EEXIST)
		return spk_fail(e, r, name, "already exists (not overwritten)");
	if (r < 0)
		return spk_fail(e, r, name, NULL);
	return 0;
}

int spk_publish_file_write(int dirfd, const char *name, const void *data, size_t len, mode_t mode,
                           unsigned flags, struct spk_err *e)
{
	char tmp[4096];
	int fd, r;

	if ((flags & SPK_PUBLISH_FILE_EXCL) &&
	    faccessat(dirfd, name, F_OK, AT_SYMLINK_NOFOLLOW) == 0)
		return spk_fail(e, -EEXIST, name, "already exists (not overwritten)");
	r = open_tmp(dirfd, name, tmp, sizeof(tmp), mode, &fd, e);
	if (r < 0)
		return r;
	return finish(dirfd, fd, tmp, name, flags, write_all(fd, data, len), e);
}

int spk_publish_file_copy(int srcdirfd, const char *src, int dirfd, const char *name, mode_t mode,
                          unsigned flags, struct spk_err *e)
{
	char tmp[4096], buf[65536];
	int in, fd, r;

	in = openat(srcdirfd, src, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return spk_fail(e, -errno, src, NULL);
	r = open_tmp(dirfd, name, tmp, sizeof(tmp), mode, &fd, e);
	if (r < 0) {
		close(in);
		return r;
	}
	for (;;) {
		ssize_t n = read(in, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = -errno;
			break;
		}
		if (n == 0)
			break;
		r = write_all(fd, buf, (size_t)n);
		if (r < 0)
			break;
	}
	close(in);
	return finish(dirfd, fd, tmp, name, flags, r, e);
}

int spk_publish_file_read(struct spk_buf *b, int dirfd, const char *name, size_t max,
                          struct spk_err *e)
{
	int fd, r;

	spk_buf_init(b, max);
	fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return spk_fail(e, -errno, name, NULL);
	r = spk_buf_read_fd(b, fd);
	close(fd);
	if (r == -EFBIG)
		return spk_fail(e, r, name, "larger than %zu bytes", max);
	if (r < 0)
		return spk_fail(e, r, name, NULL);
	return 0;
}
