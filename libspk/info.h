/* .SPKINFO: a package's identity and relations, "Key: value" lines (ARCHITECTURE.md §2). */
#ifndef SPK_INFO_H
#define SPK_INFO_H

#include "libspk/buf.h"
#include "libspk/err.h"
#include "libspk/relation.h"

#include <stdbool.h>
#include <stddef.h>

#define SPK_INFO_MAX (256 * 1024) /* a .SPKINFO larger than this is refused */

struct spk_kv {
	char *key;
	char *value;
};

struct spk_info {
	char *name, *version, *arch; /* required */
	char *description, *url, *license, *origin; /* NULL when absent */
	long long build_date;	/* -1 when absent */
	long long installed_size; /* -1 when absent */
	struct spk_relations depends, provides, conflicts, replaces;
	char **allow_setuid; /* in-root absolute paths */
	size_t n_allow_setuid;
	struct spk_kv *extra; /* keys spk does not know, kept in order */
	size_t n_extra;
};

/* Parses text (len bytes, need not be NUL-terminated) into info; what names the source in errors
 * ("foo.tar.xz: .SPKINFO line 3"). On failure info is released. Caller releases info. */
int spk_info_parse(struct spk_info *info, const char *text, size_t len, const char *what,
		   struct spk_err *e);
void spk_info_release(struct spk_info *info);

/* Appends the canonical form: known keys in a fixed order, then the others as given. */
int spk_info_format(const struct spk_info *info, struct spk_buf *out);

/* Is path (in-root absolute, "/usr/bin/su") listed in Allow-Setuid? */
bool spk_info_allows_setuid(const struct spk_info *info, const char *path);

/* "name-version-arch.tar.xz" into buf. */
void spk_info_filename(const struct spk_info *info, char *buf, size_t n);

#endif
