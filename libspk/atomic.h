/* State files change only by replacement: write a temporary beside the file, fsync it, rename it
 * over the old one, fsync the directory. A reader sees the old or the new file, never a mix. */
#ifndef SPK_ATOMIC_H
#define SPK_ATOMIC_H

#include "libspk/err.h"

#include <stdbool.h>
#include <stddef.h>

/* path is relative to dirfd; with sync false the fsyncs are skipped (the rename stays atomic). */
int spk_atomic_write(int dirfd, const char *path, const void *data, size_t n, unsigned mode,
		     bool sync, struct spk_err *e);

/* The same, with the content produced by write(arg, fd) instead of a buffer in memory, for files
 * too large to hold twice (the installed database). write returns 0 or a negative errno. */
int spk_atomic_write_with(int dirfd, const char *path, unsigned mode, bool sync,
			  int (*write)(void *arg, int fd), void *arg, struct spk_err *e);

/* fsyncs the directory holding path (relative to dirfd). */
int spk_fsync_parent(int dirfd, const char *path);

/* Creates every directory of path (relative to dirfd, "var/lib/spk"), mode 0755, refusing to
 * pass through symlinks. */
int spk_mkdirs(int dirfd, const char *path, struct spk_err *e);

#endif
