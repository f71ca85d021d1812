/* Planning a transaction: which packages go in and out, and what happens to every path. */
#include "libspk/txn.h"

#include "libspk/path.h"
#include "libspk/version.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Who owns a path once the transaction is done. */
struct owner {
	const struct spk_fentry *fe;
	const struct spk_info *info;
	const struct spk_dbpkg *installed; /* NULL for a package being installed */
};

struct owners {
	struct owner *v;
	size_t n, cap;
};

static struct owner *owner_new(struct owners *o)
{
	if (o->n == o->cap) {
		/* fixed blocks: pointers into the array must stay valid */
		return NULL;
	}
	return &o->v[o->n++];
}

static const struct spk_step *step_for(const struct spk_txn *t, const char *name)
{
	for (size_t i = 0; i < t->n_steps; i++)
		if (!strcmp(t->steps[i].name, name))
			return &t->steps[i];
	return NULL;
}

static bool is_leaving(const struct spk_txn *t, const struct spk_dbpkg *p)
{
	const struct spk_step *s = step_for(t, p->info.name);

	return s && s->old == p;
}

static int add_step(struct spk_txn *t, enum spk_step_kind kind, struct spk_pkg *pkg,
		    struct spk_dbpkg *old, struct spk_err *e)
{
	struct spk_step *v = realloc(t->steps, (t->n_steps + 1) * sizeof(*v)), *s;

	if (!v)
		return spk_fail(e, -ENOMEM, "plan", NULL);
	t->steps = v;
	s = &v[t->n_steps];
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	s->pkg = pkg;
	s->old = old;
	s->name = strdup(pkg ? pkg->info.name : old->info.name);
	s->old_version = old ? strdup(old->info.version) : NULL;
	s->new_version = pkg ? strdup(pkg->info.version) : NULL;
	if (!s->name || (old && !s->old_version) || (pkg && !s->new_version)) {
		free(s->name);
		free(s->old_version);
		free(s->new_version);
		return spk_fail(e, -ENOMEM, "plan", NULL);
	}
	t->n_steps++;
	return 0;
}

/* Does info (name or a provided name, with its version) satisfy relation r? */
static bool info_satisfies(const struct spk_info *info, const struct spk_relation *r)
{
	if (!strcmp(info->name, r->name) && spk_relation_version_ok(r, info->version))
		return true;
	for (size_t i = 0; i < info->provides.n; i++) {
		const struct spk_relation *p = &info->provides.v[i];

		if (strcmp(p->name, r->name))
			continue;
		if (r->op == SPK_OP_ANY || (p->version && spk_relation_version_ok(r, p->version)))
			return true;
	}
	return false;
}

/* Visits the packages present after the transaction; stops when fn returns true. */
static const struct spk_info *find_after(const struct spk_txn *t, const struct spk_relation *r,
					 const struct spk_info *skip)
{
	for (size_t i = 0; i < t->db.n; i++) {
		const struct spk_dbpkg *p = &t->db.pkgs[i];

		if (!is_leaving(t, p) && &p->info != skip && info_satisfies(&p->info, r))
			return &p->info;
	}
	for (size_t i = 0; i < t->n_steps; i++) {
		const struct spk_step *s = &t->steps[i];

		if (s->pkg && &s->pkg->info != skip && info_satisfies(&s->pkg->info, r))
			return &s->pkg->info;
	}
	return NULL;
}

static const struct spk_info *find_before(const struct spk_txn *t, const struct spk_relation *r)
{
	for (size_t i = 0; i < t->db.n; i++)
		if (info_satisfies(&t->db.pkgs[i].info, r))
			return &t->db.pkgs[i].info;
	return NULL;
}

static const struct spk_relation *matching(const struct spk_relations *rels,
					   const struct spk_info *info)
{
	for (size_t i = 0; i < rels->n; i++)
		if (info_satisfies(info, &rels->v[i]))
			return &rels->v[i];
	return NULL;
}

/* Conflicts either way between a package going in and an installed one that stays: removed if
 * the newcomer also Replaces it (a rename), refused otherwise. */
static int plan_conflicts(struct spk_txn *t, struct spk_err *e)
{
	for (size_t i = 0; i < t->n_steps; i++) {
		struct spk_pkg *n = t->steps[i].pkg;

		if (!n)
			continue;
		for (size_t k = 0; k < t->db.n; k++) {
			struct spk_dbpkg *p = &t->db.pkgs[k];
			int r;

			if (is_leaving(t, p) || !strcmp(p->info.name, n->info.name))
				continue;
			if (!matching(&n->info.conflicts, &p->info) &&
			    !matching(&p->info.conflicts, &n->info))
				continue;
			if (!matching(&n->info.replaces, &p->info))
				return spk_fail(e, -SPK_ECONFLICT, n->info.name,
						"conflicts with installed %s %s", p->info.name,
						p->info.version);
			r = add_step(t, SPK_STEP_REMOVE, NULL, p, e);
			if (r < 0)
				return r;
		}
		for (size_t k = i + 1; k < t->n_steps; k++) {
			struct spk_pkg *m = t->steps[k].pkg;

			if (m && (matching(&n->info.conflicts, &m->info) ||
				  matching(&m->info.conflicts, &n->info)))
				return spk_fail(e, -SPK_ECONFLICT, n->info.name,
						"conflicts with %s %s, also being installed",
						m->info.name, m->info.version);
		}
	}
	return 0;
}

/* Every package present afterwards has its dependencies. New packages are checked in full;
 * installed ones only for what this transaction takes away, so an already broken system does
 * not block unrelated work. With cascade, dependents of removed packages go too. */
static int plan_depends(struct spk_txn *t, struct spk_err *e)
{
	bool again = true;
	char rel[600];

	for (size_t i = 0; i < t->n_steps; i++) {
		const struct spk_pkg *n = t->steps[i].pkg;

		for (size_t d = 0; n && d < n->info.depends.n; d++) {
			const struct spk_relation *r = &n->info.depends.v[d];

			if (find_after(t, r, NULL))
				continue;
			spk_relation_format(r, rel, sizeof(rel));
			return spk_fail(e, -SPK_EDEPENDS, n->info.name,
					"depends on %s, which is neither installed nor given", rel);
		}
	}
	while (again) {
		again = false;
		for (size_t k = 0; k < t->db.n; k++) {
			struct spk_dbpkg *p = &t->db.pkgs[k];

			if (is_leaving(t, p))
				continue;
			for (size_t d = 0; d < p->info.depends.n; d++) {
				const struct spk_relation *r = &p->info.depends.v[d];
				const struct spk_info *before;
				const struct spk_step *s;
				int ret;

				if (find_after(t, r, NULL) || !(before = find_before(t, r)))
					continue;
				spk_relation_format(r, rel, sizeof(rel));
				s = step_for(t, before->name);
				if (s && s->kind == SPK_STEP_REMOVE && t->cascade) {
					ret = add_step(t, SPK_STEP_REMOVE, NULL, p, e);
					if (ret < 0)
						return ret;
					again = true;
					break;
				}
				if (s && s->kind == SPK_STEP_REMOVE)
					return spk_fail(e, -SPK_EDEPENDS, before->name,
							"needed by installed %s (depends on %s); "
							"use --cascade to remove it too",
							p->info.name, rel);
				return spk_fail(e, -SPK_EDEPENDS, before->name,
						"upgrading to %s would break installed %s "
						"(depends on %s)",
						s && s->new_version ? s->new_version : "?",
						p->info.name, rel);
			}
		}
	}
	return 0;
}

static int lstat_in_root(int rootfd, const char *path, struct stat *st)
{
	return fstatat(rootfd, path, st, AT_SYMLINK_NOFOLLOW) < 0 ? -errno : 0;
}

/* Every directory above path, on disk, is a real directory (never a symlink). checked
 * remembers directories already seen (keys owned by the caller's storage). */
static int check_ancestors_on_disk(struct spk_txn *t, const char *pkg, const char *path,
				   struct spk_strmap *checked, struct spk_buf *keys,
				   struct spk_err *e)
{
	char dir[SPK_PATH_MAX];
	const char *slash = strrchr(path, '/');
	struct stat st;
	int r;

	if (!slash)
		return 0;
	snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	if (spk_strmap_get(checked, dir))
		return 0;
	r = check_ancestors_on_disk(t, pkg, dir, checked, keys, e);
	if (r < 0)
		return r;
	r = lstat_in_root(t->root->fd, dir, &st);
	if (r == 0 && !S_ISDIR(st.st_mode))
		return spk_fail(e, -SPK_EUNSAFE, pkg, "%s: path through a %s on disk ('/%s')",
				path, S_ISLNK(st.st_mode) ? "symlink" : "non-directory", dir);
	if (r < 0 && r != -ENOENT)
		return spk_fail(e, r, dir, NULL);
	{
		/* remember it: the key must live as long as the map */
		char *key = strdup(dir);

		if (!key || spk_strmap_put(checked, key, key) < 0) {
			free(key);
			return spk_fail(e, -ENOMEM, "plan", NULL);
		}
		if (spk_buf_add(keys, &key, sizeof(key)) < 0) {
			spk_strmap_del(checked, key);
			free(key);
			return spk_fail(e, -ENOMEM, "plan", NULL);
		}
	}
	return 0;
}

static int journal_add(struct spk_txn *t, char kind, const char *arg, const char *extra,
		       struct spk_err *e)
{
	return spk_journal_add(&t->journal, kind, arg, extra) < 0
		       ? spk_fail(e, -ENOMEM, "journal", NULL)
		       : 0;
}

static int cmp_str_desc(const void *a, const void *b)
{
	return -strcmp(*(char *const *)a, *(char *const *)b);
}

/* Ownership after the transaction, refusals for clashes, and the journal's path records. */
static int plan_files(struct spk_txn *t, struct spk_err *e)
{
	struct owners *o = calloc(1, sizeof(*o));
	struct spk_strmap checked;
	struct spk_buf keys = SPK_BUF_INIT;
	char **gone = NULL;
	size_t n_gone = 0, total = 0;
	int r = 0;

	spk_strmap_init(&checked);
	if (!o)
		return spk_fail(e, -ENOMEM, "plan", NULL);
	t->owners = o;
	for (size_t k = 0; k < t->db.n; k++)
		total += t->db.pkgs[k].files.n;
	for (size_t i = 0; i < t->n_steps; i++)
		if (t->steps[i].pkg)
			total += t->steps[i].pkg->manifest.n;
	o->cap = total ? total : 1;
	o->v = calloc(o->cap, sizeof(*o->v));
	if (!o->v)
		return spk_fail(e, -ENOMEM, "plan", NULL);

	/* What stays installed keeps its paths ... */
	for (size_t k = 0; k < t->db.n; k++) {
		const struct spk_dbpkg *p = &t->db.pkgs[k];

		if (is_leaving(t, p))
			continue;
		for (size_t f = 0; f < p->files.n; f++) {
			struct owner *w = owner_new(o);

			w->fe = &p->files.v[f];
			w->info = &p->info;
			w->installed = p;
			if (spk_strmap_put(&t->final, w->fe->path, w) < 0)
				return spk_fail(e, -ENOMEM, "plan", NULL);
		}
	}
	/* ... and what comes in claims its own, unless someone else holds them. */
	for (size_t i = 0; i < t->n_steps; i++) {
		struct spk_pkg *n = t->steps[i].pkg;

		for (size_t f = 0; n && f < n->manifest.n; f++) {
			const struct spk_fentry *fe = &n->manifest.v[f];
			struct owner *cur = spk_strmap_get(&t->final, fe->path), *w;

			if (cur && cur->fe->type == SPK_FT_DIR && fe->type == SPK_FT_DIR)
				continue;
			if (cur && !cur->installed)
				return spk_fail(e, -SPK_ECONFLICT, n->info.name,
						"/%s: also in %s, being installed", fe->path,
						cur->info->name);
			if (cur && (cur->fe->type == SPK_FT_DIR || fe->type == SPK_FT_DIR))
				return spk_fail(e, -SPK_ECONFLICT, n->info.name,
						"/%s: a %s in installed %s", fe->path,
						cur->fe->type == SPK_FT_DIR	 ? "directory"
						: cur->fe->type == SPK_FT_SYMLINK ? "symlink"
										  : "file",
						cur->info->name);
			if (cur && !matching(&n->info.replaces, cur->info))
				return spk_fail(e, -SPK_ECONFLICT, n->info.name,
						"/%s: file owned by installed %s %s", fe->path,
						cur->info->name, cur->info->version);
			if (cur && spk_strmap_put(&t->transfer, fe->path,
						  (void *)cur->installed) < 0)
				return spk_fail(e, -ENOMEM, "plan", NULL);
			w = owner_new(o);
			w->fe = fe;
			w->info = &n->info;
			w->installed = NULL;
			if (spk_strmap_put(&t->final, fe->path, w) < 0)
				return spk_fail(e, -ENOMEM, "plan", NULL);
		}
	}
	/* No new path below something that is not a directory afterwards, or on disk. */
	for (size_t i = 0; i < t->n_steps; i++) {
		struct spk_pkg *n = t->steps[i].pkg;

		for (size_t f = 0; n && f < n->manifest.n; f++) {
			const struct spk_fentry *fe = &n->manifest.v[f];
			char dir[SPK_PATH_MAX];
			const struct owner *up;
			struct stat st;

			snprintf(dir, sizeof(dir), "%s", fe->path);
			for (char *s = strrchr(dir, '/'); s; s = strrchr(dir, '/')) {
				*s = '\0';
				up = spk_strmap_get(&t->final, dir);
				if (up && up->fe->type != SPK_FT_DIR)
					return spk_fail(e, -SPK_EUNSAFE, n->info.name,
							"/%s: path through a %s of %s", fe->path,
							up->fe->type == SPK_FT_SYMLINK ? "symlink"
										       : "file",
							up->info->name);
			}
			r = check_ancestors_on_disk(t, n->info.name, fe->path, &checked, &keys, e);
			if (r < 0)
				goto out;
			r = lstat_in_root(t->root->fd, fe->path, &st);
			if (r < 0 && r != -ENOENT) {
				r = spk_fail(e, r, fe->path, NULL);
				goto out;
			}
			if (fe->type == SPK_FT_DIR) {
				if (r == 0 && !S_ISDIR(st.st_mode)) {
					r = spk_fail(e, -SPK_ECONFLICT, n->info.name,
						     "/%s: exists on disk and is not a directory",
						     fe->path);
					goto out;
				}
				r = r == 0 ? 0 : journal_add(t, 'D', fe->path, NULL, e);
			} else {
				if (r == 0 && S_ISDIR(st.st_mode)) {
					r = spk_fail(e, -SPK_ECONFLICT, n->info.name,
						     "/%s: exists on disk as a directory", fe->path);
					goto out;
				}
				r = journal_add(t, r == 0 ? 'R' : 'N', fe->path, NULL, e);
			}
			if (r < 0)
				goto out;
		}
	}
	/* Paths of leaving packages that nobody owns afterwards are removed after the commit;
	 * directories deepest first, and only if empty. */
	for (size_t i = 0; i < t->n_steps; i++) {
		const struct spk_dbpkg *p = t->steps[i].old;

		for (size_t f = 0; p && f < p->files.n; f++) {
			const struct spk_fentry *fe = &p->files.v[f];

			if (spk_strmap_get(&t->final, fe->path))
				continue;
			if (fe->type == SPK_FT_DIR) {
				char **v = realloc(gone, (n_gone + 1) * sizeof(*v));

				if (!v) {
					r = spk_fail(e, -ENOMEM, "plan", NULL);
					goto out;
				}
				gone = v;
				gone[n_gone++] = fe->path;
			} else if ((r = journal_add(t, 'X', fe->path, NULL, e)) < 0) {
				goto out;
			}
		}
	}
	if (n_gone)
		qsort(gone, n_gone, sizeof(*gone), cmp_str_desc);
	for (size_t i = 0; i < n_gone; i++) {
		if (i && !strcmp(gone[i], gone[i - 1]))
			continue;
		r = journal_add(t, 'Y', gone[i], NULL, e);
		if (r < 0)
			goto out;
	}
out:
	free(gone);
	for (size_t i = 0; i < keys.len / sizeof(char *); i++)
		free(((char **)(void *)keys.data)[i]);
	spk_buf_release(&keys);
	spk_strmap_release(&checked);
	return r;
}

int spk_txn_plan(struct spk_txn *t, struct spk_err *e)
{
	int r;

	spk_journal_init(&t->journal, t->db.txid + 1);
	for (size_t i = 0; i < t->n_adds; i++) {
		struct spk_pkg *n = t->adds[i];
		struct spk_dbpkg *old = spk_db_find(&t->db, n->info.name);

		for (size_t k = 0; k < i; k++)
			if (!strcmp(t->adds[k]->info.name, n->info.name))
				return spk_fail(e, -SPK_ECONFLICT, n->info.name,
						"given twice (%s and %s)", t->adds[k]->what,
						n->what);
		if (!spk_arch_is_installable(n->info.arch))
			return spk_fail(e, -SPK_ECONFLICT, n->what, "built for %s, not %s",
					n->info.arch, spk_host_arch());
		if (old && !strcmp(old->info.version, n->info.version))
			continue; /* already installed: nothing to do */
		r = add_step(t, old ? SPK_STEP_UPGRADE : SPK_STEP_INSTALL, n, old, e);
		if (r < 0)
			return r;
	}
	for (size_t i = 0; i < t->n_removes; i++) {
		struct spk_dbpkg *old = spk_db_find(&t->db, t->removes[i]);

		if (!old)
			return spk_fail(e, -SPK_ENOTFOUND, t->removes[i], "not installed");
		if (step_for(t, old->info.name))
			return spk_fail(e, -SPK_EUSAGE, t->removes[i], "both installed and removed");
		r = add_step(t, SPK_STEP_REMOVE, NULL, old, e);
		if (r < 0)
			return r;
	}
	r = plan_conflicts(t, e);
	if (r == 0)
		r = plan_depends(t, e);
	if (r == 0)
		r = plan_files(t, e);
	if (r < 0)
		return r;
	for (size_t i = 0; i < t->n_steps; i++) {
		const struct spk_step *s = &t->steps[i];

		if (s->new_version)
			r = journal_add(t, '+', s->name, s->new_version, e);
		if (!r && s->old_version)
			r = journal_add(t, '-', s->name, s->old_version, e);
		if (r < 0)
			return r;
	}
	t->planned = true;
	return 0;
}
