/* Relation lists: parsing (spaces around OP, provides take only '='), matching constraints. */
#include "libspk/relation.h"

#include "libspk/buf.h"
#include "tests/lib/unit.h"

#include <string.h>

static const struct {
	const char *text;
	bool provides, ok;
	const char *canonical;
} parse_cases[] = {
	{ "", false, true, "" },
	{ "a", false, true, "a" },
	{ "a, b>=1.0, c = 2-r1", false, true, "a, b>=1.0, c=2-r1" },
	{ "libfoo >= 2.0", false, true, "libfoo>=2.0" },
	{ "x<3,y>4,z<=5,w>=6", false, true, "x<3, y>4, z<=5, w>=6" },
	{ "Bad", false, false, NULL },
	{ "a>=", false, false, NULL },
	{ "a>=x1", false, false, NULL },
	{ "a, ,b", false, false, NULL },
	{ "sh=1.0-r0", true, true, "sh=1.0-r0" },
	{ "sh", true, true, "sh" },
	{ "sh>=1.0", true, false, NULL },
	{ "a=1~2", false, false, NULL },
};

static const struct {
	const char *rel, *version;
	bool ok;
} match_cases[] = {
	{ "libfoo>=2.0", "2.0-r0", true },
	{ "libfoo>=2.0", "1.9-r5", false },
	{ "libfoo>2.0", "2.0-r7", false }, /* upstream only when the constraint has no -rN */
	{ "libfoo>2.0-r1", "2.0-r2", true },
	{ "libfoo=2.0", "2.0-r3", true },
	{ "libfoo=2.0-r3", "2.0-r2", false },
	{ "libfoo<2.0", "1.10-r0", true },
	{ "libfoo<=2.0", "2.0-r9", true },
	{ "libfoo", "0.1-r0", true },
};

int main(void)
{
	for (size_t i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++) {
		struct spk_relations rel;
		struct spk_err e = { 0 };
		struct spk_buf out = SPK_BUF_INIT;
		int r = spk_relations_parse(&rel, parse_cases[i].text, parse_cases[i].provides, &e);

		if (r == 0)
			spk_relations_format(&rel, &out);
		unit_check((r == 0) == parse_cases[i].ok &&
				   (!parse_cases[i].ok ||
				    !strcmp(out.data ? out.data : "", parse_cases[i].canonical)),
			   "parse '%s' -> %s (%s)", parse_cases[i].text,
			   parse_cases[i].ok ? parse_cases[i].canonical : "error",
			   r == 0 ? (out.data ? out.data : "") : spk_err_why(&e));
		if (r == 0)
			spk_relations_release(&rel);
		spk_buf_release(&out);
	}
	for (size_t i = 0; i < sizeof(match_cases) / sizeof(match_cases[0]); i++) {
		struct spk_relations rel;
		struct spk_err e = { 0 };
		bool ok = spk_relations_parse(&rel, match_cases[i].rel, false, &e) == 0 &&
			  rel.n == 1 && spk_relation_version_ok(&rel.v[0], match_cases[i].version);

		unit_check(ok == match_cases[i].ok, "%s %s %s", match_cases[i].version,
			   match_cases[i].ok ? "satisfies" : "does not satisfy", match_cases[i].rel);
		spk_relations_release(&rel);
	}
	return unit_done();
}
