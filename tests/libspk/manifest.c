/* The per-file record: parse, refusals (order, duplicates, symlink ancestry, links), round trip. */
#include "libspk/manifest.h"

#include "tests/lib/unit.h"

#include <string.h>

#define SHA "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"

static const struct {
	const char *text;
	const char *why; /* substring of the error, or NULL */
} cases[] = {
	{ "d 0755 0 - usr\nd 0755 0 - usr/bin\nf 0755 4 " SHA " usr/bin/x\n"
	  "h 0755 4 " SHA " usr/bin/y usr/bin/x\nl 0777 0 - usr/bin/z x\n",
	  NULL },
	{ "f 0644 4 " SHA " b\nf 0644 4 " SHA " a\n", "not sorted" },
	{ "f 0644 4 " SHA " a\nf 0644 4 " SHA " a\n", "duplicate" },
	{ "l 0777 0 - a /etc\nf 0644 4 " SHA " a/passwd\n", "path through a symlink" },
	{ "f 0644 4 " SHA " a\nf 0644 4 " SHA " a/b\n", "path through a file" },
	{ "l 0777 0 - usr/x ../../etc\n", "outside the root" },
	{ "h 0644 4 " SHA " a/b /etc/shadow\n", "not a file of this package" },
	{ "f 0644 4 " SHA " ../x\n", "'..'" },
	{ "f 0644 4 " SHA " /x\n", "absolute path" },
	{ "f 0644 4 abc x\n", "SHA-256" },
	{ "d 0755 4 - x\n", "only files" },
	{ "q 0644 0 - x\n", "unsupported" },
	{ "f 99999 4 " SHA " x\n", "mode" },
	{ "l 0777 0 - x\n", "link target" },
};

int main(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct spk_manifest m;
		struct spk_err e = { 0 };
		int r = spk_manifest_parse(&m, cases[i].text, strlen(cases[i].text), "", "t", &e);

		if (!cases[i].why)
			unit_check(r == 0, "case %zu parses (%s)", i, r ? spk_err_why(&e) : "ok");
		else
			unit_check(r < 0 && strstr(spk_err_why(&e), cases[i].why),
				   "case %zu refused: %s", i, r < 0 ? spk_err_why(&e) : "accepted");
		if (r == 0) {
			struct spk_buf out = SPK_BUF_INIT;
			struct spk_manifest again;

			spk_manifest_format(&m, " ", &out);
			unit_check(spk_manifest_parse(&again, out.data, out.len, " ", "t", &e) == 0 &&
					   again.n == m.n &&
					   spk_manifest_find(&again, "usr/bin/y") &&
					   !spk_manifest_find(&again, "usr/bin/w"),
				   "round trip with a prefix, and lookups");
			spk_manifest_release(&again);
			spk_buf_release(&out);
			spk_manifest_release(&m);
		}
	}
	return unit_done();
}
