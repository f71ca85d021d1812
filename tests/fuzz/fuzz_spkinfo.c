/* libFuzzer: the .SPKINFO parser, and the canonical form it prints must parse again. */
#include "libspk/info.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct spk_info info, again;
	struct spk_buf out = SPK_BUF_INIT;

	if (spk_info_parse(&info, (const char *)data, size, "fuzz", NULL) < 0)
		return 0;
	if (spk_info_format(&info, &out) == 0 &&
	    spk_info_parse(&again, out.data, out.len, "fuzz", NULL) == 0)
		spk_info_release(&again);
	else
		abort(); /* canonical output that does not parse back is a bug */
	spk_buf_release(&out);
	spk_info_release(&info);
	return 0;
}
