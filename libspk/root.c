#include "libspk/root.h"

#include "libspk/atomic.h"
#include "libspk/txn.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

int spk_root_open(struct spk_root *root, const char *path, int sync, struct spk_err *e)
{
	memset(root, 0, sizeof(*root));
	root->lockfd = -1;
	root->fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (root->fd < 0)
		return spk_fail(e, -errno, path, "cannot open root: %s", spk_strerror(-errno));
	root->path = strdup(path);
	if (!root->path) {
		close(root->fd);
		return spk_fail(e, -ENOMEM, path, NULL);
	}
	{
		/* "/", "//", "/." ...: the same directory as the system's root */
		struct stat a, b;

		root->is_system_root = fstat(root->fd, &a) == 0 && stat("/", &b) == 0 &&
				       a.st_dev == b.st_dev && a.st_ino == b.st_ino;
	}
	root->sync = sync < 0 ? root->is_system_root : sync == 1;
	return 0;
}

void spk_root_close(struct spk_root *root)
{
	spk_root_unlock(root);
	if (root->fd >= 0)
		close(root->fd);
	free(root->path);
	root->fd = -1;
	root->path = NULL;
}

int spk_root_lock(struct spk_root *root, struct spk_err *e)
{
	int r;

	if (root->lockfd >= 0)
		return 0;
	r = spk_mkdirs(root->fd, SPK_STATE_DIR, e);
	if (r < 0)
		return r;
	root->lockfd = openat(root->fd, SPK_LOCK_PATH, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
			      0644);
	if (root->lockfd < 0)
		return spk_fail(e, -errno, SPK_LOCK_PATH, NULL);
	if (flock(root->lockfd, LOCK_EX | LOCK_NB) == 0)
		return 0;
	if (errno != EWOULDBLOCK) {
		r = spk_fail(e, -errno, SPK_LOCK_PATH, NULL);
		goto fail;
	}
	if (root->on_lock_wait)
		root->on_lock_wait(root->cb_arg, SPK_LOCK_PATH);
	while (flock(root->lockfd, LOCK_EX) < 0) {
		if (errno != EINTR) {
			r = spk_fail(e, -errno, SPK_LOCK_PATH, NULL);
			goto fail;
		}
	}
	return 0;
fail:
	close(root->lockfd);
	root->lockfd = -1;
	return r;
}

void spk_root_unlock(struct spk_root *root)
{
	if (root->lockfd >= 0) {
		close(root->lockfd);
		root->lockfd = -1;
	}
}

int spk_root_recover(struct spk_root *root, struct spk_err *e)
{
	bool was_locked = root->lockfd >= 0;
	int r;

	if (faccessat(root->fd, SPK_JOURNAL_PATH, F_OK, AT_SYMLINK_NOFOLLOW) < 0)
		return 0;
	r = spk_root_lock(root, e);
	if (r < 0)
		return r;
	r = spk_txn_recover(root, e);
	if (!was_locked)
		spk_root_unlock(root);
	return r;
}
