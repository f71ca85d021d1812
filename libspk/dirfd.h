/* Opening a directory inside the root without ever following a symlink: every write spk makes
 * goes through such an fd, so a symlink planted on the way cannot redirect it. */
#ifndef SPK_DIRFD_H
#define SPK_DIRFD_H

#include <stddef.h>

/* Opens dir (relative to rootfd; "" or "." is the root itself); -ELOOP/-ENOTDIR if a component is
 * a symlink or not a directory. Caller closes the fd. */
int spk_dirfd_open(int rootfd, const char *dir);

/* A one-entry cache: consecutive entries of a sorted package mostly share their directory. */
struct spk_dircache {
	int rootfd;
	int fd;
	char path[4096];
};

void spk_dircache_init(struct spk_dircache *c, int rootfd);
/* The fd of path's parent directory (kept by the cache; do not close) and path's last component
 * in *base. Negative errno on failure. */
int spk_dircache_parent(struct spk_dircache *c, const char *path, const char **base);
void spk_dircache_release(struct spk_dircache *c);

#endif
