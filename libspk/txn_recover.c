/* Finishing an interrupted transaction from its journal: backwards before the commit point,
 * forwards after it (txn.h, invariant I4). Every step tolerates having been done already. */
#include "libspk/txn.h"

#include "libspk/atomic.h"
#include "libspk/dbindex.h"
#include "libspk/dirfd.h"
#include "libspk/path.h"
#include "libspk/world.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *base_of(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? s + 1 : p;
}

static int remove_journal(struct spk_root *root, struct spk_err *e)
{
	if (unlinkat(root->fd, SPK_JOURNAL_PATH, 0) < 0 && errno != ENOENT)
		return spk_fail(e, -errno, SPK_JOURNAL_PATH, NULL);
	if (root->sync)
		spk_fsync_parent(root->fd, SPK_JOURNAL_PATH);
	return 0;
}

int spk_txn_roll_back(struct spk_root *root, const struct spk_journal *j, struct spk_err *e)
{
	struct spk_dircache dc;
	int r = 0;

	spk_dircache_init(&dc, root->fd);
	for (size_t i = j->n; i-- > 0;) {
		const struct spk_jrec *rec = &j->v[i];
		char staged[SPK_PATH_MAX + 40], backup[SPK_PATH_MAX + 40];
		const char *base;
		int dirfd;

		if (rec->kind != 'N' && rec->kind != 'R' && rec->kind != 'D')
			continue;
		dirfd = spk_dircache_parent(&dc, rec->arg, &base);
		/* Never made, or replaced by a symlink (a hook's doing): nothing of ours can be
		 * reached there without following a link out of the root. */
		if (dirfd == -ENOENT || dirfd == -ELOOP || dirfd == -ENOTDIR || dirfd == -EXDEV)
			continue;
		if (dirfd < 0) {
			r = spk_fail(e, dirfd, rec->arg, "cannot roll back: %s",
				     spk_strerror(dirfd));
			continue;
		}
		if (rec->kind == 'D') {
			unlinkat(dirfd, base, AT_REMOVEDIR);
			continue;
		}
		spk_journal_staged_name(rec->arg, staged, sizeof(staged));
		spk_journal_backup_name(rec->arg, backup, sizeof(backup));
		if (rec->kind == 'R') {
			/* the backup is the original: put it back if the rename happened */
			if (renameat(dirfd, base_of(backup), dirfd, base) < 0 && errno != ENOENT)
				r = spk_fail(e, -errno, rec->arg, "cannot restore: %s",
					     spk_strerror(-errno));
			unlinkat(dirfd, base_of(backup), 0); /* same inode as base: rename was a no-op */
		} else if (faccessat(dirfd, base_of(staged), F_OK, AT_SYMLINK_NOFOLLOW) < 0) {
			/* not staged (any more): if the path exists, this transaction made it */
			unlinkat(dirfd, base, 0);
		}
		unlinkat(dirfd, base_of(staged), 0);
	}
	spk_dircache_release(&dc);
	if (r == 0)
		r = remove_journal(root, e);
	return r;
}

static void warn(struct spk_root *root, const char *what, const char *msg)
{
	if (root->on_warning)
		root->on_warning(root->cb_arg, what, msg);
}

int spk_txn_finish(struct spk_root *root, const struct spk_journal *j, const struct spk_db *db,
		   struct spk_err *e)
{
	struct spk_dircache dc;
	struct spk_world world;
	bool world_changed = false;
	int r;

	spk_dircache_init(&dc, root->fd);
	for (size_t i = 0; i < j->n; i++) {
		const struct spk_jrec *rec = &j->v[i];
		char staged[SPK_PATH_MAX + 40], backup[SPK_PATH_MAX + 40];
		const char *base;
		int dirfd;

		if (rec->kind != 'N' && rec->kind != 'R' && rec->kind != 'X' && rec->kind != 'Y')
			continue;
		dirfd = spk_dircache_parent(&dc, rec->arg, &base);
		if (dirfd < 0)
			continue; /* gone already */
		switch (rec->kind) {
		case 'N':
		case 'R':
			spk_journal_staged_name(rec->arg, staged, sizeof(staged));
			if (renameat(dirfd, base_of(staged), dirfd, base) < 0 && errno != ENOENT)
				warn(root, rec->arg, strerror(errno));
			if (rec->kind == 'R') {
				spk_journal_backup_name(rec->arg, backup, sizeof(backup));
				unlinkat(dirfd, base_of(backup), 0);
			}
			break;
		case 'X':
			if (unlinkat(dirfd, base, 0) < 0 && errno != ENOENT)
				warn(root, rec->arg, strerror(errno));
			break;
		case 'Y':
			unlinkat(dirfd, base, AT_REMOVEDIR); /* kept when not empty */
			break;
		}
	}
	spk_dircache_release(&dc);

	r = spk_world_load(&world, root->fd, e);
	if (r < 0)
		return r;
	for (size_t i = 0; i < j->n; i++) {
		const struct spk_jrec *rec = &j->v[i];

		if (rec->kind != 'W')
			continue;
		world_changed = true;
		if (rec->arg[0] == '+' && spk_world_add(&world, rec->arg + 1) < 0) {
			spk_world_release(&world);
			return spk_fail(e, -ENOMEM, SPK_WORLD_PATH, NULL);
		}
		if (rec->arg[0] == '-')
			spk_world_del(&world, rec->arg + 1);
	}
	if (world_changed)
		r = spk_world_save(&world, root->fd, root->sync, e);
	spk_world_release(&world);
	if (r < 0)
		return r;
	spk_dbindex_update(root->fd, db);

	for (size_t i = 0; i < j->n; i++) {
		const struct spk_jrec *rec = &j->v[i];
		const struct spk_dbpkg *p;
		char hook[64], newv[256], oldv[256];
		int h, n;
		struct spk_err he = { 0 };

		if (rec->kind != 'H' || !rec->extra)
			continue;
		oldv[0] = '\0';
		n = sscanf(rec->extra, "%63s %255s %255s", hook, newv, oldv);
		h = n >= 2 ? spk_hook_from_name(hook) : -1;
		p = spk_db_find(db, rec->arg);
		if (h < 0 || !p || !p->hooks[h])
			continue;
		n = spk_hook_run(root, rec->arg, h, p->hooks[h], p->hook_len[h], newv,
				 oldv[0] ? oldv : NULL, &he);
		if (n < 0)
			warn(root, he.what, spk_err_why(&he));
		else if (n > 0)
			spk_hook_skipped(root, rec->arg, h);
	}
	return remove_journal(root, e);
}

int spk_txn_recover(struct spk_root *root, struct spk_err *e)
{
	struct spk_journal j;
	struct spk_db db;
	int r = spk_journal_load(&j, root->fd, e);

	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return r;
	r = spk_db_load(&db, root->fd, e);
	if (r == 0) {
		if (db.txid == j.txid)
			r = spk_txn_finish(root, &j, &db, e);
		else
			r = spk_txn_roll_back(root, &j, e);
		spk_db_release(&db);
	}
	spk_journal_release(&j);
	return r;
}
