/* SPKINDEX: write, compress, decompress, parse gives back the same entries; reproducible bytes;
 * and the parser's refusals, case by case. */
#include "libspk/index.h"
#include "libspk/buf.h"
#include "tests/lib/unit.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

struct bad {
	const char *title;
	const char *text;
	int code;
	const char *why;
};

#define SHA "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
#define OKSTANZA(name)                                                                             \
	"Name: " name "\nVersion: 1.0-r0\nArch: x86_64\nSize: 10\nSHA256: " SHA "\nAsset: " name   \
	"-1.0-r0-x86_64.tar.xz\nAsset-Tag: t1\n"

static bool same(const struct spk_index_entry *a, const struct spk_index_entry *b)
{
	return !strcmp(a->name, b->name) && !strcmp(a->version, b->version) &&
	       !strcmp(a->arch, b->arch) && !strcmp(a->description, b->description) &&
	       !strcmp(a->depends, b->depends) && !strcmp(a->provides, b->provides) &&
	       !strcmp(a->conflicts, b->conflicts) && !strcmp(a->replaces, b->replaces) &&
	       a->size == b->size && a->installed_size == b->installed_size &&
	       !memcmp(a->sha256, b->sha256, 32) && !strcmp(a->asset, b->asset) &&
	       !strcmp(a->asset_tag, b->asset_tag);
}

int main(void)
{
	struct spk_index_entry v[3] = {
	    {"bar",
	     "2.0.1-r3",
	     "noarch",
	     "the bar, with: colons",
	     "foo >= 1.0, libc",
	     "",
	     "",
	     "",
	     123,
	     4567,
	     {1, 2, 3},
	     "bar-2.0.1-r3-noarch.tar.xz",
	     "main-1"},
	    {"foo",
	     "1.0-r0",
	     "x86_64",
	     "",
	     "",
	     "foo-api=1",
	     "oldfoo",
	     "oldfoo < 1.0",
	     18446744073709551615ull,
	     0,
	     {255},
	     "foo-1.0-r0-x86_64.tar.xz",
	     "main-2"},
	    {"foo",
	     "1.0-r0",
	     "aarch64",
	     "",
	     "",
	     "",
	     "",
	     "",
	     0,
	     0,
	     {0},
	     "foo-1.0-r0-aarch64.tar.xz",
	     "main-2"},
	};
	struct spk_buf text = SPK_BUF_INIT, xz = SPK_BUF_INIT, xz2 = SPK_BUF_INIT;
	struct spk_index ix;
	struct spk_err e = {0};
	int r;

	spk_index_sort(v, 3);
	unit_check(!strcmp(v[1].arch, "aarch64"), "sort: name, version, then arch");
	unit_check(spk_index_format(v, 3, &text, &e) == 0, "format 3 entries");
	unit_check(spk_index_compress(text.data, text.len, &xz, &e) == 0 &&
	               spk_index_compress(text.data, text.len, &xz2, &e) == 0 &&
	               xz.len == xz2.len && !memcmp(xz.data, xz2.data, xz.len),
	           "compression is reproducible (%zu bytes)", xz.len);
	r = spk_index_load_xz(&ix, xz.data, xz.len, "SPKINDEX.xz", &e);
	unit_check(r == 0 && ix.n == 3, "load back: r=%d n=%zu %s", r, ix.n, e.why);
	for (size_t i = 0; i < 3 && r == 0; i++)
		unit_check(same(&ix.entries[i], &v[i]), "entry %zu (%s %s) round trips", i,
		           v[i].name, v[i].arch);
	spk_index_release(&ix);

	/* xz damage */
	xz.data[xz.len / 2] ^= 0x55;
	unit_check(spk_index_load_xz(&ix, xz.data, xz.len, "SPKINDEX.xz", &e) == -SPK_ECORRUPT,
	           "corrupt xz refused: %s", e.why);
	spk_index_release(&ix);
	unit_check(spk_index_load_xz(&ix, xz2.data, xz2.len - 7, "SPKINDEX.xz", &e) ==
	               -SPK_ECORRUPT,
	           "truncated xz refused: %s", e.why);
	spk_index_release(&ix);
	spk_buf_addc(&xz2, 0);
	unit_check(spk_index_load_xz(&ix, xz2.data, xz2.len, "SPKINDEX.xz", &e) == -SPK_ECORRUPT &&
	               strstr(e.why, "trailing"),
	           "trailing bytes refused: %s", e.why);
	spk_index_release(&ix);

	/* a value with a newline cannot be written */
	v[0].description = "two\nlines";
	spk_buf_reset(&text);
	unit_check(spk_index_format(v, 1, &text, &e) == -EINVAL, "newline in a field refused: %s",
	           e.why);
	v[0].description = "";
	v[0].asset = "../../etc/passwd";
	unit_check(spk_index_format(v, 1, &text, &e) == -EINVAL, "asset with a slash refused");

	const struct bad bad[] = {
	    {"empty index is valid", "", 0, NULL},
	    {"one stanza", OKSTANZA("a"), 0, NULL},
	    {"two stanzas", OKSTANZA("a") "\n" OKSTANZA("b"), 0, NULL},
	    {"unknown key ignored", OKSTANZA("a") "X-Future: 1\n", 0, NULL},
	    {"no final newline", "Name: a", -SPK_EFORMAT, "final newline"},
	    {"leading blank line", "\n" OKSTANZA("a"), -SPK_EFORMAT, "blank line"},
	    {"two blank lines", OKSTANZA("a") "\n\n" OKSTANZA("b"), -SPK_EFORMAT, "blank line"},
	    {"missing SHA256",
	     "Name: a\nVersion: 1-r0\nArch: x86_64\nSize: 1\nAsset: a\nAsset-Tag: t\n",
	     -SPK_EFORMAT, "no SHA256"},
	    {"missing Asset-Tag",
	     "Name: a\nVersion: 1-r0\nArch: x86_64\nSize: 1\nSHA256: " SHA "\nAsset: a\n",
	     -SPK_EFORMAT, "no Asset-Tag"},
	    {"short SHA256", "Name: a\nSHA256: abc\n", -SPK_EFORMAT, "bad SHA256"},
	    {"upper-case SHA256",
	     "SHA256: 2CF24DBA5FB0A30E26E83B2AC5B9E29E1B161E5C1FA7425E73043362938B9824\n",
	     -SPK_EFORMAT, "bad SHA256"},
	    {"size with junk", "Size: 12k\n", -SPK_EFORMAT, "bad Size"},
	    {"size overflow", "Size: 18446744073709551616\n", -SPK_EFORMAT, "bad Size"},
	    {"duplicate key", "Name: a\nName: b\n", -SPK_EFORMAT, "given twice"},
	    {"no colon", "Name a\n", -SPK_EFORMAT, "Key: value"},
	    {"bad name", OKSTANZA("A"), -SPK_EFORMAT, "bad Name"},
	    {"asset with a slash",
	     "Name: a\nVersion: 1-r0\nArch: x86_64\nSize: 1\nSHA256: " SHA
	     "\nAsset: ../x\nAsset-Tag: t\n",
	     -SPK_EFORMAT, "bad Asset"},
	    {"tag with a slash",
	     "Name: a\nVersion: 1-r0\nArch: x86_64\nSize: 1\nSHA256: " SHA
	     "\nAsset: a\nAsset-Tag: t/../u\n",
	     -SPK_EFORMAT, "bad Asset-Tag"},
	    {"bad arch",
	     "Name: a\nVersion: 1-r0\nArch: i386\nSize: 1\nSHA256: " SHA
	     "\nAsset: a\nAsset-Tag: t\n",
	     -SPK_EFORMAT, "bad Arch"},
	    {"same package twice", OKSTANZA("b") "\n" OKSTANZA("a") "\n" OKSTANZA("b"),
	     -SPK_EFORMAT, "listed twice"},
	    {"carriage return", "Name: a\r\n", -SPK_EFORMAT, "carriage return"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		spk_err_clear(&e);
		r = spk_index_parse(&ix, bad[i].text, strlen(bad[i].text), "SPKINDEX", &e);
		unit_check(r == bad[i].code && (!bad[i].why || strstr(e.why, bad[i].why)),
		           "%s: r=%d (%s)", bad[i].title, r, e.why);
		spk_index_release(&ix);
	}
	unit_check(spk_index_parse(&ix, "Name: a\0", 8, "SPKINDEX", &e) == -SPK_EFORMAT,
	           "NUL byte refused");
	spk_index_release(&ix);

	spk_buf_release(&text);
	spk_buf_release(&xz);
	spk_buf_release(&xz2);
	return unit_done();
}
