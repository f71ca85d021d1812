/* SPKCHANNEL: the small signed file a repository's `latest` release serves, naming its current
 * snapshot (ARCHITECTURE.md §4), and the rules a client applies before trusting it.
 *
 *   Repository: OWNER/REPO
 *   Snapshot: main-x86_64-2026.07.01.1
 *   Serial: 42
 *   Date: 2026-07-01T06:00:00Z
 *   Valid-Until: 2026-07-31T06:00:00Z
 *   Index-SHA256: <64 lower-case hex digits of SPKINDEX.xz as served>
 *
 * Unknown keys are ignored (a later spk may add some); a known key twice is malformed.
 */
#ifndef SPK_CHANNEL_H
#define SPK_CHANNEL_H

#include "libspk/err.h"
#include "libspk/sig.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct spk_buf;

#define SPK_CHANNEL_MAX (64 * 1024) /* ceiling on SPKCHANNEL's size */
#define SPK_CHANNEL_FIELD_MAX 256

struct spk_channel {
	char repository[SPK_CHANNEL_FIELD_MAX]; /* OWNER/REPO */
	char snapshot[SPK_CHANNEL_FIELD_MAX];   /* the release tag: [A-Za-z0-9._-]+ */
	uint64_t serial;
	int64_t date;        /* seconds since the epoch, UTC */
	int64_t valid_until; /* seconds since the epoch, UTC */
	uint8_t index_sha256[32];
};

/* What the client remembers about a repository and what it expects (the inputs of the rules). */
struct spk_channel_state {
	const char *repository;    /* expected OWNER/REPO, or NULL for any (a plain https mirror) */
	bool have_last;            /* a channel was accepted before */
	uint64_t last_serial;      /* its Serial */
	const char *last_snapshot; /* its Snapshot, or NULL */
	int64_t now;               /* the current time (seconds, UTC) */
};

/* Parses text into c. -SPK_EFORMAT naming the line when malformed or a required key is missing.
 * what names the file ("github:o/r SPKCHANNEL"). */
int spk_channel_parse(struct spk_channel *c, const char *text, size_t len, const char *what,
                      struct spk_err *e);
/* Appends the canonical text of c. */
int spk_channel_format(const struct spk_channel *c, struct spk_buf *out);

/* "2026-11-25T06:00:00Z" <-> seconds. Parse accepts only that form (UTC, "Z"); -SPK_EFORMAT. */
int spk_channel_time_parse(const char *s, int64_t *t);
void spk_channel_time_format(int64_t t, char *buf, size_t n);

/* The acceptance rules, a pure function of its inputs: verifies sigtext over text with the
 * trusted keys kr, parses, then checks against st. On success c holds the accepted channel.
 *   -SPK_ESIGNATURE  missing (siglen 0) or bad signature, unknown key ID
 *   -SPK_EFORMAT     malformed channel or signature file
 *   -SPK_EMISMATCH   Repository differs from st->repository
 *   -SPK_EROLLBACK   Serial lower than st->last_serial, or equal with another Snapshot
 *   -SPK_EEXPIRED    Valid-Until <= st->now
 * what names the repository in errors. */
int spk_channel_accept(struct spk_channel *c, const char *text, size_t len, const char *sigtext,
                       size_t siglen, const struct spk_sig_keyring *kr,
                       const struct spk_channel_state *st, const char *what, struct spk_err *e);

/* spk_channel_accept() with the trusted keys of a root: {root}/etc/spk/keys/NAME.pub (rootfd: the
 * root directory). A malformed key file there is an error (-SPK_EFORMAT naming it). */
int spk_channel_accept_root(struct spk_channel *c, int rootfd, const char *text, size_t len,
                            const char *sigtext, size_t siglen, const struct spk_channel_state *st,
                            const char *what, struct spk_err *e);

/* Checks the SPKINDEX.xz bytes against the accepted channel's Index-SHA256; -SPK_EMISMATCH. */
int spk_channel_check_index(const struct spk_channel *c, const void *index, size_t len,
                            const char *what, struct spk_err *e);

/* Lower-case hex of 32 bytes into buf (65 bytes). */
void spk_channel_hex(const uint8_t sha[32], char *buf);

#endif
