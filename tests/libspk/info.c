/* .SPKINFO parsing: required keys, validation, duplicates, canonical output. */
#include "libspk/info.h"

#include "tests/lib/unit.h"

#include <string.h>

static const struct {
	const char *text;
	const char *why; /* substring of the error, or NULL for success */
} cases[] = {
	{ "Name: a\nVersion: 1.0-r0\nArch: x86_64\n", NULL },
	{ "# comment\n\nName: a\r\nVersion: 1.0-r0\nArch: noarch\nX-Custom: kept\n", NULL },
	{ "Version: 1.0-r0\nArch: x86_64\n", "missing Name" },
	{ "Name: a\nArch: x86_64\n", "missing Version" },
	{ "Name: a\nVersion: 1.0-r0\n", "missing Arch" },
	{ "Name: A\nVersion: 1.0-r0\nArch: x86_64\n", "invalid Name" },
	{ "Name: a\nVersion: 1.0\nArch: x86_64\n", "invalid Version" },
	{ "Name: a\nVersion: 1.0-r0\nArch: mips\n", "invalid Arch" },
	{ "Name: a\nName: b\nVersion: 1.0-r0\nArch: x86_64\n", "duplicate key" },
	{ "Name: a\nVersion: 1.0-r0\nArch: x86_64\nnonsense\n", "expected 'Key: value'" },
	{ "Name: a\nVersion: 1.0-r0\nArch: x86_64\nBuild-Date: -1\n", "non-negative integer" },
	{ "Name: a\nVersion: 1.0-r0\nArch: x86_64\nDepends: b >= 1, C\n", "invalid package name" },
	{ "Name: a\nVersion: 1.0-r0\nArch: x86_64\nAllow-Setuid: usr/bin/su\n", "absolute" },
	{ "Name: a\nVersion: 1.0-r0\nArch: x86_64\nAllow-Setuid: /usr/bin/su, /bin/ping\n",
	  NULL },
};

int main(void)
{
	struct spk_info info;
	struct spk_err e = { 0 };
	struct spk_buf out = SPK_BUF_INIT;
	const char *text = "Name: a\nArch: x86_64\nVersion: 1.0-r0\nDepends: b>=1,c\n"
			   "Build-Date: 5\nAllow-Setuid: /usr/bin/su\n";

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int r = spk_info_parse(&info, cases[i].text, strlen(cases[i].text), "t", &e);

		if (!cases[i].why)
			unit_check(r == 0, "parses case %zu (%s)", i, r ? spk_err_why(&e) : "ok");
		else
			unit_check(r < 0 && strstr(e.why, cases[i].why), "case %zu refused: %s",
				   i, r < 0 ? e.why : "accepted");
		if (r == 0)
			spk_info_release(&info);
	}
	unit_check(spk_info_parse(&info, text, strlen(text), "t", &e) == 0, "canonical input");
	spk_info_format(&info, &out);
	unit_check(!strcmp(out.data, "Name: a\nVersion: 1.0-r0\nArch: x86_64\nBuild-Date: 5\n"
				     "Depends: b>=1, c\nAllow-Setuid: /usr/bin/su\n"),
		   "canonical order and spelling");
	unit_check(spk_info_allows_setuid(&info, "/usr/bin/su") &&
			   !spk_info_allows_setuid(&info, "/usr/bin/sudo"),
		   "Allow-Setuid lookup");
	spk_info_release(&info);
	spk_buf_release(&out);
	unit_check(spk_info_parse(&info, "Name: a\0", 8, "t", &e) < 0, "NUL byte refused");
	return unit_done();
}
