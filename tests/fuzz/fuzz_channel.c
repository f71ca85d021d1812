/* libFuzzer: SPKCHANNEL parsing. Whatever parses must format back to text that parses to the same
 * channel (the client compares serials and digests of what it parsed). */
#include "libspk/buf.h"
#include "libspk/channel.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct spk_channel a, b;
	struct spk_buf text = SPK_BUF_INIT;
	struct spk_err e = {0};

	if (spk_channel_parse(&a, (const char *)data, size, "fuzz", &e) < 0)
		return 0;
	if (spk_channel_format(&a, &text) < 0)
		abort();
	if (spk_channel_parse(&b, text.data, text.len, "fuzz", &e) < 0)
		abort();
	if (strcmp(a.repository, b.repository) || strcmp(a.snapshot, b.snapshot) ||
	    a.serial != b.serial || a.date != b.date || a.valid_until != b.valid_until ||
	    memcmp(a.index_sha256, b.index_sha256, 32))
		abort();
	spk_buf_release(&text);
	return 0;
}
