/* The intent journal, {root}/var/lib/spk/journal: a transaction's complete plan, written
 * atomically (spk_atomic_write) before the first change on disk and removed after the last.
 * Text, one record a line, paths escaped (path.h):
 *
 *   Format: spk-journal 1
 *   Transaction: 13         the id the database will carry once this commits
 *   + hello 1.0-r1          packages going in (name version) ...
 *   - hello 1.0-r0          ... and out
 *   D usr/share/hello       directory this transaction creates
 *   N usr/bin/hello         file, link or symlink that did not exist (staged, then renamed)
 *   R usr/bin/hi            one that replaces an existing file (the old one kept as backup)
 *   X usr/share/old         removed after the commit point
 *   Y usr/share/olddir      directory removed (if empty) after the commit point
 *   W+ hello / W- bye       world changes applied after the commit point
 *   H hello .post-install 1.0-r1 1.0-r0    post-commit hook to run (name hook new [old])
 *   End
 */
#ifndef SPK_JOURNAL_H
#define SPK_JOURNAL_H

#include "libspk/buf.h"
#include "libspk/err.h"

#include <stdbool.h>
#include <stddef.h>

struct spk_jrec {
	char kind;   /* '+', '-', 'D', 'N', 'R', 'X', 'Y', 'W', 'H' */
	char *arg;   /* path, package name, or "+name"/"-name" for W */
	char *extra; /* version(s) or hook line remainder; may be NULL */
};

struct spk_journal {
	unsigned long long txid;
	struct spk_jrec *v;
	size_t n, cap;
};

void spk_journal_init(struct spk_journal *j, unsigned long long txid);
void spk_journal_release(struct spk_journal *j);
/* Copies arg and extra. */
int spk_journal_add(struct spk_journal *j, char kind, const char *arg, const char *extra);

int spk_journal_format(const struct spk_journal *j, struct spk_buf *out);
/* -ENOENT when there is no journal. An incomplete file (no End line) cannot exist since the
 * journal is replaced atomically; it is still refused, as corrupt. */
int spk_journal_load(struct spk_journal *j, int rootfd, struct spk_err *e);

/* Names beside path for a staged file and for the backup of the file it replaces:
 * "dir/.spk-new.<hash>" and "dir/.spk-old.<hash>", the hash of the whole path. */
void spk_journal_staged_name(const char *path, char *out, size_t n);
void spk_journal_backup_name(const char *path, char *out, size_t n);

#endif
