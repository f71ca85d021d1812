/* Making a package from a directory (ARCHITECTURE.md §2), reproducibly: entries sorted, owner 0:0,
 * every mtime set to Build-Date, no host-dependent headers, single-threaded xz. */
#ifndef SPK_MKPKG_H
#define SPK_MKPKG_H

#include "libspk/err.h"

#include <stddef.h>

/* Reads dir/.SPKINFO and the tree under dir; writes outdir/{name}-{version}-{arch}.tar.xz
 * (through a temporary file renamed into place). Build-Date: from .SPKINFO, else
 * $SOURCE_DATE_EPOCH, else 0. The output's name goes to out_path (size n) when not NULL. */
int spk_mkpkg(const char *dir, const char *outdir, char *out_path, size_t n, struct spk_err *e);

#endif
