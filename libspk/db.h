/* The installed database, {root}/var/lib/spk/installed: one text file, the source of truth.
 *
 *   Format: spk-installed 1
 *   Transaction: 12               id of the last committed transaction
 *
 *   Name: hello                   one stanza per package: its .SPKINFO fields,
 *   Version: 1.0-r0
 *   Arch: x86_64
 *   Hook-Post-Remove:             hook scripts kept for later removal, each line indented by one
 *    #!/bin/sh                    space (an empty line is " ." and a "." line is " ..")
 *   Files:                        its file record (manifest.h), each line indented by one space
 *    d 0755 0 - usr
 *    f 0755 16 … usr/bin/hello
 *
 * Stanzas are separated by one empty line and sorted by name. */
#ifndef SPK_DB_H
#define SPK_DB_H

#include "libspk/buf.h"
#include "libspk/err.h"
#include "libspk/info.h"
#include "libspk/manifest.h"
#include "libspk/pkg.h"

#include <stddef.h>

struct spk_dbpkg {
	struct spk_info info;
	struct spk_manifest files;
	char *hooks[SPK_HOOK_COUNT];
	size_t hook_len[SPK_HOOK_COUNT];
};

struct spk_db {
	unsigned long long txid;
	struct spk_dbpkg *pkgs; /* sorted by name */
	size_t n, cap;
};

void spk_db_init(struct spk_db *db);
void spk_db_release(struct spk_db *db);
void spk_dbpkg_release(struct spk_dbpkg *p);

/* Reads {root}/var/lib/spk/installed (absent = empty database). Caller releases db. */
int spk_db_load(struct spk_db *db, int rootfd, struct spk_err *e);
/* Parses database text; what names it in errors. */
int spk_db_parse(struct spk_db *db, const char *text, size_t len, const char *what,
		 struct spk_err *e);
int spk_db_format(const struct spk_db *db, struct spk_buf *out);
/* Writes the same text to fd a package at a time, never holding all of it in memory. */
int spk_db_write(const struct spk_db *db, int fd);

/* NULL when not installed. Valid until the db changes. */
struct spk_dbpkg *spk_db_find(const struct spk_db *db, const char *name);
/* Inserts (keeping order) or replaces by name; takes ownership of p's contents. */
int spk_db_put(struct spk_db *db, struct spk_dbpkg *p);
/* Removes and releases the package named name, if present. */
void spk_db_drop(struct spk_db *db, const char *name);

#endif
