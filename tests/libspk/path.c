/* Path checks: what a package may name, where its symlinks may point, normalisation, escaping. */
#include "libspk/path.h"

#include "tests/lib/unit.h"

#include <string.h>

static const struct {
	const char *path;
	bool safe;
} safe_cases[] = {
	{ "usr/bin/x", true },	     { "a", true },	      { ".hidden/x", true },
	{ "/etc/passwd", false },    { "../escape", false },  { "a/../b", false },
	{ "a/./b", false },	     { "a//b", false },	      { "a/", false },
	{ "", false },		     { "a/..", false },	      { "usr/.spk-new.1", false },
	{ "usr/.spkfoo", true },     { "..a/b", true },
};

static const struct {
	const char *link, *target;
	bool inside;
} link_cases[] = {
	{ "usr/bin/sh", "busybox", true },
	{ "usr/bin/sh", "../lib/x", true },
	{ "usr/bin/sh", "../../x", true },
	{ "usr/bin/sh", "../../../etc/passwd", false },
	{ "usr/bin/sh", "/bin/busybox", true },
	{ "usr/bin/sh", "/../etc/passwd", false },
	{ "a", "..", false },
	{ "a", ".", true },
	{ "a", "", false },
};

static const struct {
	const char *in, *out;
} norm_cases[] = {
	{ "/usr//bin/./x", "usr/bin/x" }, { "usr/bin/x", "usr/bin/x" }, { "/", "." },
	{ "/etc/", "etc" },
};

int main(void)
{
	char buf[4096];
	struct spk_buf b = SPK_BUF_INIT;
	const char *weird = "a b\\c\td\n\x7f";

	for (size_t i = 0; i < sizeof(safe_cases) / sizeof(safe_cases[0]); i++)
		unit_check(spk_path_is_safe(safe_cases[i].path, NULL) == safe_cases[i].safe,
			   "'%s' is %s", safe_cases[i].path, safe_cases[i].safe ? "safe" : "refused");
	for (size_t i = 0; i < sizeof(link_cases) / sizeof(link_cases[0]); i++)
		unit_check(spk_path_link_stays_inside(link_cases[i].link, link_cases[i].target) ==
				   link_cases[i].inside,
			   "%s -> '%s' %s", link_cases[i].link, link_cases[i].target,
			   link_cases[i].inside ? "stays inside" : "escapes");
	for (size_t i = 0; i < sizeof(norm_cases) / sizeof(norm_cases[0]); i++)
		unit_check(spk_path_normalize(norm_cases[i].in, buf, sizeof(buf)) == 0 &&
				   !strcmp(buf, norm_cases[i].out),
			   "normalize '%s' -> '%s'", norm_cases[i].in, norm_cases[i].out);
	unit_check(spk_path_normalize("/a/../b", buf, sizeof(buf)) < 0, "normalize refuses ..");
	spk_path_escape(&b, weird);
	unit_check(!strchr(b.data, ' ') && !strchr(b.data, '\n') && !strchr(b.data, '\t'),
		   "escaped form has no blanks: %s", b.data);
	unit_check(spk_path_unescape(b.data, b.len, buf, sizeof(buf)) == 0 && !strcmp(buf, weird),
		   "escape round-trips");
	unit_check(spk_path_unescape("a\\x0", 4, buf, sizeof(buf)) < 0, "truncated escape refused");
	unit_check(spk_path_unescape("a\\x00", 5, buf, sizeof(buf)) < 0, "NUL escape refused");
	spk_buf_release(&b);
	return unit_done();
}
