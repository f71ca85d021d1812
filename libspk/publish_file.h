/* How the publishing tools (keygen, sign, index, publish --to-dir) write their files: whole or
 * not at all. A reader (nginx serving a mirror, a client) never sees a half-written file.
 * TODO(merge): the lead's spk_atomic_write() will cover the same ground for state files; fold
 * this into it once it exists. */
#ifndef SPK_PUBLISH_FILE_H
#define SPK_PUBLISH_FILE_H

#include "libspk/err.h"

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct spk_buf;

enum {
	SPK_PUBLISH_FILE_EXCL = 1, /* refuse (-EEXIST) if name exists; race-free via link() */
	SPK_PUBLISH_FILE_SYNC = 2, /* fsync the file and its directory */
};

/* Writes data to name (relative to dirfd) through a temporary file in the same directory and a
 * rename (or link with EXCL), with the given mode. -errno on failure, the temporary removed. */
int spk_publish_file_write(int dirfd, const char *name, const void *data, size_t len, mode_t mode,
                           unsigned flags, struct spk_err *e);

/* Copies the file src (relative to srcdirfd) to name in dirfd the same way. */
int spk_publish_file_copy(int srcdirfd, const char *src, int dirfd, const char *name, mode_t mode,
                          unsigned flags, struct spk_err *e);

/* Reads a whole file (relative to dirfd) into b, refusing files past max bytes (-EFBIG). */
int spk_publish_file_read(struct spk_buf *b, int dirfd, const char *name, size_t max,
                          struct spk_err *e);

#endif
