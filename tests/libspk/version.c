/* Version order (ARCHITECTURE.md §2): pacman's vercmp cases adapted to UPSTREAM-rN (no epochs,
 * no '~ + :'), then the release as an integer, then names and validity. */
#include "libspk/version.h"

#include "tests/lib/unit.h"

#include <string.h>

static const struct {
	const char *a, *b;
	int want;
} cmp_cases[] = {
	/* pacman test/util/vercmptest.sh, same results */
	{ "1.5.0", "1.5.0", 0 },
	{ "1.5.1", "1.5.0", 1 },
	{ "1.5.1", "1.5", 1 },
	{ "1.5-r1", "1.5-r1", 0 },
	{ "1.5-r1", "1.5-r2", -1 },
	{ "1.5-r2", "1.5-r1", 1 },
	{ "1.5-r1", "1.5", 0 },	    /* a side without -rN compares the upstream part only */
	{ "1.5", "1.5-r3", 0 },
	{ "1.1-r1", "1.1", 0 },
	{ "1.0-r2", "1.1-r1", -1 },
	{ "1.5b-r1", "1.5-r1", -1 },
	{ "1.5b", "1.5", -1 },
	{ "1.5b-r1", "1.5", -1 },
	{ "1.5b", "1.5.1", -1 },
	{ "1.0a", "1.0alpha", -1 },
	{ "1.0alpha", "1.0b", -1 },
	{ "1.0b", "1.0beta", -1 },
	{ "1.0beta", "1.0rc", -1 },
	{ "1.0rc", "1.0", -1 },
	{ "1.5.a", "1.5", 1 },
	{ "1.5.b", "1.5.a", 1 },
	{ "1.5.1", "1.5.b", 1 },
	{ "1.5.b-r1", "1.5.b", 0 },
	{ "1.5-r1", "1.5.b", -1 },
	{ "2.0", "2_0", 0 },
	{ "2.0_a", "2_0.a", 0 },
	{ "2.0a", "2.0.a", -1 },
	{ "2___a", "2_a", 1 },
	{ "1.01", "1.1", 0 },
	{ "1.001", "1.1", 0 },
	{ "1.1", "1.0001", 0 }, /* leading zeros do not count */
	/* numeric runs compare as numbers, however long */
	{ "1.10", "1.9", 1 },
	{ "1.10.0", "1.9.9", 1 },
	{ "20261125", "20261124", 1 },
	{ "123456789012345678901234567890", "123456789012345678901234567889", 1 },
	{ "1.0-r10", "1.0-r9", 1 },
	{ "1.0-r0", "1.0-r00", 0 },
	/* alpha < numeric, separators only split */
	{ "1.a", "1.1", -1 },
	{ "1a1", "1.1", -1 },
	{ "1.0.0", "1.0", 1 },
	{ "1.0", "1.0.0", -1 },
	{ "2.0", "10.0", -1 },
	{ "6.1.0-r1", "6.1-r9", 1 },
	{ "3.0.0_rc1-r0", "3.0.0-r0", 1 },
	{ "1.2.3", "1.2.3", 0 },
	{ "0.9", "0.10", -1 },
	{ "1.0A", "1.0a", -1 }, /* alpha runs compare bytewise */
	{ "4.19.0-r1", "4.19.0-r1", 0 },
};

static const struct {
	const char *v;
	bool valid;
} valid_cases[] = {
	{ "1.0-r0", true },
	{ "1.0", false }, /* the release is required in a package */
	{ "1.0-r", false },
	{ "1.0-rx", false },
	{ "a1.0-r0", false },
	{ "1.0~rc1-r0", false },
	{ "1.0+git-r0", false },
	{ "1:1.0-r0", false },
	{ "1.0_rc1-r2", true },
	{ "20261125.1-r12", true },
	{ "1.0-1", false },
	{ "", false },
};

static const struct {
	const char *n;
	bool valid;
} name_cases[] = {
	{ "busybox", true }, { "lib32-foo.bar_baz", true }, { "9base", true },
	{ "Foo", false },    { "-foo", false },		    { ".foo", false },
	{ "foo bar", false }, { "", false },		    { "foo/bar", false },
};

int main(void)
{
	for (size_t i = 0; i < sizeof(cmp_cases) / sizeof(cmp_cases[0]); i++) {
		int got = spk_version_cmp(cmp_cases[i].a, cmp_cases[i].b);
		int rev = spk_version_cmp(cmp_cases[i].b, cmp_cases[i].a);

		got = got < 0 ? -1 : got > 0;
		rev = rev < 0 ? -1 : rev > 0;
		unit_check(got == cmp_cases[i].want && rev == -cmp_cases[i].want,
			   "vercmp %s %s = %d (got %d, reversed %d)", cmp_cases[i].a,
			   cmp_cases[i].b, cmp_cases[i].want, got, rev);
	}
	for (size_t i = 0; i < sizeof(valid_cases) / sizeof(valid_cases[0]); i++)
		unit_check(spk_version_is_valid(valid_cases[i].v) == valid_cases[i].valid,
			   "version '%s' is %svalid", valid_cases[i].v,
			   valid_cases[i].valid ? "" : "not ");
	for (size_t i = 0; i < sizeof(name_cases) / sizeof(name_cases[0]); i++)
		unit_check(spk_name_is_valid(name_cases[i].n) == name_cases[i].valid,
			   "name '%s' is %svalid", name_cases[i].n, name_cases[i].valid ? "" : "not ");
	return unit_done();
}
