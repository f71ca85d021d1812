/* libFuzzer: SPKINDEX parsing, as text and (first byte 'X') as xz. What parses must format and
 * parse back to the same entries. */
#include "libspk/buf.h"
#include "libspk/index.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void roundtrip(const struct spk_index *ix)
{
	struct spk_buf text = SPK_BUF_INIT;
	struct spk_index back;
	struct spk_err e = {0};

	if (spk_index_format(ix->entries, ix->n, &text, &e) < 0) {
		/* only unknown-key-free, valid entries reach here; all of them must format */
		abort();
	}
	if (spk_index_parse(&back, text.data ? text.data : "", text.len, "fuzz", &e) < 0 ||
	    back.n != ix->n)
		abort();
	for (size_t i = 0; i < ix->n; i++) {
		const struct spk_index_entry *a = &ix->entries[i], *b = &back.entries[i];

		if (strcmp(a->name, b->name) || strcmp(a->version, b->version) ||
		    strcmp(a->arch, b->arch) || strcmp(a->description, b->description) ||
		    strcmp(a->depends, b->depends) || strcmp(a->asset, b->asset) ||
		    strcmp(a->asset_tag, b->asset_tag) || a->size != b->size ||
		    a->installed_size != b->installed_size || memcmp(a->sha256, b->sha256, 32))
			abort();
	}
	spk_index_release(&back);
	spk_buf_release(&text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct spk_index ix;
	struct spk_err e = {0};
	int r;

	if (size && data[0] == 'X')
		r = spk_index_load_xz(&ix, data + 1, size - 1, "fuzz", &e);
	else
		r = spk_index_parse(&ix, (const char *)data, size, "fuzz", &e);
	if (r == 0)
		roundtrip(&ix);
	spk_index_release(&ix);
	return 0;
}
