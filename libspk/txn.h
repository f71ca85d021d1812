/* One spk command = one transaction: all of it happens, or none of it does, whatever instant a
 * kill -9 or a power cut strikes.
 *
 * Invariants
 *   I1  Nothing on disk changes before the journal (journal.h), naming every path the
 *       transaction will create, replace or remove, is durably in place.
 *   I2  Live files are never written: new content is staged beside its final path under a name
 *       derived from that path, and renamed over it; a replaced file is first hard-linked to a
 *       backup name beside it.
 *   I3  The commit point is the atomic replacement of the installed database; the database
 *       records the id of the transaction that wrote it.
 *   I4  Recovery is idempotent and needs only the journal and the disk: if the database carries
 *       the journal's id the transaction committed and is rolled forward, else it is rolled
 *       back. A crash during recovery is recovered the same way.
 *
 *   (no journal) --spk_txn_commit: write journal--> JOURNALED
 *   JOURNALED --txn_run_pre_hooks, txn_stage: files staged, dirs made--> STAGED
 *   STAGED --syncfs, txn_rename_into_place--> RENAMED
 *   RENAMED --txn_write_db (commit point)--> COMMITTED
 *   COMMITTED --txn_finish: backups and old files removed, world, hooks, journal unlinked--> done
 *   JOURNALED, STAGED, RENAMED --txn_roll_back (also on any failure)--> (no journal)
 *   COMMITTED --txn_finish (spk_txn_recover)--> done
 */
#ifndef SPK_TXN_H
#define SPK_TXN_H

#include "libspk/db.h"
#include "libspk/err.h"
#include "libspk/journal.h"
#include "libspk/pkg.h"
#include "libspk/root.h"
#include "libspk/strmap.h"

#include <stdbool.h>
#include <stddef.h>

enum spk_step_kind { SPK_STEP_INSTALL, SPK_STEP_UPGRADE, SPK_STEP_REMOVE };

struct spk_step {
	enum spk_step_kind kind;
	char *name;
	char *old_version; /* NULL for an install */
	char *new_version; /* NULL for a removal */
	struct spk_pkg *pkg; /* the package to unpack; NULL for a removal */
	struct spk_dbpkg *old; /* the installed record; NULL for an install */
};

struct spk_txn {
	struct spk_root *root;
	struct spk_db db;	  /* installed state, loaded under the lock */
	struct spk_pkg **adds;	  /* packages given to install (owned) */
	size_t n_adds;
	char **removes;		  /* names given to remove (owned) */
	size_t n_removes;
	bool cascade;		  /* removals take their dependents along */
	struct spk_step *steps;	  /* the plan */
	size_t n_steps;
	struct spk_journal journal;
	struct spk_strmap transfer; /* path -> installed record losing it (Replaces) */
	struct spk_strmap final;    /* path -> owner after the transaction (planning) */
	void *owners;		    /* storage behind final */
	char **explicit;	    /* names the user asked for: they go into the world file */
	size_t n_explicit;
	bool planned;
};

/* Takes the root's lock, finishes any interrupted transaction, loads the database. */
int spk_txn_begin(struct spk_txn *t, struct spk_root *root, struct spk_err *e);
void spk_txn_release(struct spk_txn *t);

/* Queues a package file (opened and its head checked now). */
int spk_txn_add_file(struct spk_txn *t, const char *path, struct spk_err *e);
/* Records that the user asked for name itself (world), not as a dependency. */
int spk_txn_mark_explicit(struct spk_txn *t, const char *name, struct spk_err *e);
/* Queues the removal of an installed package. */
int spk_txn_remove(struct spk_txn *t, const char *name, struct spk_err *e);

/* Decides the steps: versions, Conflicts/Replaces, dependencies, file ownership, what on disk
 * is created, replaced or removed. Nothing is written. txn_plan.c */
int spk_txn_plan(struct spk_txn *t, struct spk_err *e);

/* Carries the plan out (see the diagram above). txn_apply.c */
int spk_txn_commit(struct spk_txn *t, struct spk_err *e);

/* Finishes whatever transaction the journal describes; the caller holds the lock.
 * txn_recover.c */
int spk_txn_recover(struct spk_root *root, struct spk_err *e);

/* Shared by commit and recovery (txn_recover.c). */
int spk_txn_roll_back(struct spk_root *root, const struct spk_journal *j, struct spk_err *e);
int spk_txn_finish(struct spk_root *root, const struct spk_journal *j, const struct spk_db *db,
		   struct spk_err *e);

/* Runs a hook script chrooted into the root (hooks.c). Returns 0, -SPK_EHOOK if it failed, or 1
 * when the root has no /bin/sh to run it (skipped, as pacman does). */
int spk_hook_run(struct spk_root *root, const char *pkgname, enum spk_hook hook,
		 const char *script, size_t len, const char *new_version,
		 const char *old_version, struct spk_err *e);

/* Reports (through root->on_warning) a hook that could not run for want of /bin/sh. */
void spk_hook_skipped(struct spk_root *root, const char *pkg, enum spk_hook h);

#endif
