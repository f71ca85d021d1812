/* libFuzzer: the HTTP header values the transport parses from untrusted servers (Retry-After,
 * Content-Range). The first byte picks the parser; what parses must satisfy its invariants. */
#include "libspk/fetch_http.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t first, last, complete;
	uint32_t secs;

	if (size < 1)
		return 0;
	if (data[0] & 1) {
		if (spk_fetch_http_content_range((const char *)data + 1, size - 1, &first, &last,
						 &complete) == 0 &&
		    (first > last || (complete != UINT64_MAX && last >= complete)))
			abort();
	} else {
		/* now in the range of real clocks, and at both ends of time_t */
		time_t now = (data[0] & 2) ? 1764000000 : (data[0] & 4) ? 0 : (time_t)INT64_MAX;

		if (spk_fetch_http_retry_after((const char *)data + 1, size - 1, now, &secs) == 0 &&
		    now == (time_t)INT64_MAX && secs != 0 && !(data[1] >= '0' && data[1] <= '9') &&
		    data[1] != ' ' && data[1] != '\t')
			abort(); /* a date can never lie after the end of time */
	}
	return 0;
}
