/* Reading a package file (ARCHITECTURE.md §2): the head (.SPKINFO, .SPKMANIFEST, hook scripts)
 * at open, then the tree members one by one, each checked against the package's own record and
 * against the refusals of §2 before anything is handed to the caller. */
#ifndef SPK_PKG_H
#define SPK_PKG_H

#include "libspk/err.h"
#include "libspk/info.h"
#include "libspk/manifest.h"

#include <stdbool.h>
#include <stddef.h>

enum spk_hook {
	SPK_HOOK_PRE_INSTALL,
	SPK_HOOK_POST_INSTALL,
	SPK_HOOK_PRE_UPGRADE,
	SPK_HOOK_POST_UPGRADE,
	SPK_HOOK_PRE_REMOVE,
	SPK_HOOK_POST_REMOVE,
	SPK_HOOK_COUNT,
};

#define SPK_HOOK_MAX (1024 * 1024) /* a hook script larger than this is refused */

/* ".post-install" for SPK_HOOK_POST_INSTALL. */
const char *spk_hook_name(enum spk_hook h);
/* -1 when name is not a hook's. */
int spk_hook_from_name(const char *name);

struct archive;
struct archive_entry;

struct spk_pkg {
	char *what; /* the file's name, for errors */
	struct spk_info info;
	struct spk_manifest manifest;
	char *hooks[SPK_HOOK_COUNT]; /* script text or NULL */
	size_t hook_len[SPK_HOOK_COUNT];
	/* reading state */
	struct archive *a;
	struct archive_entry *pending; /* a header read but not yet handed out */
	unsigned char *seen;	       /* per manifest entry */
	bool at_eof;
	int fd;
	char *path;		    /* to reopen after spk_pkg_suspend() */
	unsigned char head_sha[32]; /* of the head's members, to know it is the same file */
};

/* Opens path and reads the head. On failure p is closed. Close with spk_pkg_close(). */
int spk_pkg_open(struct spk_pkg *p, const char *path, struct spk_err *e);

/* The next tree member, checked: *fe points into p->manifest. Returns 1, 0 at the end (having
 * checked that every recorded entry was present) or a negative code. For files the caller must
 * then call spk_pkg_read_data() before the next call. */
int spk_pkg_next(struct spk_pkg *p, const struct spk_fentry **fe, struct spk_err *e);

/* Streams the current file's content to fd (-1 discards it), checking size and SHA-256 against
 * the record; the bytes are in fd even on a mismatch, so the caller removes its output then. */
int spk_pkg_read_data(struct spk_pkg *p, const struct spk_fentry *fe, int fd, struct spk_err *e);

/* Reads every member and checks it without writing anything. */
int spk_pkg_check_all(struct spk_pkg *p, struct spk_err *e);

/* Closes the file but keeps the head, so a transaction of thousands of packages holds no
 * descriptors or decoders open between planning and unpacking. */
void spk_pkg_suspend(struct spk_pkg *p);
/* Reopens a suspended package and skips its head, refusing a file whose head changed meanwhile. */
int spk_pkg_resume(struct spk_pkg *p, struct spk_err *e);

/* Releases everything; safe on a closed or zeroed p. */
void spk_pkg_close(struct spk_pkg *p);

/* Just the head: name/version/relations of a package file (for index, plan). */
int spk_pkg_read_info(const char *path, struct spk_info *info, struct spk_err *e);

#endif
