/* The transport: downloads a batch of URLs with libcurl's multi interface.
 *
 * Parallel transfers (HTTP/2 multiplexed where the server offers it), redirects followed (GitHub
 * answers asset URLs with a 302 to a short-lived storage URL), retries with exponential back-off
 * honouring Retry-After on 429, 5xx and connection errors, resume with Range from an existing
 * DEST.part, SHA-256 computed while streaming and checked before DEST.part is renamed to DEST.
 * An optional token goes to GitHub origins only, never to a redirect target elsewhere.
 * The library never prints: progress and retries leave through struct spk_fetch_cb. */
#ifndef SPK_FETCH_H
#define SPK_FETCH_H

#include "libspk/buf.h"
#include "libspk/err.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SPK_FETCH_PARALLEL 6

/* One download. The caller fills the "in" part (pointers are borrowed for the duration of
 * spk_fetch_run()) and zeroes the rest; spk_fetch_run() fills the "out" part. */
struct spk_fetch_req {
	/* in */
	const char *url;     /* http:// or https:// */
	const char *dest;    /* file: written as DEST.part, renamed to DEST once verified */
	struct spk_buf *mem; /* or, when dest is NULL, appended here (its ceiling applies) */
	uint64_t size;	     /* expected length in bytes; 0 = unknown */
	const char *sha256;  /* expected SHA-256, 64 hex digits; NULL = unknown */

	/* out */
	int result;	       /* 0 or a negative code (then err says what and why) */
	struct spk_err err;
	uint64_t bytes;	       /* length of the result */
	char sha256_got[65];   /* SHA-256 of the result (hex), "" on failure */
	unsigned attempts;     /* requests started, redirects not counted */
	bool cached;	       /* DEST already held the expected bytes: nothing was fetched */
	bool resumed;	       /* continued an existing DEST.part with a Range request */
};

struct spk_fetch_opts {
	unsigned parallel;	     /* transfers at once; default SPK_FETCH_PARALLEL */
	unsigned max_attempts;	     /* per request, the first included; default 5 */
	unsigned backoff_ms;	     /* first back-off, doubled at each retry; default 500 */
	unsigned max_wait_ms;	     /* longest single wait: a longer Retry-After fails; default 60 s */
	unsigned total_wait_ms;	     /* all waits of one request together; default 120 s */
	unsigned connect_timeout_ms; /* default 15 s */
	unsigned low_speed_limit;    /* bytes/s; a transfer slower than this ... */
	unsigned low_speed_time;     /* ... for this many seconds is aborted (and retried); 30 s */
	const char *user_agent;	     /* default "spk/VERSION" */
	const char *token;	     /* bearer token for GitHub origins; NULL = none */
	const char *github_url;	     /* SPK_GITHUB_URL: its origin counts as GitHub; NULL = none */
};

/* What moved: handed to the progress callback at most every 100 ms and when a request ends. */
struct spk_fetch_progress {
	size_t index;		/* the request that moved (index into the batch) */
	const char *name;	/* its short name: the last component of its URL path */
	uint64_t file_done;	/* its bytes so far (a resumed file counts what it had) */
	uint64_t file_total;	/* its length; 0 = unknown */
	bool finished;		/* the request has ended (see its result) */
	size_t files_done;	/* requests ended, ok or not */
	size_t files_total;
	uint64_t done;		/* bytes of all requests so far */
	uint64_t total;		/* sum of the known lengths */
	double rate;		/* bytes/s received by this run so far */
	double elapsed;		/* seconds since the run started */
};

struct spk_fetch_cb {
	void (*progress)(void *ctx, const struct spk_fetch_progress *p);
	/* A request failed and will be tried again after wait_ms; why says what went wrong. */
	void (*retry)(void *ctx, const struct spk_fetch_req *r, unsigned attempt, unsigned wait_ms,
		      const char *why);
	void *ctx;
};

/* The defaults above. */
void spk_fetch_opts_init(struct spk_fetch_opts *o);

/* Reads the environment into o (pointers into environ, valid while it is unchanged):
 * GITHUB_TOKEN (or SPK_GITHUB_TOKEN), SPK_GITHUB_URL, and for tests SPK_FETCH_BACKOFF_MS,
 * SPK_FETCH_MAX_WAIT_MS, SPK_FETCH_TOTAL_WAIT_MS, SPK_FETCH_ATTEMPTS, SPK_FETCH_LOW_SPEED_TIME,
 * SPK_FETCH_CONNECT_TIMEOUT_MS. Returns 0, or -SPK_EUSAGE naming a malformed variable. */
int spk_fetch_opts_env(struct spk_fetch_opts *o, struct spk_err *e);

/* Runs the batch. A request whose DEST exists with the expected size and SHA-256 is not fetched
 * (cached = true; it needs sha256). A request that fails leaves DEST untouched; a truncated or
 * interrupted download keeps DEST.part for the next run to resume, a SHA-256 mismatch deletes it.
 * Returns 0 when every request succeeded; otherwise the first failed request's code, with e
 * copied from its err (each request keeps its own). Codes: -SPK_ENETWORK (HTTP error, offline,
 * retries exhausted, truncated), -SPK_EMISMATCH (SHA-256 or size differs), -EFBIG (mem ceiling),
 * -errno (files), -SPK_EUSAGE (bad request), -ENOMEM. */
int spk_fetch_run(struct spk_fetch_req *reqs, size_t n, const struct spk_fetch_opts *o,
		  const struct spk_fetch_cb *cb, struct spk_err *e);

/* A small file into memory (SPKCHANNEL, SPKINDEX.xz): out's ceiling bounds it (-EFBIG past it).
 * out is appended to; on failure its contents are undefined but it stays valid to release. */
int spk_fetch_mem(const char *url, struct spk_buf *out, const struct spk_fetch_opts *o,
		  struct spk_err *e);

/* Whether a token may be sent to url: https github.com, *.github.com, or the same scheme, host
 * and port as o->github_url. */
bool spk_fetch_is_github(const struct spk_fetch_opts *o, const char *url);

#endif
