#include "libspk/request.h"

#include "libspk/cache.h"
#include "libspk/manifest.h"
#include "libspk/repo.h"
#include "libspk/solve.h"
#include "libspk/txn.h"
#include "libspk/version.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Relation lists as text, as the solver takes them; freed with the request. */
struct strings {
	char **v;
	size_t n;
};

static const char *keep(struct strings *s, struct spk_buf *b)
{
	char **v = realloc(s->v, (s->n + 1) * sizeof(*v));
	char *text;

	if (!v)
		return NULL;
	s->v = v;
	text = spk_buf_detach(b, NULL);
	if (text)
		s->v[s->n++] = text;
	return text;
}

static const char *rel_text(struct strings *s, const struct spk_relations *rel)
{
	struct spk_buf b = SPK_BUF_INIT;

	if (spk_relations_format(rel, &b) < 0) {
		spk_buf_release(&b);
		return NULL;
	}
	return keep(s, &b);
}

static int from_info(struct spk_solve_pkg *sp, const struct spk_info *info, int repo, void *user,
		     struct strings *s)
{
	sp->name = info->name;
	sp->version = info->version;
	sp->arch = info->arch;
	sp->depends = rel_text(s, &info->depends);
	sp->provides = rel_text(s, &info->provides);
	sp->conflicts = rel_text(s, &info->conflicts);
	sp->replaces = rel_text(s, &info->replaces);
	sp->repo = repo;
	sp->user = user;
	return sp->depends && sp->provides && sp->conflicts && sp->replaces ? 0 : -ENOMEM;
}

/* What one package to install comes from: a local file, or a repository's index entry. */
struct origin {
	const char *file;		    /* local */
	const struct spk_repo *repo;	    /* or remote */
	const struct spk_index_entry *entry;
	char *cached;			    /* its path in the cache once fetched */
};

static const char *name_of(const char *target, char *buf, size_t n)
{
	size_t k = strcspn(target, "<>= ");

	if (k >= n)
		k = n - 1;
	memcpy(buf, target, k);
	buf[k] = '\0';
	return buf;
}

int spk_request_run(struct spk_root *root, const struct spk_request *rq, struct spk_err *e)
{
	struct spk_txn t;
	struct spk_repos rs = { 0 };
	struct spk_info *local = NULL;
	struct spk_solve_pkg *inst = NULL, *avail = NULL;
	struct origin *origins = NULL;
	struct spk_job *jobs = NULL;
	struct spk_solve_result res = { 0 };
	struct spk_fetch_req *reqs = NULL;
	struct spk_cache cache = { 0 };
	struct strings strs = { 0 };
	size_t n_avail = 0, total = 0, n_jobs = 0, n_reqs = 0;
	char jobbuf[512];
	bool cache_open = false;
	int r;

	r = spk_txn_begin(&t, root, e);
	if (r == 0)
		r = spk_repos_config(&rs, root->fd, e);
	if (r == 0)
		r = spk_repos_load(&rs, root->fd, (int64_t)time(NULL), e);
	if (r < 0)
		goto out;
	local = calloc(rq->n_files ? rq->n_files : 1, sizeof(*local));
	for (size_t i = 0; i < rs.n; i++)
		total += rs.v[i].index.n;
	total += rq->n_files;
	inst = calloc(t.db.n ? t.db.n : 1, sizeof(*inst));
	avail = calloc(total ? total : 1, sizeof(*avail));
	origins = calloc(total ? total : 1, sizeof(*origins));
	jobs = calloc(rq->n_files + rq->n_targets + 1, sizeof(*jobs));
	if (!local || !inst || !avail || !origins || !jobs) {
		r = spk_fail(e, -ENOMEM, "request", NULL);
		goto out;
	}
	for (size_t i = 0; i < t.db.n; i++)
		if (from_info(&inst[i], &t.db.pkgs[i].info, -1, &t.db.pkgs[i], &strs) < 0) {
			r = spk_fail(e, -ENOMEM, "request", NULL);
			goto out;
		}
	/* Local files come first: they win over repositories. */
	for (size_t i = 0; i < rq->n_files; i++) {
		r = spk_pkg_read_info(rq->files[i], &local[i], e);
		if (r < 0)
			goto out;
		origins[n_avail].file = rq->files[i];
		if (from_info(&avail[n_avail], &local[i], 0, &origins[n_avail], &strs) < 0) {
			r = spk_fail(e, -ENOMEM, "request", NULL);
			goto out;
		}
		n_avail++;
		snprintf(jobbuf, sizeof(jobbuf), "%s=%s", local[i].name, local[i].version);
		jobs[n_jobs].kind = SPK_JOB_INSTALL;
		jobs[n_jobs].target = strdup(jobbuf);
		if (!jobs[n_jobs++].target) {
			r = spk_fail(e, -ENOMEM, "request", NULL);
			goto out;
		}
	}
	for (size_t i = 0; i < rs.n; i++) {
		for (size_t k = 0; k < rs.v[i].index.n; k++) {
			const struct spk_index_entry *x = &rs.v[i].index.entries[k];
			struct spk_solve_pkg *sp = &avail[n_avail];

			if (!spk_arch_is_installable(x->arch))
				continue;
			origins[n_avail].repo = &rs.v[i];
			origins[n_avail].entry = x;
			sp->name = x->name;
			sp->version = x->version;
			sp->arch = x->arch;
			sp->depends = x->depends;
			sp->provides = x->provides;
			sp->conflicts = x->conflicts;
			sp->replaces = x->replaces;
			sp->repo = (int)i + 1;
			sp->user = &origins[n_avail];
			n_avail++;
		}
	}
	for (size_t i = 0; i < rq->n_targets; i++) {
		jobs[n_jobs].kind = rq->kind == SPK_REQ_INSTALL ? SPK_JOB_INSTALL : SPK_JOB_UPGRADE;
		jobs[n_jobs].target = strdup(rq->targets[i]);
		if (!jobs[n_jobs++].target) {
			r = spk_fail(e, -ENOMEM, "request", NULL);
			goto out;
		}
	}
	if (rq->kind == SPK_REQ_UPGRADE && rq->n_targets == 0)
		jobs[n_jobs++].kind = SPK_JOB_UPGRADE_ALL;
	r = spk_solve(inst, t.db.n, avail, n_avail, jobs, n_jobs, t.cascade ? SPK_SOLVE_CASCADE : 0,
		      &res, e);
	if (r < 0)
		goto out;

	/* Downloads: every repository package into the cache, in parallel, verified against
	 * the index's SHA-256 and size while streaming. */
	reqs = calloc(res.n_install ? res.n_install : 1, sizeof(*reqs));
	if (!reqs) {
		r = spk_fail(e, -ENOMEM, "request", NULL);
		goto out;
	}
	for (size_t i = 0; i < res.n_install; i++) {
		struct origin *o = res.install[i]->user;
		char url[4096], hex[65], *path = NULL;

		if (o->file)
			continue;
		if (!cache_open) {
			r = spk_cache_open(&cache, root->path, true, e);
			if (r < 0)
				goto out;
			cache_open = true;
		}
		spk_sha256_hex(o->entry->sha256, hex);
		r = spk_cache_path(&cache, o->entry->asset, hex, &path, e);
		if (r < 0)
			goto out;
		o->cached = path;
		spk_repo_asset_url(o->repo, o->entry, url, sizeof(url));
		reqs[n_reqs].url = strdup(url);
		reqs[n_reqs].dest = o->cached;
		reqs[n_reqs].size = o->entry->size;
		reqs[n_reqs].sha256 = strdup(hex);
		if (!reqs[n_reqs].url || !reqs[n_reqs].sha256) {
			n_reqs++;
			r = spk_fail(e, -ENOMEM, "request", NULL);
			goto out;
		}
		n_reqs++;
	}
	if (n_reqs && !root->dry_run) {
		r = spk_fetch_run(reqs, n_reqs, rq->fetch, rq->progress, e);
		if (r < 0)
			goto out;
	}
	for (size_t i = 0; i < res.n_install; i++) {
		struct origin *o = res.install[i]->user;

		if (root->dry_run && !o->file) {
			/* nothing fetched: announce it without opening anything */
			if (root->on_action) {
				const struct spk_dbpkg *old = spk_db_find(&t.db, o->entry->name);

				root->on_action(root->cb_arg, old ? "upgrading" : "installing",
						o->entry->name, old ? old->info.version : NULL,
						o->entry->version);
			}
			continue;
		}
		r = spk_txn_add_file(&t, o->file ? o->file : o->cached, e);
		if (r < 0)
			goto out;
	}
	for (size_t i = 0; i < res.n_remove; i++) {
		const struct spk_dbpkg *p = res.remove[i]->user;

		r = spk_txn_remove(&t, p->info.name, e);
		if (r < 0)
			goto out;
		if (root->dry_run && root->on_action)
			root->on_action(root->cb_arg, "removing", p->info.name, p->info.version,
					NULL);
	}
	for (size_t i = 0; i < rq->n_files; i++)
		if ((r = spk_txn_mark_explicit(&t, local[i].name, e)) < 0)
			goto out;
	if (rq->kind == SPK_REQ_INSTALL) {
		for (size_t i = 0; i < rq->n_targets; i++) {
			char name[256];

			r = spk_txn_mark_explicit(&t, name_of(rq->targets[i], name, sizeof(name)), e);
			if (r < 0)
				goto out;
		}
	}
	if (root->dry_run)
		goto out;
	r = spk_txn_plan(&t, e);
	if (r == 0)
		r = spk_txn_commit(&t, e);
out:
	for (size_t i = 0; i < n_reqs; i++) {
		free((char *)reqs[i].url);
		free((char *)reqs[i].sha256);
	}
	free(reqs);
	for (size_t i = 0; origins && i < total; i++)
		free(origins[i].cached);
	free(origins);
	for (size_t i = 0; jobs && i < n_jobs; i++)
		free((char *)jobs[i].target);
	free(jobs);
	spk_solve_result_release(&res);
	for (size_t i = 0; local && i < rq->n_files; i++)
		spk_info_release(&local[i]);
	free(local);
	free(inst);
	free(avail);
	for (size_t i = 0; i < strs.n; i++)
		free(strs.v[i]);
	free(strs.v);
	if (cache_open)
		spk_cache_release(&cache);
	spk_repos_release(&rs);
	spk_txn_release(&t);
	return r;
}
