/* The progress line of long operations: per-file and total bytes, rate and ETA, redrawn in place
 * with \r on stderr, erased when done. Silent unless stderr is a terminal, and with --quiet. */
#ifndef SPK_CLI_PROGRESS_H
#define SPK_CLI_PROGRESS_H

#include "libspk/fetch.h"

#include <stdbool.h>
#include <stddef.h>

struct progress {
	bool on;	 /* drawing at all */
	int fd;		 /* stderr */
	size_t width;	 /* terminal columns */
	bool drawn;	 /* a line is on screen */
};

/* Decides once whether to draw: stderr is a terminal and not quiet. */
void progress_init(struct progress *p, bool quiet);

/* For struct spk_fetch_cb: .progress = progress_fetch, .ctx = &p. */
void progress_fetch(void *ctx, const struct spk_fetch_progress *fp);

/* Erases the line; call before printing anything else to stderr, and at the end. */
void progress_clear(struct progress *p);

/* "1.5 MiB", "320 KiB", "12 B" into buf. */
void progress_bytes(char *buf, size_t n, double bytes);

#endif
