/* The dependency resolver: which packages to install, upgrade and remove for a request, on libsolv.
 *
 * Semantics (ARCHITECTURE.md §2 relations, versions ordered by spk_version_cmp exactly):
 * - Depends, Provides (bare "name" and versioned "name=ver"), Conflicts, both ways. A bare provide
 *   satisfies only unversioned relations (as pacman, and as txn_plan.c checks): "sh" provided bare
 *   does not satisfy "sh>=1". A constraint without -rN compares the upstream part only.
 * - Replaces X together with Conflicts X: the package obsoletes X (a rename; X is removed).
 * - Installed packages are kept unless a job needs them changed; nothing is downgraded unless a
 *   job target's constraint requires it; installing a name installed at an older version upgrades
 *   it; installed packages with no candidate anywhere are kept, also by SPK_JOB_UPGRADE_ALL.
 * - Among candidates of one name: the highest version, then the lowest repo index (an equal
 *   version in a later repository is ignored). Among providers of different names (nothing
 *   installed provides it): the alphabetically first name, after libsolv's version pruning.
 * - Without SPK_SOLVE_CASCADE a removal that would break an installed dependent fails.
 */
#ifndef SPK_SOLVE_H
#define SPK_SOLVE_H

#include "libspk/err.h"

#include <stddef.h>

/* One candidate or installed package; strings borrowed for the duration of spk_solve(). */
struct spk_solve_pkg {
	const char *name, *version, *arch;
	const char *depends, *provides, *conflicts, *replaces; /* relation-list text, "" if none */
	int repo;   /* index of its repository (lower wins on equal versions); -1 = installed */
	void *user; /* the caller's pointer, handed back in the result */
};

enum spk_job_kind { SPK_JOB_INSTALL, SPK_JOB_REMOVE, SPK_JOB_UPGRADE, SPK_JOB_UPGRADE_ALL };

struct spk_job {
	enum spk_job_kind kind;
	const char *target; /* "name", "name>=1.0" (relation syntax); NULL for UPGRADE_ALL */
};

/* The pointers point into the installed and available arrays given to spk_solve(); the arrays
 * of pointers are owned by the result (spk_solve_result_release()). Both sorted by name. */
struct spk_solve_result {
	const struct spk_solve_pkg **install; /* to install or upgrade to (from available) */
	size_t n_install;
	const struct spk_solve_pkg **remove; /* installed packages to remove (obsoleted by a
					      * Conflicts+Replaces, cascades); an installed package
					      * upgraded to a package of the same name is not listed */
	size_t n_remove;
};

#define SPK_SOLVE_CASCADE 1 /* removal may take dependents along */

/* Solves jobs against installed + available. 0 and out filled (release it), or:
 * -SPK_ENOTFOUND naming a target nobody provides (or a removal/upgrade target not installed),
 * -SPK_EDEPENDS with a one-line explanation in e->why ("nothing provides libfoo>=3 needed by
 * bar-1.0-r0"), -SPK_EFORMAT for a bad version or relation list (naming the package),
 * -ENOMEM. On failure out is empty. */
int spk_solve(const struct spk_solve_pkg *installed, size_t n_installed,
	      const struct spk_solve_pkg *available, size_t n_available, const struct spk_job *jobs,
	      size_t n_jobs, unsigned flags, struct spk_solve_result *out, struct spk_err *e);
void spk_solve_result_release(struct spk_solve_result *r);

/* For tests: compares versions the way the resolver's libsolv pool does, all of v in one pool
 * (each v[i] a version "1.0-r3" or an upstream "1.0"). cmp[i * n + j] receives <0, 0 or >0; a
 * side without -rN compares the upstream only. 0 or -ENOMEM / -SPK_EFORMAT. */
int spk_solve_version_order(const char *const *v, size_t n, int *cmp);

#endif
