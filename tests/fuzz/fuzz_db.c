/* libFuzzer: the installed database parser. */
#include "libspk/db.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct spk_db db;
	struct spk_buf out = SPK_BUF_INIT;

	if (spk_db_parse(&db, (const char *)data, size, "fuzz", NULL) < 0)
		return 0;
	spk_db_format(&db, &out);
	spk_buf_release(&out);
	spk_db_release(&db);
	return 0;
}
