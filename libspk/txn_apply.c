/* Carrying out a planned transaction; see the state diagram in txn.h. */
#include "libspk/txn.h"

#include "libspk/atomic.h"
#include "libspk/dbindex.h"
#include "libspk/dirfd.h"
#include "libspk/path.h"
#include "libspk/version.h"
#include "libspk/world.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int spk_txn_begin(struct spk_txn *t, struct spk_root *root, struct spk_err *e)
{
	int r;

	memset(t, 0, sizeof(*t));
	t->root = root;
	spk_db_init(&t->db);
	spk_strmap_init(&t->transfer);
	spk_strmap_init(&t->final);
	spk_journal_init(&t->journal, 0);
	if (!root->dry_run) {
		r = spk_root_lock(root, e);
		if (r < 0)
			return r;
		r = spk_root_recover(root, e);
		if (r < 0)
			return r;
	}
	return spk_db_load(&t->db, root->fd, e);
}

void spk_txn_release(struct spk_txn *t)
{
	struct { void *v; } *owners = t->owners;

	for (size_t i = 0; i < t->n_adds; i++) {
		spk_pkg_close(t->adds[i]);
		free(t->adds[i]);
	}
	free(t->adds);
	for (size_t i = 0; i < t->n_removes; i++)
		free(t->removes[i]);
	free(t->removes);
	for (size_t i = 0; i < t->n_explicit; i++)
		free(t->explicit[i]);
	free(t->explicit);
	for (size_t i = 0; i < t->n_steps; i++) {
		free(t->steps[i].name);
		free(t->steps[i].old_version);
		free(t->steps[i].new_version);
	}
	free(t->steps);
	if (owners)
		free(owners->v);
	free(owners);
	spk_strmap_release(&t->transfer);
	spk_strmap_release(&t->final);
	spk_journal_release(&t->journal);
	spk_db_release(&t->db);
	memset(t, 0, sizeof(*t));
}

int spk_txn_add_file(struct spk_txn *t, const char *path, struct spk_err *e)
{
	struct spk_pkg *p = calloc(1, sizeof(*p)), **v;
	int r;

	if (!p)
		return spk_fail(e, -ENOMEM, path, NULL);
	r = spk_pkg_open(p, path, e);
	if (r < 0) {
		free(p);
		return r;
	}
	spk_pkg_suspend(p);
	v = realloc(t->adds, (t->n_adds + 1) * sizeof(*v));
	if (!v) {
		spk_pkg_close(p);
		free(p);
		return spk_fail(e, -ENOMEM, path, NULL);
	}
	t->adds = v;
	v[t->n_adds++] = p;
	return 0;
}

int spk_txn_mark_explicit(struct spk_txn *t, const char *name, struct spk_err *e)
{
	char **v = realloc(t->explicit, (t->n_explicit + 1) * sizeof(*v));

	if (!v)
		return spk_fail(e, -ENOMEM, name, NULL);
	t->explicit = v;
	v[t->n_explicit] = strdup(name);
	if (!v[t->n_explicit])
		return spk_fail(e, -ENOMEM, name, NULL);
	t->n_explicit++;
	return 0;
}

static bool is_explicit(const struct spk_txn *t, const char *name)
{
	for (size_t i = 0; i < t->n_explicit; i++)
		if (!strcmp(t->explicit[i], name))
			return true;
	return false;
}

int spk_txn_remove(struct spk_txn *t, const char *name, struct spk_err *e)
{
	char **v = realloc(t->removes, (t->n_removes + 1) * sizeof(*v));

	if (!v)
		return spk_fail(e, -ENOMEM, name, NULL);
	t->removes = v;
	v[t->n_removes] = strdup(name);
	if (!v[t->n_removes])
		return spk_fail(e, -ENOMEM, name, NULL);
	t->n_removes++;
	return 0;
}

static const struct spk_jrec *jrec_for(const struct spk_journal *j, const char *path,
				       size_t *cursor)
{
	/* Records for one package's paths are in manifest order, so a moving cursor finds
	 * them without a search; fall back to a scan when out of step. */
	for (size_t k = 0; k < 2; k++) {
		for (size_t i = k ? 0 : *cursor; i < j->n; i++) {
			const struct spk_jrec *rec = &j->v[i];

			if ((rec->kind == 'D' || rec->kind == 'N' || rec->kind == 'R') &&
			    !strcmp(rec->arg, path)) {
				*cursor = i + 1;
				return rec;
			}
		}
	}
	return NULL;
}

static int stage_file(struct spk_pkg *p, const struct spk_fentry *fe, int dirfd,
		      const char *staged, long long mtime, struct spk_err *e)
{
	struct timespec ts[2] = { { mtime, 0 }, { mtime, 0 } };
	int fd, r;

	unlinkat(dirfd, staged, 0);
	fd = openat(dirfd, staged, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return spk_fail(e, -errno, fe->path, NULL);
	r = spk_pkg_read_data(p, fe, fd, e);
	if (r == 0 && fchmod(fd, fe->mode) < 0)
		r = spk_fail(e, -errno, fe->path, NULL);
	if (r == 0 && futimens(fd, ts) < 0)
		r = spk_fail(e, -errno, fe->path, NULL);
	if (close(fd) < 0 && r == 0)
		r = spk_fail(e, -errno, fe->path, NULL);
	return r;
}

/* Unpacks one package: directories made in place (they are new), everything else staged. */
static int stage_package(struct spk_txn *t, struct spk_pkg *p, size_t *cursor,
			 struct spk_err *e)
{
	struct spk_dircache dc;
	const struct spk_fentry *fe;
	long long mtime = p->info.build_date > 0 ? p->info.build_date : 0;
	int r;

	r = spk_pkg_resume(p, e);
	if (r < 0)
		return r;
	spk_dircache_init(&dc, t->root->fd);
	while ((r = spk_pkg_next(p, &fe, e)) > 0) {
		const struct spk_jrec *rec = jrec_for(&t->journal, fe->path, cursor);
		char staged[SPK_PATH_MAX + 40];
		const char *base, *sbase;
		int dirfd;

		if (fe->type == SPK_FT_DIR && !rec) {
			continue; /* already there */
		}
		if (!rec) {
			r = spk_fail(e, -EINVAL, fe->path, "not in the journal");
			break;
		}
		dirfd = spk_dircache_parent(&dc, fe->path, &base);
		if (dirfd < 0) {
			if (dirfd == -ELOOP || dirfd == -EXDEV || dirfd == -ENOTDIR)
				r = spk_fail(e, -SPK_EUNSAFE, p->what, "/%s: path through a symlink",
					     fe->path);
			else
				r = spk_fail(e, dirfd, fe->path, NULL);
			break;
		}
		if (fe->type == SPK_FT_DIR) {
			int fd;

			if (mkdirat(dirfd, base, 0700) < 0 && errno != EEXIST) {
				r = spk_fail(e, -errno, fe->path, NULL);
				break;
			}
			/* A hook may have planted a symlink here since the plan: open without
			 * following it, and set the mode through that fd only. */
			fd = openat(dirfd, base, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (fd < 0) {
				r = spk_fail(e, -SPK_EUNSAFE, p->what, "/%s: %s", fe->path,
					     errno == ELOOP || errno == ENOTDIR
						     ? "path through a symlink (made during the "
						       "transaction)"
						     : strerror(errno));
				break;
			}
			if (fchmod(fd, fe->mode) < 0)
				r = spk_fail(e, -errno, fe->path, NULL);
			close(fd);
			if (r < 0)
				break;
			continue;
		}
		spk_journal_staged_name(fe->path, staged, sizeof(staged));
		sbase = strrchr(staged, '/') ? strrchr(staged, '/') + 1 : staged;
		if (fe->type == SPK_FT_FILE) {
			r = stage_file(p, fe, dirfd, sbase, mtime, e);
		} else if (fe->type == SPK_FT_SYMLINK) {
			struct timespec ts[2] = { { mtime, 0 }, { mtime, 0 } };

			unlinkat(dirfd, sbase, 0);
			if (symlinkat(fe->target, dirfd, sbase) < 0)
				r = spk_fail(e, -errno, fe->path, NULL);
			else
				utimensat(dirfd, sbase, ts, AT_SYMLINK_NOFOLLOW);
		} else {
			char tstaged[SPK_PATH_MAX + 40];
			int tfd;

			spk_journal_staged_name(fe->target, tstaged, sizeof(tstaged));
			tfd = spk_dirfd_open(t->root->fd, ".");
			if (tfd < 0) {
				r = spk_fail(e, tfd, fe->path, NULL);
				break;
			}
			unlinkat(dirfd, sbase, 0);
			{
				/* both names are checked paths below the root, resolved
				 * without symlinks through their parents' fds */
				struct spk_dircache tc;
				const char *tb;
				int tdir;

				spk_dircache_init(&tc, t->root->fd);
				tdir = spk_dircache_parent(&tc, tstaged, &tb);
				if (tdir < 0 || linkat(tdir, tb, dirfd, sbase, 0) < 0)
					r = spk_fail(e, tdir < 0 ? tdir : -errno, fe->path, NULL);
				spk_dircache_release(&tc);
			}
			close(tfd);
		}
		if (r < 0)
			break;
	}
	spk_dircache_release(&dc);
	spk_pkg_suspend(p);
	return r;
}

static int rename_into_place(struct spk_txn *t, struct spk_err *e)
{
	struct spk_dircache dc;
	int r = 0;

	spk_dircache_init(&dc, t->root->fd);
	for (size_t i = 0; i < t->journal.n; i++) {
		const struct spk_jrec *rec = &t->journal.v[i];
		char staged[SPK_PATH_MAX + 40], backup[SPK_PATH_MAX + 40];
		const char *base, *sbase, *bbase;
		int dirfd;

		if (rec->kind != 'N' && rec->kind != 'R')
			continue;
		dirfd = spk_dircache_parent(&dc, rec->arg, &base);
		if (dirfd < 0) {
			r = spk_fail(e, dirfd, rec->arg, NULL);
			break;
		}
		spk_journal_staged_name(rec->arg, staged, sizeof(staged));
		sbase = strrchr(staged, '/') ? strrchr(staged, '/') + 1 : staged;
		if (rec->kind == 'R') {
			spk_journal_backup_name(rec->arg, backup, sizeof(backup));
			bbase = strrchr(backup, '/') ? strrchr(backup, '/') + 1 : backup;
			unlinkat(dirfd, bbase, 0);
			if (linkat(dirfd, base, dirfd, bbase, 0) < 0) {
				r = spk_fail(e, -errno, rec->arg, "cannot keep a backup: %s",
					     spk_strerror(-errno));
				break;
			}
		}
		if (renameat(dirfd, sbase, dirfd, base) < 0) {
			r = spk_fail(e, -errno, rec->arg, NULL);
			break;
		}
	}
	spk_dircache_release(&dc);
	return r;
}

/* The new database: leaving packages out, new ones in, paths taken over by Replaces dropped
 * from their old owner. Moves the packages' info and records out of the steps. */
static int build_db(struct spk_txn *t, struct spk_err *e)
{
	for (size_t i = 0; i < t->db.n; i++) {
		struct spk_dbpkg *p = &t->db.pkgs[i];
		size_t w = 0;

		if (!t->transfer.n)
			break;
		for (size_t f = 0; f < p->files.n; f++) {
			if (spk_strmap_get(&t->transfer, p->files.v[f].path) == p) {
				free(p->files.v[f].path);
				free(p->files.v[f].target);
				continue;
			}
			p->files.v[w++] = p->files.v[f];
		}
		p->files.n = w;
	}
	for (size_t i = 0; i < t->n_steps; i++) {
		struct spk_step *s = &t->steps[i];

		if (s->kind == SPK_STEP_REMOVE) {
			s->old = NULL;
			spk_db_drop(&t->db, s->name);
		}
	}
	for (size_t i = 0; i < t->n_steps; i++) {
		struct spk_step *s = &t->steps[i];
		struct spk_dbpkg np;

		if (!s->pkg)
			continue;
		s->old = NULL; /* replaced by spk_db_put below */
		memset(&np, 0, sizeof(np));
		np.info = s->pkg->info;
		np.files = s->pkg->manifest;
		for (int h = 0; h < SPK_HOOK_COUNT; h++) {
			np.hooks[h] = s->pkg->hooks[h];
			np.hook_len[h] = s->pkg->hook_len[h];
			s->pkg->hooks[h] = NULL;
		}
		memset(&s->pkg->info, 0, sizeof(s->pkg->info));
		spk_manifest_init(&s->pkg->manifest);
		if (spk_db_put(&t->db, &np) < 0) {
			spk_dbpkg_release(&np);
			return spk_fail(e, -ENOMEM, "database", NULL);
		}
	}
	t->db.txid = t->journal.txid;
	return 0;
}

static int db_writer(void *db, int fd)
{
	return spk_db_write(db, fd);
}

/* Streamed: at 100,000 files the text is ~10 MB that need not sit in memory. */
static int write_db(struct spk_txn *t, struct spk_err *e)
{
	return spk_atomic_write_with(t->root->fd, SPK_DB_PATH, 0644, t->root->sync, db_writer,
				     &t->db, e);
}

static void warn(struct spk_root *root, const char *what, const char *msg)
{
	if (root->on_warning)
		root->on_warning(root->cb_arg, what, msg);
}


static int run_pre_hooks(struct spk_txn *t, struct spk_err *e)
{
	for (size_t i = 0; i < t->n_steps; i++) {
		const struct spk_step *s = &t->steps[i];
		enum spk_hook h = s->kind == SPK_STEP_INSTALL	? SPK_HOOK_PRE_INSTALL
				  : s->kind == SPK_STEP_UPGRADE ? SPK_HOOK_PRE_UPGRADE
								: SPK_HOOK_PRE_REMOVE;
		const char *script = s->pkg ? s->pkg->hooks[h] : s->old->hooks[h];
		size_t len = s->pkg ? s->pkg->hook_len[h] : s->old->hook_len[h];
		int r;

		if (!script)
			continue;
		r = spk_hook_run(t->root, s->name, h, script, len,
				 s->new_version ? s->new_version : s->old_version,
				 s->new_version ? s->old_version : NULL, e);
		if (r < 0)
			return r;
		if (r > 0)
			spk_hook_skipped(t->root, s->name, h);
	}
	return 0;
}

/* World changes and post-commit hooks go into the journal, so recovery can redo them. */
static int journal_after_commit(struct spk_txn *t, struct spk_err *e)
{
	for (size_t i = 0; i < t->n_steps; i++) {
		const struct spk_step *s = &t->steps[i];
		char extra[600], w[300];
		enum spk_hook h = s->kind == SPK_STEP_INSTALL	? SPK_HOOK_POST_INSTALL
				  : s->kind == SPK_STEP_UPGRADE ? SPK_HOOK_POST_UPGRADE
								: SPK_HOOK_POST_REMOVE;
		bool has = s->pkg ? s->pkg->hooks[h] != NULL : s->old->hooks[h] != NULL;

		snprintf(w, sizeof(w), "%c%s", s->kind == SPK_STEP_REMOVE ? '-' : '+', s->name);
		if ((s->kind == SPK_STEP_REMOVE || is_explicit(t, s->name)) &&
		    spk_journal_add(&t->journal, 'W', w, NULL) < 0)
			return spk_fail(e, -ENOMEM, "journal", NULL);
		if (!has || h == SPK_HOOK_POST_REMOVE)
			continue; /* post-remove runs from memory; its script leaves the db */
		snprintf(extra, sizeof(extra), "%s %s%s%s", spk_hook_name(h), s->new_version,
			 s->old_version ? " " : "", s->old_version ? s->old_version : "");
		if (spk_journal_add(&t->journal, 'H', s->name, extra) < 0)
			return spk_fail(e, -ENOMEM, "journal", NULL);
	}
	return 0;
}


/* Nothing to install (the versions asked for are there): the names may still become explicit. */
static int mark_world_only(struct spk_txn *t, struct spk_err *e)
{
	struct spk_world w;
	bool changed = false;
	int r;

	if (!t->n_explicit)
		return 0;
	r = spk_world_load(&w, t->root->fd, e);
	if (r < 0)
		return r;
	for (size_t i = 0; r == 0 && i < t->n_explicit; i++) {
		if (spk_world_has(&w, t->explicit[i]))
			continue;
		changed = true;
		if (spk_world_add(&w, t->explicit[i]) < 0)
			r = spk_fail(e, -ENOMEM, SPK_WORLD_PATH, NULL);
	}
	if (r == 0 && changed)
		r = spk_world_save(&w, t->root->fd, t->root->sync, e);
	spk_world_release(&w);
	return r;
}

int spk_txn_commit(struct spk_txn *t, struct spk_err *e)
{
	struct spk_buf jtext = SPK_BUF_INIT;
	struct spk_dbpkg *removed = NULL;
	size_t n_removed = 0;
	int r;

	if (!t->planned)
		return spk_fail(e, -EINVAL, "transaction", "not planned");
	if (t->n_steps == 0)
		return t->root->dry_run ? 0 : mark_world_only(t, e);
	for (size_t i = 0; i < t->n_steps; i++) {
		const struct spk_step *s = &t->steps[i];

		if (t->root->on_action)
			t->root->on_action(t->root->cb_arg,
					   s->kind == SPK_STEP_INSTALL ? "installing"
					   : s->kind == SPK_STEP_REMOVE ? "removing"
					   : spk_version_cmp(s->new_version, s->old_version) < 0
						   ? "downgrading"
						   : "upgrading",
					   s->name, s->old_version, s->new_version);
	}
	if (t->root->dry_run)
		return 0;
	r = journal_after_commit(t, e);
	if (r < 0)
		return r;
	r = spk_journal_format(&t->journal, &jtext);
	if (r < 0) {
		spk_buf_release(&jtext);
		return spk_fail(e, r, "journal", NULL);
	}
	r = spk_mkdirs(t->root->fd, SPK_STATE_DIR, e);
	if (r == 0)
		r = spk_atomic_write(t->root->fd, SPK_JOURNAL_PATH, jtext.data, jtext.len, 0644,
				     t->root->sync, e);
	spk_buf_release(&jtext);
	if (r < 0)
		return r;
	/* --- JOURNALED: from here on, a failure rolls back --- */
	r = run_pre_hooks(t, e);
	{
		size_t cursor = 0;

		for (size_t i = 0; r == 0 && i < t->n_steps; i++)
			if (t->steps[i].pkg)
				r = stage_package(t, t->steps[i].pkg, &cursor, e);
	}
	if (r == 0 && t->root->sync && syncfs(t->root->fd) < 0)
		r = spk_fail(e, -errno, t->root->path, "syncfs failed");
	if (r == 0)
		r = rename_into_place(t, e);
	if (r < 0) {
		struct spk_err e2 = { 0 };

		if (spk_txn_roll_back(t->root, &t->journal, &e2) < 0)
			warn(t->root, e2.what, spk_err_why(&e2));
		return r;
	}
	/* Post-remove scripts leave the database with their package: keep them for later. */
	for (size_t i = 0; i < t->n_steps; i++) {
		struct spk_step *s = &t->steps[i];

		if (s->kind == SPK_STEP_REMOVE && s->old->hooks[SPK_HOOK_POST_REMOVE]) {
			struct spk_dbpkg *v = realloc(removed, (n_removed + 1) * sizeof(*v));

			if (!v) {
				struct spk_err e2 = { 0 };

				spk_txn_roll_back(t->root, &t->journal, &e2);
				free(removed);
				return spk_fail(e, -ENOMEM, "transaction", NULL);
			}
			removed = v;
			memset(&removed[n_removed], 0, sizeof(*removed));
			removed[n_removed].info.name = strdup(s->name);
			removed[n_removed].info.version = strdup(s->old_version);
			removed[n_removed].hooks[SPK_HOOK_POST_REMOVE] =
				s->old->hooks[SPK_HOOK_POST_REMOVE];
			removed[n_removed].hook_len[SPK_HOOK_POST_REMOVE] =
				s->old->hook_len[SPK_HOOK_POST_REMOVE];
			s->old->hooks[SPK_HOOK_POST_REMOVE] = NULL;
			n_removed++;
		}
	}
	r = build_db(t, e);
	if (r == 0)
		r = write_db(t, e);
	if (r < 0) {
		struct spk_err e2 = { 0 };

		if (spk_txn_roll_back(t->root, &t->journal, &e2) < 0)
			warn(t->root, e2.what, spk_err_why(&e2));
		goto out;
	}
	/* --- COMMITTED: whatever happens now, the transaction happened --- */
	if (spk_txn_finish(t->root, &t->journal, &t->db, e) < 0) {
		warn(t->root, e->what, spk_err_why(e));
		spk_err_clear(e);
	}
	r = 0;
	for (size_t i = 0; i < n_removed; i++) {
		struct spk_err he = { 0 };

		int hr = spk_hook_run(t->root, removed[i].info.name, SPK_HOOK_POST_REMOVE,
				      removed[i].hooks[SPK_HOOK_POST_REMOVE],
				      removed[i].hook_len[SPK_HOOK_POST_REMOVE],
				      removed[i].info.version, NULL, &he);

		if (hr < 0)
			warn(t->root, he.what, spk_err_why(&he));
		else if (hr > 0)
			spk_hook_skipped(t->root, removed[i].info.name, SPK_HOOK_POST_REMOVE);
	}
out:
	for (size_t i = 0; i < n_removed; i++) {
		free(removed[i].info.name);
		free(removed[i].info.version);
		free(removed[i].hooks[SPK_HOOK_POST_REMOVE]);
	}
	free(removed);
	return r;
}
