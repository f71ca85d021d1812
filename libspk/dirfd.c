#include "libspk/dirfd.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static int walk_components(int rootfd, const char *dir)
{
	char buf[4096];
	int fd = dup(rootfd);

	if (fd < 0)
		return -errno;
	snprintf(buf, sizeof(buf), "%s", dir);
	for (char *p = buf, *slash; p && *p; p = slash ? slash + 1 : NULL) {
		int next;

		slash = strchr(p, '/');
		if (slash)
			*slash = '\0';
		next = openat(fd, p, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		close(fd);
		if (next < 0)
			return -errno;
		fd = next;
	}
	return fd;
}

int spk_dirfd_open(int rootfd, const char *dir)
{
	struct open_how how = {
		.flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};
	long fd;

	if (!*dir)
		dir = ".";
	fd = syscall(SYS_openat2, rootfd, dir, &how, sizeof(how));
	if (fd >= 0)
		return (int)fd;
	if (errno == ENOSYS || errno == EPERM) /* old kernel, or a seccomp filter */
		return walk_components(rootfd, strcmp(dir, ".") ? dir : "");
	return -errno;
}

void spk_dircache_init(struct spk_dircache *c, int rootfd)
{
	c->rootfd = rootfd;
	c->fd = -1;
	c->path[0] = '\0';
}

void spk_dircache_release(struct spk_dircache *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	c->path[0] = '\0';
}

int spk_dircache_parent(struct spk_dircache *c, const char *path, const char **base)
{
	const char *slash = strrchr(path, '/');
	size_t n = slash ? (size_t)(slash - path) : 0;
	int fd;

	*base = slash ? slash + 1 : path;
	if (n >= sizeof(c->path))
		return -ENAMETOOLONG;
	if (c->fd >= 0 && strlen(c->path) == n && !memcmp(c->path, path, n))
		return c->fd;
	spk_dircache_release(c);
	memcpy(c->path, path, n);
	c->path[n] = '\0';
	fd = spk_dirfd_open(c->rootfd, c->path);
	if (fd < 0) {
		c->path[0] = '\0';
		return fd;
	}
	c->fd = fd;
	return fd;
}
