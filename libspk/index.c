/* How a snapshot's package index is parsed, written and (de)compressed (see index.h). Parsing is
 * in place over one copy of the text: one allocation for the text, one for the entries. */
#include "libspk/index.h"

#include "libspk/buf.h"

#include <errno.h>
#include <inttypes.h>
#include <lzma.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

enum {
	K_NAME,
	K_VERSION,
	K_ARCH,
	K_DESCRIPTION,
	K_DEPENDS,
	K_PROVIDES,
	K_CONFLICTS,
	K_REPLACES,
	K_SIZE,
	K_INSTALLED_SIZE,
	K_SHA256,
	K_ASSET,
	K_ASSET_TAG,
	K_COUNT,
};

static const char *const keys[K_COUNT] = {
    "Name",     "Version", "Arch",           "Description", "Depends", "Provides",  "Conflicts",
    "Replaces", "Size",    "Installed-Size", "SHA256",      "Asset",   "Asset-Tag",
};

static const unsigned char key_len[K_COUNT] = {4, 7, 4, 11, 7, 8, 9, 8, 4, 14, 6, 5, 9};

#define REQUIRED                                                                                   \
	((1u << K_NAME) | (1u << K_VERSION) | (1u << K_ARCH) | (1u << K_SIZE) | (1u << K_SHA256) | \
	 (1u << K_ASSET) | (1u << K_ASSET_TAG))

static int key_of(const char *k, size_t n)
{
	/* compared per line of the index: first byte and length before memcmp */
	for (int i = 0; i < K_COUNT; i++)
		if (keys[i][0] == k[0] && key_len[i] == n && !memcmp(keys[i], k, n))
			return i;
	return -1;
}

static bool is_lower_or_digit(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static bool name_ok(const char *s)
{
	if (!is_lower_or_digit(*s))
		return false;
	for (s++; *s; s++)
		if (!is_lower_or_digit(*s) && *s != '.' && *s != '_' && *s != '-')
			return false;
	return true;
}

/* Versions, tags and asset names: characters safe in a URL path segment and a file name. */
static bool token_ok(const char *s, bool dash)
{
	if (!*s || *s == '.')
		return false;
	for (; *s; s++)
		if (!is_lower_or_digit(*s) && !(*s >= 'A' && *s <= 'Z') && *s != '.' && *s != '_' &&
		    !(dash && *s == '-'))
			return false;
	return true;
}

static bool arch_ok(const char *s)
{
	return !strcmp(s, "x86_64") || !strcmp(s, "aarch64") || !strcmp(s, "noarch");
}

static int unhex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static bool sha_parse(const char *s, uint8_t out[32])
{
	for (int i = 0; i < 32; i++) {
		int hi = unhex(s[2 * i]), lo;

		if (hi < 0)
			return false;
		lo = unhex(s[2 * i + 1]);
		if (lo < 0)
			return false;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return s[64] == '\0';
}

static bool u64_parse(const char *s, uint64_t *v)
{
	uint64_t x = 0;

	if (!*s || (s[0] == '0' && s[1]))
		return false;
	for (; *s; s++) {
		uint64_t d = (uint64_t)(*s - '0');

		if (*s < '0' || *s > '9' || x > (UINT64_MAX - d) / 10)
			return false;
		x = x * 10 + d;
	}
	*v = x;
	return true;
}

/* Checks one finished stanza; line is its first line. */
static int stanza_check(struct spk_index_entry *en, unsigned seen, const char *what, unsigned line,
                        struct spk_err *e)
{
	for (int k = 0; k < K_COUNT; k++)
		if ((REQUIRED & (1u << k)) && !(seen & (1u << k)))
			return spk_fail(e, -SPK_EFORMAT, what, "stanza at line %u: no %s", line,
			                keys[k]);
	if (!name_ok(en->name))
		return spk_fail(e, -SPK_EFORMAT, what, "line %u: bad Name '%s'", line, en->name);
	if (!token_ok(en->version, true) || !(en->version[0] >= '0' && en->version[0] <= '9'))
		return spk_fail(e, -SPK_EFORMAT, what, "%s: bad Version '%s'", en->name,
		                en->version);
	if (!arch_ok(en->arch))
		return spk_fail(e, -SPK_EFORMAT, what, "%s: bad Arch '%s'", en->name, en->arch);
	if (!token_ok(en->asset, true))
		return spk_fail(e, -SPK_EFORMAT, what, "%s: bad Asset '%s'", en->name, en->asset);
	if (!token_ok(en->asset_tag, true))
		return spk_fail(e, -SPK_EFORMAT, what, "%s: bad Asset-Tag '%s'", en->name,
		                en->asset_tag);
	return 0;
}

static const char *const empty = "";

static void entry_clear(struct spk_index_entry *en)
{
	memset(en, 0, sizeof(*en));
	en->name = en->version = en->arch = en->description = empty;
	en->depends = en->provides = en->conflicts = en->replaces = empty;
	en->asset = en->asset_tag = empty;
}

/* Stores value v (NUL-terminated, in place) for key k; false when it does not parse. */
static bool entry_set(struct spk_index_entry *en, int k, const char *v)
{
	switch (k) {
	case K_NAME:
		en->name = v;
		break;
	case K_VERSION:
		en->version = v;
		break;
	case K_ARCH:
		en->arch = v;
		break;
	case K_DESCRIPTION:
		en->description = v;
		break;
	case K_DEPENDS:
		en->depends = v;
		break;
	case K_PROVIDES:
		en->provides = v;
		break;
	case K_CONFLICTS:
		en->conflicts = v;
		break;
	case K_REPLACES:
		en->replaces = v;
		break;
	case K_SIZE:
		return u64_parse(v, &en->size);
	case K_INSTALLED_SIZE:
		return u64_parse(v, &en->installed_size);
	case K_SHA256:
		return sha_parse(v, en->sha256);
	case K_ASSET:
		en->asset = v;
		break;
	case K_ASSET_TAG:
		en->asset_tag = v;
		break;
	}
	return true;
}

static int cmp_entries(const void *pa, const void *pb)
{
	const struct spk_index_entry *a = pa, *b = pb;
	int c = strcmp(a->name, b->name);

	if (!c)
		c = strcmp(a->version, b->version);
	if (!c)
		c = strcmp(a->arch, b->arch);
	return c;
}

void spk_index_sort(struct spk_index_entry *v, size_t n)
{
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_entries);
}

/* Two stanzas with the same name, version and arch would make "which one" ambiguous. */
static int check_duplicates(const struct spk_index *ix, const char *what, struct spk_err *e)
{
	struct spk_index_entry *v;
	bool sorted = true;
	int r = 0;

	for (size_t i = 1; i < ix->n && sorted; i++)
		sorted = cmp_entries(&ix->entries[i - 1], &ix->entries[i]) < 0;
	if (sorted) /* spk index writes sorted stanzas: no copy needed */
		return 0;
	v = calloc(ix->n ? ix->n : 1, sizeof(*v));
	if (!v)
		return spk_fail(e, -ENOMEM, what, NULL);
	memcpy(v, ix->entries, ix->n * sizeof(*v));
	spk_index_sort(v, ix->n);
	for (size_t i = 1; i < ix->n; i++) {
		if (!cmp_entries(&v[i - 1], &v[i])) {
			r = spk_fail(e, -SPK_EFORMAT, what, "%s %s %s listed twice", v[i].name,
			             v[i].version, v[i].arch);
			break;
		}
	}
	free(v);
	return r;
}

/* Parses ix->text (len bytes + NUL, owned by ix) in place. */
static int parse_owned(struct spk_index *ix, size_t len, const char *what, struct spk_err *e)
{
	struct spk_index_entry en;
	size_t cap = 0;
	unsigned seen = 0, line = 0, first = 0;
	char *p, *end;
	int r;

	if (len && ix->text[len - 1] != '\n')
		return spk_fail(e, -SPK_EFORMAT, what, "no final newline");
	if (memchr(ix->text, '\0', len))
		return spk_fail(e, -SPK_EFORMAT, what, "NUL byte in the index");
	entry_clear(&en);
	p = ix->text;
	end = ix->text + len;
	while (p <= end) {
		char *nl = p < end ? memchr(p, '\n', (size_t)(end - p)) : NULL, *colon, *v;
		int k;

		line++;
		if (!nl || nl == p) {
			/* a blank line or the end closes the stanza */
			if (seen) {
				r = stanza_check(&en, seen, what, first, e);
				if (r < 0)
					return r;
				if (ix->n == cap) {
					size_t nc = cap ? cap * 2 : 256;
					struct spk_index_entry *ne =
					    reallocarray(ix->entries, nc, sizeof(*ne));

					if (!ne)
						return spk_fail(e, -ENOMEM, what, NULL);
					ix->entries = ne;
					cap = nc;
				}
				ix->entries[ix->n++] = en;
				entry_clear(&en);
				seen = 0;
			} else if (nl) {
				return spk_fail(e, -SPK_EFORMAT, what,
				                "line %u: unexpected blank line", line);
			}
			if (!nl)
				break;
			p = nl + 1;
			continue;
		}
		*nl = '\0';
		if (!seen)
			first = line;
		colon = memchr(p, ':', (size_t)(nl - p));
		if (!colon || colon == p || (colon[1] != ' ' && colon[1] != '\0'))
			return spk_fail(e, -SPK_EFORMAT, what, "line %u: expected 'Key: value'",
			                line);
		v = colon[1] ? colon + 2 : colon + 1;
		if (strchr(v, '\r'))
			return spk_fail(e, -SPK_EFORMAT, what, "line %u: carriage return", line);
		k = key_of(p, (size_t)(colon - p));
		if (k >= 0) {
			if (seen & (1u << k))
				return spk_fail(e, -SPK_EFORMAT, what, "line %u: %s given twice",
				                line, keys[k]);
			seen |= 1u << k;
			if (!entry_set(&en, k, v))
				return spk_fail(e, -SPK_EFORMAT, what, "line %u: bad %s '%.64s'",
				                line, keys[k], v);
		}
		p = nl + 1;
	}
	return check_duplicates(ix, what, e);
}

int spk_index_parse(struct spk_index *ix, const char *text, size_t len, const char *what,
                    struct spk_err *e)
{
	ix->entries = NULL;
	ix->n = 0;
	ix->text = NULL;
	if (len > SPK_INDEX_MAX)
		return spk_fail(e, -EFBIG, what, "index larger than %zu bytes", SPK_INDEX_MAX);
	ix->text = malloc(len + 1);
	if (!ix->text)
		return spk_fail(e, -ENOMEM, what, NULL);
	memcpy(ix->text, text, len);
	ix->text[len] = '\0';
	return parse_owned(ix, len, what, e);
}

void spk_index_release(struct spk_index *ix)
{
	free(ix->entries);
	free(ix->text);
	ix->entries = NULL;
	ix->text = NULL;
	ix->n = 0;
}

static bool one_line(const char *s)
{
	return !strchr(s, '\n') && !strchr(s, '\r');
}

int spk_index_format(const struct spk_index_entry *v, size_t n, struct spk_buf *out,
                     struct spk_err *e)
{
	for (size_t i = 0; i < n; i++) {
		const struct spk_index_entry *en = &v[i];
		const char *opt[] = {en->description, en->depends, en->provides, en->conflicts,
		                     en->replaces};
		char hex[65];
		int r = 0;

		if (!name_ok(en->name) || !token_ok(en->version, true) || !arch_ok(en->arch) ||
		    !token_ok(en->asset, true) || !token_ok(en->asset_tag, true))
			return spk_fail(e, -EINVAL, en->name,
			                "cannot go into an index (bad name, "
			                "version, arch, asset or tag)");
		for (int k = 0; k < 5; k++)
			if (!one_line(opt[k]))
				return spk_fail(e, -EINVAL, en->name, "%s has a line break",
				                keys[K_DESCRIPTION + k]);
		for (int b = 0; b < 32; b++) {
			hex[2 * b] = "0123456789abcdef"[en->sha256[b] >> 4];
			hex[2 * b + 1] = "0123456789abcdef"[en->sha256[b] & 15];
		}
		hex[64] = '\0';
		if (i)
			r = spk_buf_addc(out, '\n');
		if (!r)
			r = spk_buf_addf(out, "Name: %s\nVersion: %s\nArch: %s\n", en->name,
			                 en->version, en->arch);
		for (int k = 0; k < 5 && !r; k++)
			if (opt[k][0])
				r = spk_buf_addf(out, "%s: %s\n", keys[K_DESCRIPTION + k], opt[k]);
		if (!r)
			r = spk_buf_addf(out,
			                 "Size: %" PRIu64 "\nInstalled-Size: %" PRIu64
			                 "\nSHA256: %s\nAsset: %s\nAsset-Tag: %s\n",
			                 en->size, en->installed_size, hex, en->asset,
			                 en->asset_tag);
		if (r)
			return spk_fail(e, r, "index", NULL);
	}
	return 0;
}

int spk_index_compress(const void *text, size_t len, struct spk_buf *out, struct spk_err *e)
{
	size_t bound = lzma_stream_buffer_bound(len), pos = 0;
	uint8_t *buf;
	lzma_ret lr;
	int r;

	buf = malloc(bound);
	if (!buf)
		return spk_fail(e, -ENOMEM, "SPKINDEX.xz", NULL);
	lr = lzma_easy_buffer_encode(SPK_INDEX_XZ_PRESET, LZMA_CHECK_CRC64, NULL, text, len, buf,
	                             &pos, bound);
	if (lr != LZMA_OK) {
		free(buf);
		return spk_fail(e, -SPK_ECORRUPT, "SPKINDEX.xz", "xz compression failed (%d)",
		                (int)lr);
	}
	r = spk_buf_add(out, buf, pos);
	free(buf);
	return r ? spk_fail(e, r, "SPKINDEX.xz", NULL) : 0;
}

int spk_index_decompress(const void *xz, size_t len, struct spk_buf *out, const char *what,
                         struct spk_err *e)
{
	lzma_stream s = LZMA_STREAM_INIT;
	uint8_t chunk[65536];
	lzma_ret lr;
	int r = 0;

	/* 64 MiB of decoder memory covers every preset up to 9 */
	if (lzma_stream_decoder(&s, (uint64_t)64 << 20, 0) != LZMA_OK)
		return spk_fail(e, -ENOMEM, what, "xz decoder");
	s.next_in = xz;
	s.avail_in = len;
	do {
		s.next_out = chunk;
		s.avail_out = sizeof(chunk);
		lr = lzma_code(&s, LZMA_FINISH);
		if (sizeof(chunk) - s.avail_out) {
			r = spk_buf_add(out, chunk, sizeof(chunk) - s.avail_out);
			if (r == -EFBIG || out->len > SPK_INDEX_MAX) {
				r = spk_fail(e, -EFBIG, what,
				             "decompressed index larger than %zu bytes",
				             SPK_INDEX_MAX);
				break;
			}
			if (r) {
				r = spk_fail(e, r, what, NULL);
				break;
			}
		}
	} while (lr == LZMA_OK);
	if (r == 0 && lr != LZMA_STREAM_END)
		r = spk_fail(e, -SPK_ECORRUPT, what, "%s",
		             lr == LZMA_BUF_ERROR      ? "truncated xz data"
		             : lr == LZMA_FORMAT_ERROR ? "not xz data"
		                                       : "corrupt xz data");
	else if (r == 0 && s.avail_in != 0)
		r = spk_fail(e, -SPK_ECORRUPT, what, "trailing bytes after the xz stream");
	lzma_end(&s);
	return r;
}

int spk_index_load_xz(struct spk_index *ix, const void *xz, size_t len, const char *what,
                      struct spk_err *e)
{
	struct spk_buf text;
	size_t n;
	int r;

	ix->entries = NULL;
	ix->n = 0;
	ix->text = NULL;
	spk_buf_init(&text, SPK_INDEX_MAX);
	r = spk_index_decompress(xz, len, &text, what, e);
	if (r < 0) {
		spk_buf_release(&text);
		return r;
	}
	/* parse the decompressed buffer in place rather than copying it once more */
	ix->text = spk_buf_detach(&text, &n);
	if (!ix->text)
		return spk_fail(e, -ENOMEM, what, NULL);
	return parse_owned(ix, n, what, e);
}
