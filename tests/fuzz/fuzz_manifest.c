/* libFuzzer: the per-file record parser (package member and database lines). */
#include "libspk/manifest.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct spk_manifest m, again;
	struct spk_buf out = SPK_BUF_INIT;

	if (spk_manifest_parse(&m, (const char *)data, size, "", "fuzz", NULL) < 0)
		return 0;
	if (spk_manifest_format(&m, " ", &out) < 0 ||
	    spk_manifest_parse(&again, out.data, out.len, " ", "fuzz", NULL) < 0 ||
	    again.n != m.n)
		abort();
	spk_manifest_release(&again);
	spk_buf_release(&out);
	spk_manifest_release(&m);
	return 0;
}
