/* Checking installed files against their record: type, mode, size, SHA-256, link target. */
#ifndef SPK_VERIFY_H
#define SPK_VERIFY_H

#include "libspk/db.h"

#include <stddef.h>

/* Calls problem(arg, pkg, "/path", "what is wrong") for each difference; returns their number.
 * Directories are checked for existence and type only: several packages may share one. */
size_t spk_verify_pkg(int rootfd, const struct spk_dbpkg *p,
		      void (*problem)(void *arg, const char *pkg, const char *path,
				      const char *what),
		      void *arg);

#endif
