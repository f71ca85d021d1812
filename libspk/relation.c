#include "libspk/relation.h"

#include "libspk/buf.h"
#include "libspk/version.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const op_texts[] = {
	[SPK_OP_ANY] = "", [SPK_OP_EQ] = "=", [SPK_OP_LT] = "<",
	[SPK_OP_GT] = ">", [SPK_OP_LE] = "<=", [SPK_OP_GE] = ">=",
};

const char *spk_op_text(enum spk_op op)
{
	return op_texts[op];
}

void spk_relations_release(struct spk_relations *rel)
{
	for (size_t i = 0; i < rel->n; i++) {
		free(rel->v[i].name);
		free(rel->v[i].version);
	}
	free(rel->v);
	rel->v = NULL;
	rel->n = 0;
}

static char *trimmed_dup(const char *s, size_t n)
{
	char *d;

	while (n && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	d = malloc(n + 1);
	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

static int parse_item(struct spk_relation *r, const char *s, size_t n, bool provides,
		      struct spk_err *e)
{
	size_t i = 0;
	char *item = trimmed_dup(s, n);
	int ret = 0;

	if (!item)
		return spk_fail(e, -ENOMEM, "relation", NULL);
	n = strlen(item);
	while (i < n && item[i] != '=' && item[i] != '<' && item[i] != '>')
		i++;
	r->name = trimmed_dup(item, i);
	if (!r->name) {
		ret = spk_fail(e, -ENOMEM, "relation", NULL);
		goto out;
	}
	if (!spk_name_is_valid(r->name)) {
		ret = spk_fail(e, -SPK_EFORMAT, item, "invalid package name '%s'", r->name);
		goto out;
	}
	if (i == n) {
		r->op = SPK_OP_ANY;
		goto out;
	}
	if (item[i] == '=') {
		r->op = SPK_OP_EQ;
		i++;
	} else if (item[i] == '<') {
		r->op = item[i + 1] == '=' ? SPK_OP_LE : SPK_OP_LT;
		i += r->op == SPK_OP_LE ? 2 : 1;
	} else {
		r->op = item[i + 1] == '=' ? SPK_OP_GE : SPK_OP_GT;
		i += r->op == SPK_OP_GE ? 2 : 1;
	}
	if (provides && r->op != SPK_OP_EQ) {
		ret = spk_fail(e, -SPK_EFORMAT, item, "a provided name takes only '=VERSION'");
		goto out;
	}
	r->version = trimmed_dup(item + i, n - i);
	if (!r->version) {
		ret = spk_fail(e, -ENOMEM, "relation", NULL);
		goto out;
	}
	if (!spk_version_is_valid(r->version) && !spk_upstream_is_valid(r->version))
		ret = spk_fail(e, -SPK_EFORMAT, item, "invalid version '%s'", r->version);
out:
	free(item);
	return ret;
}

int spk_relations_parse(struct spk_relations *rel, const char *text, bool provides,
			struct spk_err *e)
{
	const char *p = text;
	size_t count = 1;
	int r;

	rel->v = NULL;
	rel->n = 0;
	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p)
		return 0;
	for (const char *q = p; *q; q++)
		count += *q == ',';
	rel->v = calloc(count, sizeof(*rel->v));
	if (!rel->v)
		return spk_fail(e, -ENOMEM, "relation", NULL);
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);

		r = parse_item(&rel->v[rel->n], p, n, provides, e);
		rel->n++;
		if (r < 0) {
			spk_relations_release(rel);
			return r;
		}
		if (!comma)
			break;
		p = comma + 1;
	}
	return 0;
}

void spk_relation_format(const struct spk_relation *r, char *buf, size_t n)
{
	snprintf(buf, n, "%s%s%s", r->name, op_texts[r->op], r->version ? r->version : "");
}

int spk_relations_format(const struct spk_relations *rel, struct spk_buf *out)
{
	for (size_t i = 0; i < rel->n; i++) {
		int r = spk_buf_addf(out, "%s%s%s%s", i ? ", " : "", rel->v[i].name,
				     op_texts[rel->v[i].op], rel->v[i].version ? rel->v[i].version : "");
		if (r < 0)
			return r;
	}
	return 0;
}

bool spk_relation_version_ok(const struct spk_relation *r, const char *version)
{
	int c;

	if (r->op == SPK_OP_ANY)
		return true;
	if (!version)
		return false;
	c = spk_version_cmp(version, r->version);
	switch (r->op) {
	case SPK_OP_EQ:
		return c == 0;
	case SPK_OP_LT:
		return c < 0;
	case SPK_OP_GT:
		return c > 0;
	case SPK_OP_LE:
		return c <= 0;
	case SPK_OP_GE:
		return c >= 0;
	default:
		return true;
	}
}
