#include "libspk/db.h"

#include "libspk/root.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DB_MAX ((size_t)4 << 30)

static const char *const hook_keys[SPK_HOOK_COUNT] = {
	"Hook-Pre-Install", "Hook-Post-Install", "Hook-Pre-Upgrade",
	"Hook-Post-Upgrade", "Hook-Pre-Remove", "Hook-Post-Remove",
};

void spk_db_init(struct spk_db *db)
{
	memset(db, 0, sizeof(*db));
}

void spk_dbpkg_release(struct spk_dbpkg *p)
{
	spk_info_release(&p->info);
	spk_manifest_release(&p->files);
	for (int h = 0; h < SPK_HOOK_COUNT; h++)
		free(p->hooks[h]);
	memset(p->hooks, 0, sizeof(p->hooks));
}

void spk_db_release(struct spk_db *db)
{
	for (size_t i = 0; i < db->n; i++)
		spk_dbpkg_release(&db->pkgs[i]);
	free(db->pkgs);
	spk_db_init(db);
}

static size_t lower_bound(const struct spk_db *db, const char *name)
{
	size_t lo = 0, hi = db->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(db->pkgs[mid].info.name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct spk_dbpkg *spk_db_find(const struct spk_db *db, const char *name)
{
	size_t i = lower_bound(db, name);

	return i < db->n && !strcmp(db->pkgs[i].info.name, name) ? &db->pkgs[i] : NULL;
}

int spk_db_put(struct spk_db *db, struct spk_dbpkg *p)
{
	size_t i = lower_bound(db, p->info.name);

	if (i < db->n && !strcmp(db->pkgs[i].info.name, p->info.name)) {
		spk_dbpkg_release(&db->pkgs[i]);
		db->pkgs[i] = *p;
		return 0;
	}
	if (db->n == db->cap) {
		size_t cap = db->cap ? db->cap * 2 : 64;
		struct spk_dbpkg *v = realloc(db->pkgs, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		db->pkgs = v;
		db->cap = cap;
	}
	memmove(&db->pkgs[i + 1], &db->pkgs[i], (db->n - i) * sizeof(*db->pkgs));
	db->pkgs[i] = *p;
	db->n++;
	return 0;
}

void spk_db_drop(struct spk_db *db, const char *name)
{
	size_t i = lower_bound(db, name);

	if (i < db->n && !strcmp(db->pkgs[i].info.name, name)) {
		spk_dbpkg_release(&db->pkgs[i]);
		memmove(&db->pkgs[i], &db->pkgs[i + 1], (db->n - i - 1) * sizeof(*db->pkgs));
		db->n--;
	}
}

/* Length of the block of " "-indented lines starting at p (up to end). */
static size_t block_len(const char *p, const char *end)
{
	const char *q = p;

	while (q < end && *q == ' ') {
		const char *nl = memchr(q, '\n', (size_t)(end - q));

		q = nl ? nl + 1 : end;
	}
	return (size_t)(q - p);
}

static int unindent_script(const char *p, size_t n, char **out, size_t *outlen)
{
	struct spk_buf b = SPK_BUF_INIT;
	const char *end = p + n;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		const char *s = p + 1; /* past the indent */
		size_t len = (size_t)(le - s);

		if (len == 1 && s[0] == '.')
			len = 0; /* " ." is an empty line */
		else if (len >= 1 && s[0] == '.')
			s++, len--; /* " .." is "." */
		if (spk_buf_add(&b, s, len) < 0 || spk_buf_addc(&b, '\n') < 0) {
			spk_buf_release(&b);
			return -ENOMEM;
		}
		p = nl ? nl + 1 : end;
	}
	*out = spk_buf_detach(&b, outlen);
	return *out ? 0 : -ENOMEM;
}

static int parse_stanza(struct spk_db *db, const char *p, const char *end, const char *what,
			struct spk_err *e)
{
	struct spk_buf info = SPK_BUF_INIT;
	struct spk_dbpkg pkg;
	char where[300];
	int r = 0;

	memset(&pkg, 0, sizeof(pkg));
	spk_manifest_init(&pkg.files);
	pkg.info.build_date = pkg.info.installed_size = -1;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end, *next = nl ? nl + 1 : end;
		size_t n = (size_t)(le - p);
		int h = -1;

		if (n == 6 && !memcmp(p, "Files:", 6)) {
			size_t bl = block_len(next, end);

			spk_manifest_release(&pkg.files);
			r = spk_manifest_parse(&pkg.files, next, bl, " ", what, e);
			if (r < 0)
				goto out;
			p = next + bl;
			continue;
		}
		for (int k = 0; k < SPK_HOOK_COUNT; k++) {
			size_t kl = strlen(hook_keys[k]);

			if (n == kl + 1 && !memcmp(p, hook_keys[k], kl) && p[kl] == ':')
				h = k;
		}
		if (h >= 0) {
			size_t bl = block_len(next, end);

			free(pkg.hooks[h]);
			pkg.hooks[h] = NULL;
			if (unindent_script(next, bl, &pkg.hooks[h], &pkg.hook_len[h]) < 0) {
				r = spk_fail(e, -ENOMEM, what, NULL);
				goto out;
			}
			p = next + bl;
			continue;
		}
		if (spk_buf_add(&info, p, (size_t)(next - p)) < 0) {
			r = spk_fail(e, -ENOMEM, what, NULL);
			goto out;
		}
		p = next;
	}
	snprintf(where, sizeof(where), "%s", what);
	r = spk_info_parse(&pkg.info, info.data ? info.data : "", info.len, where, e);
	if (r < 0)
		goto out;
	if (spk_db_find(db, pkg.info.name)) {
		r = spk_fail(e, -SPK_EFORMAT, what, "package '%s' listed twice", pkg.info.name);
		goto out;
	}
	r = spk_db_put(db, &pkg);
	if (r < 0) {
		r = spk_fail(e, r, what, NULL);
		goto out;
	}
	spk_buf_release(&info);
	return 0;
out:
	spk_buf_release(&info);
	spk_dbpkg_release(&pkg);
	return r;
}

int spk_db_parse(struct spk_db *db, const char *text, size_t len, const char *what,
		 struct spk_err *e)
{
	const char *p = text, *end = text + len;
	bool header = true;
	int r;

	spk_db_init(db);
	if (!text || len == 0)
		return 0; /* an empty file is an empty database */
	while (p < end) {
		const char *stop = p;

		/* a stanza ends at an empty line */
		while (stop < end) {
			const char *nl = memchr(stop, '\n', (size_t)(end - stop));

			if (stop[0] == '\n')
				break;
			stop = nl ? nl + 1 : end;
		}
		if (stop > p) {
			if (header) {
				const char *t = memmem(p, (size_t)(stop - p), "Transaction: ", 13);

				if ((size_t)(stop - p) < 24 || memcmp(p, "Format: spk-installed 1\n", 24)) {
					spk_db_release(db);
					return spk_fail(e, -SPK_EFORMAT, what,
							"not an spk database (Format line)");
				}
				if (t)
					db->txid = strtoull(t + 13, NULL, 10);
				header = false;
			} else {
				r = parse_stanza(db, p, stop, what, e);
				if (r < 0) {
					spk_db_release(db);
					return r;
				}
			}
		}
		p = stop < end ? stop + 1 : end;
	}
	return 0;
}

int spk_db_load(struct spk_db *db, int rootfd, struct spk_err *e)
{
	struct spk_buf text;
	int fd, r;

	spk_db_init(db);
	fd = openat(rootfd, SPK_DB_PATH, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return errno == ENOENT ? 0 : spk_fail(e, -errno, SPK_DB_PATH, NULL);
	spk_buf_init(&text, DB_MAX);
	r = spk_buf_read_fd(&text, fd);
	close(fd);
	if (r < 0) {
		spk_buf_release(&text);
		return spk_fail(e, r, SPK_DB_PATH, NULL);
	}
	r = spk_db_parse(db, text.data ? text.data : "", text.len, SPK_DB_PATH, e);
	spk_buf_release(&text);
	return r;
}

static int format_script(struct spk_buf *out, const char *key, const char *s, size_t n)
{
	const char *end = s + n;
	int r = spk_buf_addf(out, "%s:\n", key);

	while (!r && s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t len = nl ? (size_t)(nl - s) : (size_t)(end - s);

		if (len == 0)
			r = spk_buf_adds(out, " .\n");
		else
			r = spk_buf_addf(out, " %s%.*s\n", s[0] == '.' ? "." : "", (int)len, s);
		s += len + (nl ? 1 : 0);
	}
	return r;
}

static int format_pkg(const struct spk_dbpkg *p, struct spk_buf *out);

int spk_db_format(const struct spk_db *db, struct spk_buf *out)
{
	int r = spk_buf_addf(out, "Format: spk-installed 1\nTransaction: %llu\n", db->txid);

	for (size_t i = 0; !r && i < db->n; i++)
		r = format_pkg(&db->pkgs[i], out);
	return r;
}

static int flush(struct spk_buf *b, int fd)
{
	const char *p = b->data;
	size_t n = b->len;

	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		p += w;
		n -= (size_t)w;
	}
	spk_buf_reset(b);
	return 0;
}

int spk_db_write(const struct spk_db *db, int fd)
{
	struct spk_buf b = SPK_BUF_INIT;
	int r = spk_buf_addf(&b, "Format: spk-installed 1\nTransaction: %llu\n", db->txid);

	for (size_t i = 0; !r && i < db->n; i++) {
		r = format_pkg(&db->pkgs[i], &b);
		if (!r && b.len >= 256 * 1024)
			r = flush(&b, fd);
	}
	if (!r)
		r = flush(&b, fd);
	spk_buf_release(&b);
	return r;
}

static int format_pkg(const struct spk_dbpkg *p, struct spk_buf *out)
{
	int r;

	{
		r = spk_buf_addc(out, '\n');
		if (!r)
			r = spk_info_format(&p->info, out);
		for (int h = 0; !r && h < SPK_HOOK_COUNT; h++)
			if (p->hooks[h])
				r = format_script(out, hook_keys[h], p->hooks[h], p->hook_len[h]);
		if (!r)
			r = spk_buf_adds(out, "Files:\n");
		if (!r)
			r = spk_manifest_format(&p->files, " ", out);
	}
	return r;
}
