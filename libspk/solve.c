/* The dependency resolver on libsolv (solve.h).
 *
 * Versions: libsolv's arch mode compares like rpm, not like pacman ("1.0a" > "1.0" for rpm,
 * < for pacman; pacman also orders separator runs), so spk's versions are never handed to it as
 * text. Every upstream part in the request (package versions, provides and constraints) is ranked
 * with spk_version_cmp, and libsolv sees "RANK-N" for "UPSTREAM-rN" and "RANK" for a constraint
 * without -rN: integers, which rpm's compare orders numerically, so the order is spk's by
 * construction. In arch mode a side without a release matches on the version alone
 * (EVRCMP_MATCH_RELEASE), which is spk's "upstream only" rule.
 *
 * Names: a bare provide must not satisfy a versioned relation (pacman and txn_plan.c), while
 * libsolv lets an unversioned provide match any version. So versioned relations are made on a
 * shadow name "NAME\1" that only versioned provides (and the package itself) provide; the plain
 * name is provided by all of them and serves unversioned relations. A shadow is only provided
 * for names some versioned relation (or job target) uses.
 *
 * Obsoletes (Replaces X with Conflicts X) match provides too, like the conflict check in
 * txn_plan.c: replacing "sh" removes an installed package that provides sh.
 */
#include "libspk/solve.h"

#include "libspk/relation.h"
#include "libspk/version.h"

#include <solv/evr.h>
#include <solv/pool.h>
#include <solv/poolarch.h>
#include <solv/problems.h>
#include <solv/repo.h>
#include <solv/rules.h>
#include <solv/solver.h>
#include <solv/transaction.h>
#include <solv/util.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { R_DEPENDS, R_PROVIDES, R_CONFLICTS, R_REPLACES, R_N };

struct parsed {
	const struct spk_solve_pkg *pkg;
	struct spk_relations rel[R_N];
};

struct solve {
	Pool *pool;
	Id *rank;     /* upstream string id -> rank + 1 (0: not ranked) */
	Id n_rank;    /* entries in rank */
	Id *rank_str; /* rank -> string id of the first upstream of that rank */
	const struct spk_solve_pkg **by_id; /* solvable id -> package */
	unsigned char *versioned; /* name string id -> in a versioned relation: needs the shadow */
	Id n_versioned;
	struct spk_err *e;
};

/* "1.2-r3": the upstream length, and the release digits (NULL without -rN). */
static size_t split_version(const char *v, const char **rel)
{
	const char *dash = strrchr(v, '-');

	*rel = NULL;
	if (dash && dash[1] == 'r' && dash[2]) {
		for (const char *p = dash + 2; *p; p++)
			if (*p < '0' || *p > '9')
				return strlen(v);
		*rel = dash + 2;
		return (size_t)(dash - v);
	}
	return strlen(v);
}

static void collect_upstream(Pool *pool, Queue *ups, const char *v)
{
	const char *rel;
	size_t n = split_version(v, &rel);

	queue_push(ups, pool_strn2id(pool, v, (unsigned)n, 1));
}

static int cmp_id(const void *a, const void *b, void *arg)
{
	Id x = *(const Id *)a, y = *(const Id *)b;

	(void)arg;
	return x < y ? -1 : x > y;
}

static int cmp_upstream(const void *a, const void *b, void *arg)
{
	Pool *pool = arg;
	Id x = *(const Id *)a, y = *(const Id *)b;
	int c = spk_version_cmp(pool_id2str(pool, x), pool_id2str(pool, y));

	return c ? c : (x < y ? -1 : x > y);
}

/* Ranks the upstream parts in ups (consumed): equal under spk_version_cmp, equal rank. */
static int rank_upstreams(struct solve *sv, Queue *ups)
{
	Pool *pool = sv->pool;
	int n = 0, r = -1;

	solv_sort(ups->elements, (size_t)ups->count, sizeof(Id), cmp_id, NULL);
	for (int i = 0; i < ups->count; i++)
		if (i == 0 || ups->elements[i] != ups->elements[i - 1])
			ups->elements[n++] = ups->elements[i];
	ups->count = n;
	solv_sort(ups->elements, (size_t)n, sizeof(Id), cmp_upstream, pool);
	sv->n_rank = pool->ss.nstrings;
	sv->rank = calloc((size_t)sv->n_rank, sizeof(*sv->rank));
	sv->rank_str = calloc((size_t)n + 1, sizeof(*sv->rank_str));
	if (!sv->rank || !sv->rank_str)
		return -ENOMEM;
	for (int i = 0; i < n; i++) {
		Id id = ups->elements[i];

		if (i == 0 || spk_version_cmp(pool_id2str(pool, ups->elements[i - 1]),
					      pool_id2str(pool, id)))
			sv->rank_str[++r] = id;
		sv->rank[id] = r + 1;
	}
	return 0;
}

/* The libsolv EVR of a version or upstream ("RANK-N" or "RANK"). */
static Id evr_id(struct solve *sv, const char *v)
{
	const char *rel;
	size_t n = split_version(v, &rel);
	Id up = pool_strn2id(sv->pool, v, (unsigned)n, 0);
	char buf[64];

	if (up <= 0 || up >= sv->n_rank || !sv->rank[up])
		return 0; /* not collected: a bug, caught by the caller */
	if (rel)
		snprintf(buf, sizeof(buf), "%d-%.20s", sv->rank[up] - 1, rel);
	else
		snprintf(buf, sizeof(buf), "%d", sv->rank[up] - 1);
	return pool_str2id(sv->pool, buf, 1);
}

static Id shadow_id(Pool *pool, const char *name)
{
	char buf[512];

	snprintf(buf, sizeof(buf), "%s\1", name);
	return pool_str2id(pool, buf, 1);
}

static int rel_flags(enum spk_op op)
{
	switch (op) {
	case SPK_OP_EQ:
		return REL_EQ;
	case SPK_OP_LT:
		return REL_LT;
	case SPK_OP_GT:
		return REL_GT;
	case SPK_OP_LE:
		return REL_LT | REL_EQ;
	case SPK_OP_GE:
		return REL_GT | REL_EQ;
	default:
		return 0;
	}
}

/* A relation as a dependency: the plain name, or a versioned relation on the shadow name. */
static Id rel_dep(struct solve *sv, const struct spk_relation *r)
{
	if (r->op == SPK_OP_ANY)
		return pool_str2id(sv->pool, r->name, 1);
	return pool_rel2id(sv->pool, shadow_id(sv->pool, r->name), evr_id(sv, r->version),
			   rel_flags(r->op), 1);
}

/* A relation on a package's own name and version (job selection, obsoletes). */
static Id name_dep(struct solve *sv, const struct spk_relation *r)
{
	Id name = pool_str2id(sv->pool, r->name, 1);

	if (r->op == SPK_OP_ANY)
		return name;
	return pool_rel2id(sv->pool, name, evr_id(sv, r->version), rel_flags(r->op), 1);
}

static int parse_pkg(struct parsed *pp, const struct spk_solve_pkg *pkg, struct spk_err *e)
{
	const char *text[R_N] = { pkg->depends, pkg->provides, pkg->conflicts, pkg->replaces };
	char what[256];

	pp->pkg = pkg;
	if (!spk_name_is_valid(pkg->name) || !spk_version_is_valid(pkg->version))
		return spk_fail(e, -SPK_EFORMAT, pkg->name, "invalid name or version '%s'",
				pkg->version);
	for (int k = 0; k < R_N; k++) {
		int r = spk_relations_parse(&pp->rel[k], text[k] ? text[k] : "", k == R_PROVIDES, e);

		if (r < 0) {
			snprintf(what, sizeof(what), "%s-%s", pkg->name, pkg->version);
			memcpy(e->what, what, sizeof(e->what));
			return r;
		}
	}
	return 0;
}

static void parsed_release(struct parsed *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		for (int k = 0; k < R_N; k++)
			spk_relations_release(&v[i].rel[k]);
	free(v);
}

/* Upstream parts into ups; names of versioned relations (not provides) into vnames. */
static void collect_pkg(Pool *pool, Queue *ups, Queue *vnames, const struct parsed *pp)
{
	collect_upstream(pool, ups, pp->pkg->version);
	for (int k = 0; k < R_N; k++)
		for (size_t i = 0; i < pp->rel[k].n; i++)
			if (pp->rel[k].v[i].version) {
				collect_upstream(pool, ups, pp->rel[k].v[i].version);
				if (k != R_PROVIDES)
					queue_push(vnames, pool_str2id(pool, pp->rel[k].v[i].name, 1));
			}
}

static int mark_versioned(struct solve *sv, Queue *vnames)
{
	sv->n_versioned = sv->pool->ss.nstrings;
	sv->versioned = calloc((size_t)sv->n_versioned + 1, 1);
	if (!sv->versioned)
		return -ENOMEM;
	for (int i = 0; i < vnames->count; i++)
		sv->versioned[vnames->elements[i]] = 1;
	return 0;
}

/* Does a versioned relation name this name? Only then is its shadow provided. */
static bool is_versioned(const struct solve *sv, Id name)
{
	return name < sv->n_versioned && sv->versioned[name];
}

static void add_solvable(struct solve *sv, Repo *repo, const struct parsed *pp)
{
	Pool *pool = sv->pool;
	Id p = repo_add_solvable(repo);
	Solvable *s = pool_id2solvable(pool, p);
	const struct spk_relations *prov = &pp->rel[R_PROVIDES];

	s->name = pool_str2id(pool, pp->pkg->name, 1);
	s->evr = evr_id(sv, pp->pkg->version);
	s->arch = ARCH_NOARCH;
	s->provides = repo_addid_dep(repo, s->provides, s->name, 0);
	if (is_versioned(sv, s->name))
		s->provides = repo_addid_dep(
			repo, s->provides,
			pool_rel2id(pool, shadow_id(pool, pp->pkg->name), s->evr, REL_EQ, 1), 0);
	for (size_t i = 0; i < prov->n; i++) {
		Id name = pool_str2id(pool, prov->v[i].name, 1);

		s->provides = repo_addid_dep(repo, s->provides, name, 0);
		if (prov->v[i].version && is_versioned(sv, name))
			s->provides = repo_addid_dep(repo, s->provides, rel_dep(sv, &prov->v[i]), 0);
	}
	for (size_t i = 0; i < pp->rel[R_DEPENDS].n; i++)
		s->requires = repo_addid_dep(repo, s->requires, rel_dep(sv, &pp->rel[R_DEPENDS].v[i]), 0);
	for (size_t i = 0; i < pp->rel[R_CONFLICTS].n; i++)
		s->conflicts =
			repo_addid_dep(repo, s->conflicts, rel_dep(sv, &pp->rel[R_CONFLICTS].v[i]), 0);
	/* Replaces X with Conflicts X: obsoletes X (by name, like a rename) */
	for (size_t i = 0; i < pp->rel[R_REPLACES].n; i++) {
		const struct spk_relation *rp = &pp->rel[R_REPLACES].v[i];

		for (size_t j = 0; j < pp->rel[R_CONFLICTS].n; j++)
			if (!strcmp(pp->rel[R_CONFLICTS].v[j].name, rp->name)) {
				s->obsoletes = repo_addid_dep(repo, s->obsoletes, rel_dep(sv, rp), 0);
				break;
			}
	}
	sv->by_id[p] = pp->pkg;
}

static int cmp_parsed(const void *a, const void *b, void *arg)
{
	const struct spk_solve_pkg *x = ((const struct parsed *)a)->pkg;
	const struct spk_solve_pkg *y = ((const struct parsed *)b)->pkg;
	int c = strcmp(x->name, y->name);

	(void)arg;
	if (c)
		return c;
	c = spk_version_cmp(y->version, x->version); /* highest first */
	if (c)
		return c;
	if (x->repo != y->repo)
		return x->repo < y->repo ? -1 : 1;
	return x < y ? -1 : x > y;
}

/* ---- explanations ---- */

static void put(char *buf, size_t size, size_t *len, const char *s)
{
	size_t n = strlen(s);

	if (*len + 1 >= size)
		return;
	if (n > size - 1 - *len)
		n = size - 1 - *len;
	memcpy(buf + *len, s, n);
	*len += n;
	buf[*len] = '\0';
}

/* The original text of a libsolv EVR made by evr_id(). */
static void evr_text(const struct solve *sv, Id evr, char *buf, size_t size)
{
	const char *s = pool_id2str(sv->pool, evr);
	char *end;
	unsigned long r = strtoul(s, &end, 10);

	if (end == s || r >= (unsigned long)sv->n_rank || !sv->rank_str[r]) {
		snprintf(buf, size, "%s", s);
		return;
	}
	if (*end == '-')
		snprintf(buf, size, "%s-r%s", pool_id2str(sv->pool, sv->rank_str[r]), end + 1);
	else
		snprintf(buf, size, "%s", pool_id2str(sv->pool, sv->rank_str[r]));
}

static void dep_text(const struct solve *sv, Id dep, char *buf, size_t size)
{
	Pool *pool = sv->pool;
	static const char *const ops[] = { "", ">", "=", ">=", "<", "<>", "<=", "" };
	char ver[256];
	const char *name;
	size_t n;

	if (!ISRELDEP(dep)) {
		snprintf(buf, size, "%s", pool_id2str(pool, dep));
		return;
	}
	Reldep *rd = GETRELDEP(pool, dep);
	name = pool_id2str(pool, rd->name);
	n = strlen(name);
	if (n && name[n - 1] == '\1')
		n--;
	evr_text(sv, rd->evr, ver, sizeof(ver));
	snprintf(buf, size, "%.*s%s%s", (int)n, name, rd->flags < 8 ? ops[rd->flags] : "?", ver);
}

static void solvable_text(const struct solve *sv, Id p, char *buf, size_t size)
{
	const struct spk_solve_pkg *pkg = p > 0 && p < sv->pool->nsolvables ? sv->by_id[p] : NULL;

	if (pkg)
		snprintf(buf, size, "%s-%s%s", pkg->name, pkg->version,
			 pkg->repo < 0 ? " (installed)" : "");
	else
		snprintf(buf, size, "%s", p > 0 ? pool_solvid2str(sv->pool, p) : "?");
}

/* How telling a rule is for a person: lower is better. */
static int rule_rank(SolverRuleinfo type)
{
	switch (type) {
	case SOLVER_RULE_PKG_NOTHING_PROVIDES_DEP:
	case SOLVER_RULE_JOB_NOTHING_PROVIDES_DEP:
	case SOLVER_RULE_JOB_UNKNOWN_PACKAGE:
		return 0;
	case SOLVER_RULE_PKG_CONFLICTS:
	case SOLVER_RULE_PKG_SELF_CONFLICT:
	case SOLVER_RULE_PKG_OBSOLETES:
	case SOLVER_RULE_PKG_INSTALLED_OBSOLETES:
		return 1;
	case SOLVER_RULE_PKG_SAME_NAME:
	case SOLVER_RULE_PKG_IMPLICIT_OBSOLETES:
	case SOLVER_RULE_PKG_NOT_INSTALLABLE:
		return 2;
	case SOLVER_RULE_PKG_REQUIRES:
		return 3;
	default:
		return 4;
	}
}

static void rule_text(const struct solve *sv, SolverRuleinfo type, Id src, Id tgt, Id dep,
		      char *buf, size_t size)
{
	char s[300], t[300], d[300];

	solvable_text(sv, src, s, sizeof(s));
	solvable_text(sv, tgt, t, sizeof(t));
	dep_text(sv, dep, d, sizeof(d));
	switch (type) {
	case SOLVER_RULE_PKG_NOTHING_PROVIDES_DEP:
		snprintf(buf, size, "nothing provides %s needed by %s", d, s);
		break;
	case SOLVER_RULE_JOB_NOTHING_PROVIDES_DEP:
		snprintf(buf, size, "nothing provides requested %s", d);
		break;
	case SOLVER_RULE_JOB_UNKNOWN_PACKAGE:
		snprintf(buf, size, "package %s does not exist", d);
		break;
	case SOLVER_RULE_PKG_REQUIRES:
		snprintf(buf, size, "package %s requires %s, but none of the providers can be installed",
			 s, d);
		break;
	case SOLVER_RULE_PKG_CONFLICTS:
		snprintf(buf, size, "package %s conflicts with %s provided by %s", s, d, t);
		break;
	case SOLVER_RULE_PKG_SELF_CONFLICT:
		snprintf(buf, size, "package %s conflicts with %s provided by itself", s, d);
		break;
	case SOLVER_RULE_PKG_OBSOLETES:
	case SOLVER_RULE_PKG_INSTALLED_OBSOLETES:
		snprintf(buf, size, "package %s replaces %s provided by %s", s, d, t);
		break;
	case SOLVER_RULE_PKG_SAME_NAME:
	case SOLVER_RULE_PKG_IMPLICIT_OBSOLETES:
		snprintf(buf, size, "cannot install both %s and %s", s, t);
		break;
	case SOLVER_RULE_PKG_NOT_INSTALLABLE:
		snprintf(buf, size, "package %s is not installable", s);
		break;
	case SOLVER_RULE_UPDATE:
	case SOLVER_RULE_FEATURE:
		snprintf(buf, size, "installed package %s cannot be kept or upgraded", s);
		break;
	case SOLVER_RULE_BEST:
		snprintf(buf, size, "cannot install the best candidate for %s", s);
		break;
	case SOLVER_RULE_JOB:
		snprintf(buf, size, "conflicting requests");
		break;
	default:
		snprintf(buf, size, "unresolvable (libsolv rule type 0x%x)", (unsigned)type);
		break;
	}
}

/* One line: for each problem, its most telling rule, joined with "; ". */
static void explain(const struct solve *sv, Solver *solv, int nprob, char *buf, size_t size)
{
	Queue rules;
	size_t len = 0;

	buf[0] = '\0';
	queue_init(&rules);
	for (Id pb = 1; pb <= nprob; pb++) {
		Id best_src = 0, best_tgt = 0, best_dep = 0;
		SolverRuleinfo best = SOLVER_RULE_UNKNOWN;
		int best_rank = 99;
		char line[1024];

		solver_findallproblemrules(solv, pb, &rules);
		/* start from libsolv's own pick, replace it by a more telling rule */
		Id rid = solver_findproblemrule(solv, pb);
		if (rid) {
			best = solver_ruleinfo(solv, rid, &best_src, &best_tgt, &best_dep);
			best_rank = rule_rank(best);
		}
		for (int i = 0; i < rules.count; i++) {
			Id src, tgt, dep;
			SolverRuleinfo type = solver_ruleinfo(solv, rules.elements[i], &src, &tgt, &dep);

			if (rule_rank(type) < best_rank) {
				best = type;
				best_rank = rule_rank(type);
				best_src = src;
				best_tgt = tgt;
				best_dep = dep;
			}
		}
		rule_text(sv, best, best_src, best_tgt, best_dep, line, sizeof(line));
		if (len)
			put(buf, size, &len, "; ");
		put(buf, size, &len, line);
	}
	queue_free(&rules);
}

/* ---- jobs ---- */

static bool has_name(Pool *pool, Id name, bool installed_only)
{
	Id p, pp;

	FOR_PROVIDES(p, pp, name)
	{
		Solvable *s = pool_id2solvable(pool, p);

		if (s->name == name && (!installed_only || s->repo == pool->installed))
			return true;
	}
	return false;
}

static bool selects_any(Pool *pool, Id select, Id what, bool installed_only)
{
	Id p, pp;

	FOR_JOB_SELECT(p, pp, select, what)
	{
		if (!installed_only || pool_id2solvable(pool, p)->repo == pool->installed)
			return true;
	}
	return false;
}

static int add_job(struct solve *sv, Queue *q, const struct spk_job *job,
		   const struct spk_relation *r)
{
	Pool *pool = sv->pool;
	Id name = pool_str2id(pool, r->name, 1);
	bool named = has_name(pool, name, false), installed = has_name(pool, name, true);

	switch (job->kind) {
	case SPK_JOB_REMOVE:
		if (!installed || !selects_any(pool, SOLVER_SOLVABLE_NAME, name_dep(sv, r), true))
			return spk_fail(sv->e, -SPK_ENOTFOUND, job->target, "not installed");
		queue_push2(q, SOLVER_ERASE | SOLVER_SOLVABLE_NAME, name_dep(sv, r));
		return 0;
	case SPK_JOB_UPGRADE:
		if (!installed)
			return spk_fail(sv->e, -SPK_ENOTFOUND, job->target, "not installed");
		/* fall through */
	case SPK_JOB_INSTALL:
		if (named) {
			Id what = name_dep(sv, r);

			if (!selects_any(pool, SOLVER_SOLVABLE_NAME, what, false))
				return spk_fail(sv->e, -SPK_ENOTFOUND, job->target,
						"no candidate matches");
			/* installed at an older version: the best candidate that matches, an
			 * upgrade (or the downgrade the constraint asks for) */
			queue_push2(q, SOLVER_INSTALL | SOLVER_SOLVABLE_NAME |
					       (installed ? SOLVER_FORCEBEST : 0),
				    what);
			/* the constraint excludes the installed version: it may go (a downgrade) */
			if (installed && !selects_any(pool, SOLVER_SOLVABLE_NAME, what, true))
				queue_push2(q, SOLVER_ALLOWUNINSTALL | SOLVER_SOLVABLE_NAME, name);
			return 0;
		}
		if (!selects_any(pool, SOLVER_SOLVABLE_PROVIDES, rel_dep(sv, r), false))
			return spk_fail(sv->e, -SPK_ENOTFOUND, job->target, "no package provides it");
		queue_push2(q, SOLVER_INSTALL | SOLVER_SOLVABLE_PROVIDES, rel_dep(sv, r));
		return 0;
	default:
		return spk_fail(sv->e, -EINVAL, "solve", "unknown job kind %d", (int)job->kind);
	}
}

static int cmp_result(const void *a, const void *b)
{
	const struct spk_solve_pkg *x = *(const struct spk_solve_pkg *const *)a;
	const struct spk_solve_pkg *y = *(const struct spk_solve_pkg *const *)b;
	int c = strcmp(x->name, y->name);

	return c ? c : spk_version_cmp(x->version, y->version);
}

static int collect_result(struct solve *sv, Solver *solv, struct spk_solve_result *out)
{
	Pool *pool = sv->pool;
	Transaction *trans = solver_create_transaction(solv);
	int r = 0;

	out->install = calloc((size_t)trans->steps.count + 1, sizeof(*out->install));
	out->remove = calloc((size_t)trans->steps.count + 1, sizeof(*out->remove));
	if (!out->install || !out->remove) {
		r = -ENOMEM;
		goto out;
	}
	for (int i = 0; i < trans->steps.count; i++) {
		Id p = trans->steps.elements[i];
		Solvable *s = pool_id2solvable(pool, p);

		if (s->repo != pool->installed)
			out->install[out->n_install++] = sv->by_id[p];
	}
	for (int i = 0; i < trans->steps.count; i++) {
		Id p = trans->steps.elements[i];
		Solvable *s = pool_id2solvable(pool, p);
		bool upgraded = false;

		if (s->repo != pool->installed)
			continue;
		for (size_t k = 0; k < out->n_install && !upgraded; k++)
			upgraded = !strcmp(out->install[k]->name, sv->by_id[p]->name);
		if (!upgraded)
			out->remove[out->n_remove++] = sv->by_id[p];
	}
	qsort(out->install, out->n_install, sizeof(*out->install), cmp_result);
	qsort(out->remove, out->n_remove, sizeof(*out->remove), cmp_result);
out:
	transaction_free(trans);
	return r;
}

static Pool *new_pool(void)
{
	Pool *pool = pool_create();

	if (pool_setdisttype(pool, DISTTYPE_ARCH) < 0) {
		pool_free(pool);
		return NULL;
	}
	pool_setarch(pool, "noarch");
	/* Replaces+Conflicts X also takes a package that provides X, as txn_plan.c does */
	pool_set_flag(pool, POOL_FLAG_OBSOLETEUSESPROVIDES, 1);
	return pool;
}

int spk_solve(const struct spk_solve_pkg *installed, size_t n_installed,
	      const struct spk_solve_pkg *available, size_t n_available, const struct spk_job *jobs,
	      size_t n_jobs, unsigned flags, struct spk_solve_result *out, struct spk_err *e)
{
	struct solve sv = { .e = e };
	struct parsed *pi = calloc(n_installed + 1, sizeof(*pi));
	struct parsed *pa = calloc(n_available + 1, sizeof(*pa));
	struct spk_relations *targets = calloc(n_jobs + 1, sizeof(*targets));
	Queue ups, vnames, q;
	Solver *solv = NULL;
	Repo *inst, *avail;
	bool removing = false;
	int r = 0, nprob;

	memset(out, 0, sizeof(*out));
	queue_init(&ups);
	queue_init(&vnames);
	queue_init(&q);
	sv.pool = new_pool();
	if (!pi || !pa || !targets || !sv.pool) {
		r = spk_fail(e, sv.pool ? -ENOMEM : -EINVAL, "solve",
			     sv.pool ? NULL : "libsolv lacks arch version semantics");
		goto out;
	}
	for (size_t i = 0; i < n_installed && r == 0; i++)
		r = parse_pkg(&pi[i], &installed[i], e);
	for (size_t i = 0; i < n_available && r == 0; i++)
		r = parse_pkg(&pa[i], &available[i], e);
	for (size_t i = 0; i < n_jobs && r == 0; i++) {
		if (jobs[i].kind == SPK_JOB_UPGRADE_ALL)
			continue;
		r = spk_relations_parse(&targets[i], jobs[i].target ? jobs[i].target : "", false, e);
		if (r == 0 && targets[i].n != 1)
			r = spk_fail(e, -SPK_EUSAGE, jobs[i].target ? jobs[i].target : "(null)",
				     "one package name, optionally with a version constraint");
	}
	if (r < 0)
		goto out;

	/* versions: rank every upstream part in sight */
	for (size_t i = 0; i < n_installed; i++)
		collect_pkg(sv.pool, &ups, &vnames, &pi[i]);
	for (size_t i = 0; i < n_available; i++)
		collect_pkg(sv.pool, &ups, &vnames, &pa[i]);
	for (size_t i = 0; i < n_jobs; i++)
		if (targets[i].n && targets[i].v[0].version) {
			collect_upstream(sv.pool, &ups, targets[i].v[0].version);
			queue_push(&vnames, pool_str2id(sv.pool, targets[i].v[0].name, 1));
		}
	if (mark_versioned(&sv, &vnames) < 0 || rank_upstreams(&sv, &ups) < 0) {
		r = spk_fail(e, -ENOMEM, "solve", NULL);
		goto out;
	}

	/* solvables, in name order; of equal versions of one name, the lowest repo index only */
	solv_sort(pi, n_installed, sizeof(*pi), cmp_parsed, NULL);
	solv_sort(pa, n_available, sizeof(*pa), cmp_parsed, NULL);
	sv.by_id = calloc(n_installed + n_available + 2, sizeof(*sv.by_id));
	if (!sv.by_id) {
		r = spk_fail(e, -ENOMEM, "solve", NULL);
		goto out;
	}
	inst = repo_create(sv.pool, "installed");
	avail = repo_create(sv.pool, "available");
	for (size_t i = 0; i < n_installed; i++)
		add_solvable(&sv, inst, &pi[i]);
	for (size_t i = 0; i < n_available; i++) {
		if (i && !strcmp(pa[i].pkg->name, pa[i - 1].pkg->name) &&
		    !spk_version_cmp(pa[i].pkg->version, pa[i - 1].pkg->version))
			continue;
		add_solvable(&sv, avail, &pa[i]);
	}
	repo_internalize(inst);
	repo_internalize(avail);
	pool_set_installed(sv.pool, inst);
	pool_createwhatprovides(sv.pool);

	for (size_t i = 0; i < n_jobs; i++) {
		if (jobs[i].kind == SPK_JOB_UPGRADE_ALL) {
			queue_push2(&q, SOLVER_UPDATE | SOLVER_SOLVABLE_ALL, 0);
			continue;
		}
		r = add_job(&sv, &q, &jobs[i], &targets[i].v[0]);
		if (r < 0)
			goto out;
		removing |= jobs[i].kind == SPK_JOB_REMOVE;
	}
	if (removing && (flags & SPK_SOLVE_CASCADE))
		queue_push2(&q, SOLVER_ALLOWUNINSTALL | SOLVER_SOLVABLE_ALL, 0);

	solv = solver_create(sv.pool);
	nprob = solver_solve(solv, &q);
	if (nprob) {
		char why[1024];

		explain(&sv, solv, nprob, why, sizeof(why));
		r = spk_fail(e, -SPK_EDEPENDS, n_jobs == 1 && jobs[0].target ? jobs[0].target : "request",
			     "%s", why);
		goto out;
	}
	r = collect_result(&sv, solv, out);
	if (r < 0) {
		spk_solve_result_release(out);
		spk_fail(e, r, "solve", NULL);
	}
out:
	if (solv)
		solver_free(solv);
	queue_free(&q);
	queue_free(&ups);
	queue_free(&vnames);
	for (size_t i = 0; targets && i < n_jobs; i++)
		spk_relations_release(&targets[i]);
	free(targets);
	parsed_release(pi, n_installed);
	parsed_release(pa, n_available);
	free(sv.by_id);
	free(sv.versioned);
	free(sv.rank);
	free(sv.rank_str);
	if (sv.pool)
		pool_free(sv.pool);
	return r;
}

void spk_solve_result_release(struct spk_solve_result *r)
{
	free(r->install);
	free(r->remove);
	memset(r, 0, sizeof(*r));
}

int spk_solve_version_order(const char *const *v, size_t n, int *cmp)
{
	struct solve sv = { 0 };
	Queue ups;
	Id *evr = calloc(n + 1, sizeof(*evr));
	int r = 0;

	queue_init(&ups);
	sv.pool = new_pool();
	if (!evr || !sv.pool) {
		r = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		const char *rel;
		size_t len = split_version(v[i], &rel);

		if (rel ? !spk_version_is_valid(v[i]) : !spk_upstream_is_valid(v[i])) {
			r = -SPK_EFORMAT;
			goto out;
		}
		(void)len;
		collect_upstream(sv.pool, &ups, v[i]);
	}
	r = rank_upstreams(&sv, &ups);
	if (r < 0)
		goto out;
	for (size_t i = 0; i < n; i++)
		evr[i] = evr_id(&sv, v[i]);
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++) {
			int c = pool_evrcmp(sv.pool, evr[i], evr[j], EVRCMP_MATCH_RELEASE);

			/* +-2: equal but for a release one side lacks: upstream only, equal */
			cmp[i * n + j] = c == 2 || c == -2 ? 0 : c;
		}
out:
	queue_free(&ups);
	free(evr);
	free(sv.rank);
	free(sv.rank_str);
	if (sv.pool)
		pool_free(sv.pool);
	return r;
}
