#include "libspk/journal.h"

#include "libspk/path.h"
#include "libspk/root.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void spk_journal_init(struct spk_journal *j, unsigned long long txid)
{
	memset(j, 0, sizeof(*j));
	j->txid = txid;
}

void spk_journal_release(struct spk_journal *j)
{
	for (size_t i = 0; i < j->n; i++) {
		free(j->v[i].arg);
		free(j->v[i].extra);
	}
	free(j->v);
	spk_journal_init(j, 0);
}

int spk_journal_add(struct spk_journal *j, char kind, const char *arg, const char *extra)
{
	struct spk_jrec *r;

	if (j->n == j->cap) {
		size_t cap = j->cap ? j->cap * 2 : 256;
		struct spk_jrec *v = realloc(j->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		j->v = v;
		j->cap = cap;
	}
	r = &j->v[j->n];
	r->kind = kind;
	r->arg = strdup(arg);
	r->extra = extra ? strdup(extra) : NULL;
	if (!r->arg || (extra && !r->extra)) {
		free(r->arg);
		free(r->extra);
		return -ENOMEM;
	}
	j->n++;
	return 0;
}

int spk_journal_format(const struct spk_journal *j, struct spk_buf *out)
{
	int r = spk_buf_addf(out, "Format: spk-journal 1\nTransaction: %llu\n", j->txid);

	for (size_t i = 0; !r && i < j->n; i++) {
		const struct spk_jrec *rec = &j->v[i];

		if (rec->kind == 'W')
			r = spk_buf_addf(out, "W%c ", rec->arg[0]);
		else
			r = spk_buf_addf(out, "%c ", rec->kind);
		if (!r)
			r = spk_path_escape(out, rec->kind == 'W' ? rec->arg + 1 : rec->arg);
		if (!r && rec->extra)
			r = spk_buf_addf(out, " %s", rec->extra);
		if (!r)
			r = spk_buf_addc(out, '\n');
	}
	if (!r)
		r = spk_buf_adds(out, "End\n");
	return r;
}

int spk_journal_load(struct spk_journal *j, int rootfd, struct spk_err *e)
{
	struct spk_buf text = SPK_BUF_INIT;
	char *p, *end;
	bool ended = false;
	int fd, r = 0;

	spk_journal_init(j, 0);
	fd = openat(rootfd, SPK_JOURNAL_PATH, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return errno == ENOENT ? -ENOENT : spk_fail(e, -errno, SPK_JOURNAL_PATH, NULL);
	r = spk_buf_read_fd(&text, fd);
	close(fd);
	if (r < 0)
		goto out;
	p = text.data ? text.data : "";
	end = p + text.len;
	if (strncmp(p, "Format: spk-journal 1\nTransaction: ", 35)) {
		r = spk_fail(e, -SPK_EFORMAT, SPK_JOURNAL_PATH, "not an spk journal");
		goto out;
	}
	j->txid = strtoull(p + 35, NULL, 10);
	p = strchr(p + 35, '\n');
	while (p && ++p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p)), *sp, kind, path[SPK_PATH_MAX + 1];
		char *arg;

		if (!nl)
			break;
		*nl = '\0';
		if (!strcmp(p, "End")) {
			ended = true;
			break;
		}
		kind = p[0];
		arg = p + 2;
		if (kind == 'W') {
			path[0] = p[1];
			arg = p + 3;
		}
		if (kind == 'W' ? (nl - p < 4 || p[2] != ' ') : (nl - p < 3 || p[1] != ' ')) {
			r = spk_fail(e, -SPK_EFORMAT, SPK_JOURNAL_PATH, "bad record '%s'", p);
			goto out;
		}
		sp = strchr(arg, ' ');
		if (spk_path_unescape(arg, sp ? (size_t)(sp - arg) : strlen(arg),
				      kind == 'W' ? path + 1 : path,
				      sizeof(path) - 1) < 0) {
			r = spk_fail(e, -SPK_EFORMAT, SPK_JOURNAL_PATH, "bad path in '%s'", p);
			goto out;
		}
		r = spk_journal_add(j, kind, path, sp ? sp + 1 : NULL);
		if (r < 0) {
			r = spk_fail(e, r, SPK_JOURNAL_PATH, NULL);
			goto out;
		}
		p = nl;
	}
	if (!ended)
		r = spk_fail(e, -SPK_EFORMAT, SPK_JOURNAL_PATH, "incomplete journal (no End line)");
out:
	spk_buf_release(&text);
	if (r < 0)
		spk_journal_release(j);
	return r;
}

static void beside(const char *path, const char *tag, char *out, size_t n)
{
	const char *slash = strrchr(path, '/');
	uint64_t h = spk_path_hash(path);

	if (slash)
		snprintf(out, n, "%.*s/.spk-%s.%016" PRIx64, (int)(slash - path), path, tag, h);
	else
		snprintf(out, n, ".spk-%s.%016" PRIx64, tag, h);
}

void spk_journal_staged_name(const char *path, char *out, size_t n)
{
	beside(path, "new", out, n);
}

void spk_journal_backup_name(const char *path, char *out, size_t n)
{
	beside(path, "old", out, n);
}
