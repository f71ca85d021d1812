/* The per-file record a package carries (.SPKMANIFEST) and the installed database keeps: type,
 * mode, size and SHA-256 of every entry, so a system can be verified without the archive.
 *
 * One line per entry, sorted by path (byte order), paths escaped (path.h):
 *   TYPE MODE SIZE SHA256 PATH [TARGET]
 *   d 0755 0 - usr/bin
 *   f 0644 12 9f86…08 usr/bin/hello
 *   l 0777 0 - usr/bin/hi hello                 symlink: TARGET as stored
 *   h 0644 12 9f86…08 usr/bin/hey usr/bin/hello  hard link to another member's PATH
 */
#ifndef SPK_MANIFEST_H
#define SPK_MANIFEST_H

#include "libspk/buf.h"
#include "libspk/err.h"

#include <stdbool.h>
#include <stddef.h>

#define SPK_MANIFEST_MAX ((size_t)256 << 20)

enum spk_ftype { SPK_FT_DIR = 'd', SPK_FT_FILE = 'f', SPK_FT_SYMLINK = 'l', SPK_FT_HARDLINK = 'h' };

struct spk_fentry {
	char *path;   /* package-relative, "usr/bin/x" */
	char *target; /* symlink target or hard-link member; NULL otherwise */
	unsigned mode; /* permission bits, 07777 */
	char type;     /* enum spk_ftype */
	unsigned long long size;
	unsigned char sha256[32]; /* files and hard links */
};

struct spk_manifest {
	struct spk_fentry *v;
	size_t n, cap;
};

void spk_manifest_init(struct spk_manifest *m);
void spk_manifest_release(struct spk_manifest *m);

/* Parses lines from text[0..len); each line may carry a fixed prefix (" " in the database).
 * Checks every path (spk_path_is_safe), order and duplicates, symlink ancestry (no entry below a
 * symlink or a file), link targets. what names the source in errors. Caller releases m. */
int spk_manifest_parse(struct spk_manifest *m, const char *text, size_t len, const char *prefix,
		       const char *what, struct spk_err *e);

/* Appends one line per entry, each starting with prefix. */
int spk_manifest_format(const struct spk_manifest *m, const char *prefix, struct spk_buf *out);
int spk_fentry_format(const struct spk_fentry *f, const char *prefix, struct spk_buf *out);

/* Takes ownership of f's strings. */
int spk_manifest_add(struct spk_manifest *m, struct spk_fentry *f);
/* Sorts by path; returns -EEXIST (and names it in e) on a duplicate. */
int spk_manifest_sort(struct spk_manifest *m, const char *what, struct spk_err *e);
/* Checks the whole-package rules (ancestry, link targets); called by parse and by mkpkg. */
int spk_manifest_check(const struct spk_manifest *m, const char *what, struct spk_err *e);

/* Binary search on a sorted manifest; NULL if absent. */
const struct spk_fentry *spk_manifest_find(const struct spk_manifest *m, const char *path);

void spk_sha256_hex(const unsigned char sha[32], char hex[65]);
int spk_sha256_parse(const char *hex, unsigned char sha[32]);

#endif
