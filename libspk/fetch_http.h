/* HTTP header values the transport reads from untrusted servers: Retry-After and Content-Range.
 * Pure functions (no I/O), fuzzed by tests/fuzz/fuzz_http_headers.c. */
#ifndef SPK_FETCH_HTTP_H
#define SPK_FETCH_HTTP_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP-date. value need not be NUL-terminated;
 * surrounding blanks and a trailing CR LF are ignored. A date in the past gives 0; huge values are
 * clamped to UINT32_MAX seconds. Returns 0 and sets *secs, or -EINVAL when the value is neither. */
int spk_fetch_http_retry_after(const char *value, size_t len, time_t now, uint32_t *secs);

/* Content-Range of a 206 answer (RFC 9110 §14.4): "bytes FIRST-LAST/COMPLETE" or
 * "bytes FIRST-LAST/\*" (*complete is then UINT64_MAX). Checks FIRST <= LAST < COMPLETE.
 * Returns 0, or -EINVAL when malformed. */
int spk_fetch_http_content_range(const char *value, size_t len, uint64_t *first, uint64_t *last,
				 uint64_t *complete);

#endif
