/* A user's request against the repositories: resolve it (solve.h), fetch what it needs (fetch.h,
 * into the download cache), and carry it out as one transaction (txn.h). */
#ifndef SPK_REQUEST_H
#define SPK_REQUEST_H

#include "libspk/err.h"
#include "libspk/fetch.h"
#include "libspk/root.h"

#include <stddef.h>

enum spk_request_kind { SPK_REQ_INSTALL, SPK_REQ_UPGRADE };

struct spk_request {
	enum spk_request_kind kind;
	const char *const *files; /* local package files to install */
	size_t n_files;
	const char *const *targets; /* NAME[OPVER] to install, or names to upgrade */
	size_t n_targets;	      /* an upgrade of no names upgrades everything */
	const struct spk_fetch_opts *fetch;
	const struct spk_fetch_cb *progress; /* may be NULL */
};

int spk_request_run(struct spk_root *root, const struct spk_request *rq, struct spk_err *e);

#endif
