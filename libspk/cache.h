/* The download cache, {root}/var/cache/spk/: one file per package, named by its SHA-256 and its
 * asset name ("{sha256}-{asset}"), so two repositories' assets of the same name never collide and
 * a file is found again by the hash the verified index gives. spk_fetch_run() skips a request
 * whose DEST already holds the expected bytes, which makes a cache path a cache. */
#ifndef SPK_CACHE_H
#define SPK_CACHE_H

#include "libspk/err.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SPK_CACHE_DIR "var/cache/spk"

struct spk_cache {
	char *dir; /* "{root}/var/cache/spk"; owned */
};

/* Fills c for root; with create, makes the directories that are missing (mode 0755). */
int spk_cache_open(struct spk_cache *c, const char *root, bool create, struct spk_err *e);
void spk_cache_release(struct spk_cache *c);

/* *path = "{dir}/{sha256}-{asset}" (caller frees). asset must be a plain file name (no '/', no
 * leading '.'); sha256 64 hex digits. -SPK_EUSAGE otherwise. */
int spk_cache_path(const struct spk_cache *c, const char *asset, const char *sha256, char **path,
		   struct spk_err *e);

/* Removes every regular file in the cache (finished downloads and left-over .part files); counts
 * them and their bytes (with dry_run, only counts). A missing cache directory is an empty cache.
 * The caller holds the root's lock, so no download of another spk is under way. */
int spk_cache_clean(const struct spk_cache *c, bool dry_run, size_t *files, uint64_t *bytes,
		    struct spk_err *e);

#endif
