/* The target root: everything spk reads or writes is opened relative to its directory fd. */
#ifndef SPK_ROOT_H
#define SPK_ROOT_H

#include "libspk/err.h"

#include <stdbool.h>

#define SPK_STATE_DIR "var/lib/spk"
#define SPK_DB_PATH SPK_STATE_DIR "/installed"
#define SPK_DBINDEX_PATH SPK_STATE_DIR "/installed.idx"
#define SPK_WORLD_PATH SPK_STATE_DIR "/world"
#define SPK_JOURNAL_PATH SPK_STATE_DIR "/journal"
#define SPK_LOCK_PATH SPK_STATE_DIR "/lock"

struct spk_root {
	int fd;
	char *path;	 /* as given, for messages and chroot */
	bool sync;	 /* fsync/syncfs the transaction (default: yes for "/", no otherwise) */
	bool is_system_root; /* the same directory as "/" (hooks then run without chroot) */
	bool dry_run;
	int lockfd;	 /* -1 when not locked */
	/* Callbacks (the library never prints); each may be NULL. */
	void (*on_lock_wait)(void *arg, const char *lockpath); /* once, before waiting */
	void (*on_warning)(void *arg, const char *what, const char *msg);
	/* verb: "installing", "upgrading", "downgrading", "removing"; old/new may be NULL */
	void (*on_action)(void *arg, const char *verb, const char *name, const char *old_version,
			  const char *new_version);
	void *cb_arg;
};

/* sync: 1, 0, or -1 for the default. The root directory must exist. */
int spk_root_open(struct spk_root *root, const char *path, int sync, struct spk_err *e);
void spk_root_close(struct spk_root *root);

/* Takes the root's lock (flock on var/lib/spk/lock, created if needed): waits for another spk
 * after calling on_lock_wait once. Released by spk_root_unlock() or spk_root_close(). */
int spk_root_lock(struct spk_root *root, struct spk_err *e);
void spk_root_unlock(struct spk_root *root);

/* Before any command reads state: if an unfinished transaction's journal is present, take the
 * lock and finish it (roll back or forward, txn_recover.c). Read-only commands call this too. */
int spk_root_recover(struct spk_root *root, struct spk_err *e);

#endif
