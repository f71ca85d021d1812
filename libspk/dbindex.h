/* A derived query index beside the installed database (var/lib/spk/installed.idx): package names
 * and versions sorted, and a hash table from path to owner, mmap'ed so that `list` and `owner`
 * touch a few pages instead of parsing the whole text. The text database stays the truth: the
 * index records the identity (device, inode, size, mtime) of the database it was built from and
 * is rebuilt whenever that no longer matches; deleting it is always safe. */
#ifndef SPK_DBINDEX_H
#define SPK_DBINDEX_H

#include "libspk/db.h"
#include "libspk/err.h"

#include <stddef.h>
#include <stdint.h>

struct spk_dbindex {
	const unsigned char *base;
	size_t len;
	void *heap; /* when built in memory (read-only root), else NULL and base is mmap'ed */
};

/* Writes the index for db (already on disk) atomically; errors are not fatal to anyone, so
 * they are only returned. */
int spk_dbindex_update(int rootfd, const struct spk_db *db);

/* Opens a fresh index, rebuilding it (on disk if possible, else in memory) when stale. */
int spk_dbindex_open(struct spk_dbindex *x, int rootfd, struct spk_err *e);
void spk_dbindex_close(struct spk_dbindex *x);

size_t spk_dbindex_count(const struct spk_dbindex *x);
/* The i-th package by name; strings valid until close. */
void spk_dbindex_pkg(const struct spk_dbindex *x, size_t i, const char **name,
		     const char **version);
/* Calls fn for each package owning relpath ("usr/bin/x"); returns how many. */
size_t spk_dbindex_owners(const struct spk_dbindex *x, const char *relpath,
			  void (*fn)(void *arg, const char *name, const char *version), void *arg);

#endif
