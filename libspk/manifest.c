#include "libspk/manifest.h"

#include "libspk/path.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void spk_manifest_init(struct spk_manifest *m)
{
	m->v = NULL;
	m->n = 0;
	m->cap = 0;
}

void spk_manifest_release(struct spk_manifest *m)
{
	for (size_t i = 0; i < m->n; i++) {
		free(m->v[i].path);
		free(m->v[i].target);
	}
	free(m->v);
	spk_manifest_init(m);
}

int spk_manifest_add(struct spk_manifest *m, struct spk_fentry *f)
{
	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 16;
		struct spk_fentry *v = realloc(m->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		m->v = v;
		m->cap = cap;
	}
	m->v[m->n++] = *f;
	return 0;
}

void spk_sha256_hex(const unsigned char sha[32], char hex[65])
{
	static const char digits[] = "0123456789abcdef";

	for (int i = 0; i < 32; i++) {
		hex[2 * i] = digits[sha[i] >> 4];
		hex[2 * i + 1] = digits[sha[i] & 15];
	}
	hex[64] = '\0';
}

static int nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int spk_sha256_parse(const char *hex, unsigned char sha[32])
{
	for (int i = 0; i < 32; i++) {
		int h = nibble(hex[2 * i]), l = h < 0 ? -1 : nibble(hex[2 * i + 1]);

		if (h < 0 || l < 0)
			return -EINVAL;
		sha[i] = (unsigned char)(h << 4 | l);
	}
	return hex[64] == '\0' ? 0 : -EINVAL;
}

int spk_fentry_format(const struct spk_fentry *f, const char *prefix, struct spk_buf *out)
{
	char hex[65] = "-";
	int r;

	if (f->type == SPK_FT_FILE || f->type == SPK_FT_HARDLINK)
		spk_sha256_hex(f->sha256, hex);
	r = spk_buf_addf(out, "%s%c %04o %llu %s ", prefix, f->type, f->mode, f->size, hex);
	if (!r)
		r = spk_path_escape(out, f->path);
	if (!r && f->target) {
		r = spk_buf_addc(out, ' ');
		if (!r)
			r = spk_path_escape(out, f->target);
	}
	if (!r)
		r = spk_buf_addc(out, '\n');
	return r;
}

int spk_manifest_format(const struct spk_manifest *m, const char *prefix, struct spk_buf *out)
{
	for (size_t i = 0; i < m->n; i++) {
		int r = spk_fentry_format(&m->v[i], prefix, out);

		if (r < 0)
			return r;
	}
	return 0;
}

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct spk_fentry *)a)->path, ((const struct spk_fentry *)b)->path);
}

int spk_manifest_sort(struct spk_manifest *m, const char *what, struct spk_err *e)
{
	if (m->n > 1)
		qsort(m->v, m->n, sizeof(*m->v), cmp_entry);
	for (size_t i = 1; i < m->n; i++)
		if (!strcmp(m->v[i - 1].path, m->v[i].path))
			return spk_fail(e, -SPK_EUNSAFE, what, "duplicate path '%s'", m->v[i].path);
	return 0;
}

const struct spk_fentry *spk_manifest_find(const struct spk_manifest *m, const char *path)
{
	size_t lo = 0, hi = m->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(m->v[mid].path, path);

		if (c == 0)
			return &m->v[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

int spk_manifest_check(const struct spk_manifest *m, const char *what, struct spk_err *e)
{
	char anc[SPK_PATH_MAX];

	for (size_t i = 0; i < m->n; i++) {
		const struct spk_fentry *f = &m->v[i], *t;
		const char *why;

		if (!spk_path_is_safe(f->path, &why))
			return spk_fail(e, -SPK_EUNSAFE, what, "%s: %s", f->path, why);
		/* Every ancestor the package declares must be a directory: a member below a
		 * symlink or a file would be written through it. */
		snprintf(anc, sizeof(anc), "%s", f->path);
		for (char *slash = strrchr(anc, '/'); slash; slash = strrchr(anc, '/')) {
			*slash = '\0';
			t = spk_manifest_find(m, anc);
			if (t && t->type != SPK_FT_DIR)
				return spk_fail(e, -SPK_EUNSAFE, what, "%s: path through a %s '%s'",
						f->path,
						t->type == SPK_FT_SYMLINK ? "symlink" : "file", anc);
		}
		switch (f->type) {
		case SPK_FT_SYMLINK:
			if (!f->target || !spk_path_link_stays_inside(f->path, f->target))
				return spk_fail(e, -SPK_EUNSAFE, what,
						"%s: symlink points outside the root ('%s')", f->path,
						f->target ? f->target : "");
			break;
		case SPK_FT_HARDLINK:
			t = f->target ? spk_manifest_find(m, f->target) : NULL;
			if (!t || t->type != SPK_FT_FILE)
				return spk_fail(e, -SPK_EUNSAFE, what,
						"%s: hard link to '%s', not a file of this package",
						f->path, f->target ? f->target : "");
			break;
		case SPK_FT_DIR:
		case SPK_FT_FILE:
			if (f->target)
				return spk_fail(e, -SPK_EFORMAT, what, "%s: unexpected link target",
						f->path);
			break;
		default:
			return spk_fail(e, -SPK_EUNSAFE, what, "%s: unsupported file type", f->path);
		}
	}
	return 0;
}

/* Splits off the next space-separated field of line; NULL at the end. */
static const char *field(const char **line, const char *end, size_t *n)
{
	const char *p = *line, *q;

	if (p >= end)
		return NULL;
	q = memchr(p, ' ', (size_t)(end - p));
	*n = q ? (size_t)(q - p) : (size_t)(end - p);
	*line = q ? q + 1 : end;
	return p;
}

static int parse_line(struct spk_fentry *f, const char *p, const char *end, const char *where,
		      struct spk_err *e)
{
	const char *t, *mode, *size, *sha, *path, *target;
	size_t nt = 0, nm = 0, ns = 0, nh = 0, np = 0, ntg = 0;
	char buf[SPK_PATH_MAX], num[32];
	char *endp;
	int r;

	t = field(&p, end, &nt);
	mode = field(&p, end, &nm);
	size = field(&p, end, &ns);
	sha = field(&p, end, &nh);
	path = field(&p, end, &np);
	target = field(&p, end, &ntg);
	if (!path || nt != 1 || p != end)
		return spk_fail(e, -SPK_EFORMAT, where, "expected 'TYPE MODE SIZE SHA256 PATH'");
	f->type = t[0];
	if (nm == 0 || nm > 6 || ns == 0 || ns > 20)
		return spk_fail(e, -SPK_EFORMAT, where, "bad mode or size");
	memcpy(num, mode, nm);
	num[nm] = '\0';
	f->mode = (unsigned)strtoul(num, &endp, 8);
	if (*endp || f->mode > 07777)
		return spk_fail(e, -SPK_EFORMAT, where, "bad mode '%s'", num);
	memcpy(num, size, ns);
	num[ns] = '\0';
	if (num[0] < '0' || num[0] > '9')
		return spk_fail(e, -SPK_EFORMAT, where, "bad size '%s'", num);
	errno = 0;
	f->size = strtoull(num, &endp, 10);
	if (*endp || errno)
		return spk_fail(e, -SPK_EFORMAT, where, "bad size '%s'", num);
	if (f->type == SPK_FT_FILE || f->type == SPK_FT_HARDLINK) {
		char hex[65];

		if (nh != 64)
			return spk_fail(e, -SPK_EFORMAT, where, "bad SHA-256");
		memcpy(hex, sha, 64);
		hex[64] = '\0';
		if (spk_sha256_parse(hex, f->sha256) < 0)
			return spk_fail(e, -SPK_EFORMAT, where, "bad SHA-256");
	} else if (nh != 1 || sha[0] != '-' || f->size != 0) {
		return spk_fail(e, -SPK_EFORMAT, where, "only files have a size and SHA-256");
	}
	r = spk_path_unescape(path, np, buf, sizeof(buf));
	if (r < 0)
		return spk_fail(e, -SPK_EFORMAT, where, "bad path escape");
	f->path = strdup(buf);
	if (!f->path)
		return spk_fail(e, -ENOMEM, where, NULL);
	if ((f->type == SPK_FT_SYMLINK || f->type == SPK_FT_HARDLINK) != (target != NULL))
		return spk_fail(e, -SPK_EFORMAT, where, "%s: link target missing or unexpected",
				f->path);
	if (target) {
		r = spk_path_unescape(target, ntg, buf, sizeof(buf));
		if (r < 0)
			return spk_fail(e, -SPK_EFORMAT, where, "bad target escape");
		f->target = strdup(buf);
		if (!f->target)
			return spk_fail(e, -ENOMEM, where, NULL);
	}
	return 0;
}

int spk_manifest_parse(struct spk_manifest *m, const char *text, size_t len, const char *prefix,
		       const char *what, struct spk_err *e)
{
	size_t plen = strlen(prefix), pos = 0, lineno = 0;
	char where[300];
	int r = 0;

	spk_manifest_init(m);
	while (pos < len) {
		const char *start = text + pos, *nl = memchr(start, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - start) : len - pos;
		struct spk_fentry f = { 0 };

		pos += n + (nl ? 1 : 0);
		lineno++;
		if (n == 0)
			continue;
		snprintf(where, sizeof(where), "%s line %zu", what, lineno);
		if (n < plen || memcmp(start, prefix, plen)) {
			r = spk_fail(e, -SPK_EFORMAT, where, "expected a file record");
			break;
		}
		r = parse_line(&f, start + plen, start + n, where, e);
		if (r == 0)
			r = spk_manifest_add(m, &f) < 0 ? spk_fail(e, -ENOMEM, what, NULL) : 0;
		if (r < 0) {
			free(f.path);
			free(f.target);
			break;
		}
		if (m->n > 1 && strcmp(m->v[m->n - 2].path, f.path) >= 0) {
			r = spk_fail(e, -SPK_EUNSAFE, where, "%s: %s", f.path,
				     strcmp(m->v[m->n - 2].path, f.path) ? "record not sorted"
									  : "duplicate path");
			break;
		}
	}
	if (r == 0)
		r = spk_manifest_check(m, what, e);
	if (r < 0)
		spk_manifest_release(m);
	return r;
}
