/* Repositories (ARCHITECTURE.md §4): {root}/etc/spk/repositories, one a line:
 *   github:OWNER/REPO[@TAG]        https://github.com/OWNER/REPO (SPK_GITHUB_URL replaces the host)
 *   https://HOST/PATH[@TAG]        any server with the same release tree (http:// too, for tests)
 * and their last accepted state under {root}/var/lib/spk/repos/ID/: SPKINDEX.xz,
 * SPKCHANNEL.minisig and SPKCHANNEL, written in that order so the channel, written last, is the
 * commit point: a state whose index does not match its channel is treated as absent. */
#ifndef SPK_REPO_H
#define SPK_REPO_H

#include "libspk/channel.h"
#include "libspk/err.h"
#include "libspk/fetch.h"
#include "libspk/index.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SPK_REPOS_CONF "etc/spk/repositories"
#define SPK_REPOS_STATE "var/lib/spk/repos"

struct spk_repo {
	char *line;	  /* as written, for messages */
	char *base;	  /* {base} of the release tree */
	char *repository; /* OWNER/REPO the channel must name; NULL for plain URLs */
	char *pin;	  /* @TAG, or NULL to follow latest */
	char *id;	  /* its state directory's name */
	bool loaded;	  /* channel and index below are valid */
	struct spk_channel channel;
	struct spk_index index;
};

struct spk_repos {
	struct spk_repo *v;
	size_t n;
};

/* Reads the configuration (absent file: no repositories). Caller releases. */
int spk_repos_config(struct spk_repos *rs, int rootfd, struct spk_err *e);
void spk_repos_release(struct spk_repos *rs);

/* Fetches and verifies every repository's channel, signature and index; writes the new states
 * only once all of them were accepted, so a refusal changes nothing. The caller holds the lock.
 * report(arg, repo) is called for each repository after the states are written. */
int spk_repos_update(struct spk_repos *rs, int rootfd, bool sync, const struct spk_fetch_opts *fo,
		     void (*report)(void *arg, const struct spk_repo *r), void *arg,
		     struct spk_err *e);

/* Loads the stored states, verifying each again (signature, index hash, Valid-Until against now).
 * A repository never updated is an error naming it ("run spk update"). */
int spk_repos_load(struct spk_repos *rs, int rootfd, int64_t now, struct spk_err *e);

/* {base}/releases/download/{Asset-Tag or Snapshot}/{Asset} into buf. */
void spk_repo_asset_url(const struct spk_repo *r, const struct spk_index_entry *x, char *buf,
			size_t n);

#endif
