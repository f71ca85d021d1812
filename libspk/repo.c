#include "libspk/repo.h"

#include "libspk/atomic.h"
#include "libspk/buf.h"
#include "libspk/path.h"
#include "libspk/sig.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define CONF_MAX (1 << 20)

static void repo_release(struct spk_repo *r)
{
	free(r->line);
	free(r->base);
	free(r->repository);
	free(r->pin);
	free(r->id);
	if (r->loaded)
		spk_index_release(&r->index);
	memset(r, 0, sizeof(*r));
}

void spk_repos_release(struct spk_repos *rs)
{
	for (size_t i = 0; i < rs->n; i++)
		repo_release(&rs->v[i]);
	free(rs->v);
	rs->v = NULL;
	rs->n = 0;
}

static bool tag_is_valid(const char *t)
{
	if (!*t)
		return false;
	for (; *t; t++)
		if (!isalnum((unsigned char)*t) && *t != '.' && *t != '_' && *t != '-')
			return false;
	return true;
}

static bool owner_repo_is_valid(const char *s)
{
	const char *slash = strchr(s, '/');

	if (!slash || slash == s || !slash[1] || strchr(slash + 1, '/'))
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("._-/", *s))
			return false;
	return true;
}

/* Parses one configuration line into r. */
static int parse_line(struct spk_repo *r, const char *line, const char *where, struct spk_err *e)
{
	char body[1024], *at;
	const char *gh = getenv("SPK_GITHUB_URL");
	char base[1200];

	if (strlen(line) >= sizeof(body))
		return spk_fail(e, -SPK_EFORMAT, where, "line too long");
	snprintf(body, sizeof(body), "%s", line);
	at = strrchr(body, '@');
	if (at && !strchr(at, '/')) {
		*at = '\0';
		if (!tag_is_valid(at + 1))
			return spk_fail(e, -SPK_EFORMAT, where, "invalid snapshot tag '%s'", at + 1);
		r->pin = strdup(at + 1);
	}
	if (!strncmp(body, "github:", 7)) {
		if (!owner_repo_is_valid(body + 7))
			return spk_fail(e, -SPK_EFORMAT, where, "expected github:OWNER/REPO");
		if (!gh || !*gh)
			gh = "https://github.com";
		snprintf(base, sizeof(base), "%s%s%s", gh, gh[strlen(gh) - 1] == '/' ? "" : "/",
			 body + 7);
		r->repository = strdup(body + 7);
	} else if (!strncmp(body, "https://", 8) || !strncmp(body, "http://", 7)) {
		size_t n = strlen(body);

		while (n && body[n - 1] == '/')
			body[--n] = '\0';
		snprintf(base, sizeof(base), "%s", body);
	} else {
		return spk_fail(e, -SPK_EFORMAT, where,
				"expected github:OWNER/REPO[@TAG] or https://HOST/PATH[@TAG]");
	}
	r->line = strdup(line);
	r->base = strdup(base);
	{
		/* a readable, unique directory name */
		char id[200];
		size_t k = 0;

		for (const char *p = line; *p && k < 120; p++)
			id[k++] = isalnum((unsigned char)*p) || *p == '.' || *p == '-' ? *p : '_';
		snprintf(id + k, sizeof(id) - k, "-%08" PRIx64,
			 spk_path_hash(line) & 0xffffffffu);
		r->id = strdup(id);
	}
	if (!r->line || !r->base || !r->id)
		return spk_fail(e, -ENOMEM, where, NULL);
	return 0;
}

int spk_repos_config(struct spk_repos *rs, int rootfd, struct spk_err *e)
{
	struct spk_buf text;
	char *p, where[300];
	int fd, r = 0;

	rs->v = NULL;
	rs->n = 0;
	fd = openat(rootfd, SPK_REPOS_CONF, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : spk_fail(e, -errno, "/" SPK_REPOS_CONF, NULL);
	spk_buf_init(&text, CONF_MAX);
	r = spk_buf_read_fd(&text, fd);
	close(fd);
	if (r < 0) {
		spk_buf_release(&text);
		return spk_fail(e, r, "/" SPK_REPOS_CONF, NULL);
	}
	p = text.data;
	for (size_t lineno = 1; p && *p && r == 0; lineno++) {
		char *nl = strchr(p, '\n'), *s = p, *end;
		struct spk_repo *v;

		if (nl)
			*nl = '\0';
		p = nl ? nl + 1 : NULL;
		while (*s == ' ' || *s == '\t')
			s++;
		end = s + strlen(s);
		while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
			*--end = '\0';
		if (!*s || *s == '#')
			continue;
		v = realloc(rs->v, (rs->n + 1) * sizeof(*v));
		if (!v) {
			r = spk_fail(e, -ENOMEM, SPK_REPOS_CONF, NULL);
			break;
		}
		rs->v = v;
		memset(&v[rs->n], 0, sizeof(*v));
		rs->n++;
		snprintf(where, sizeof(where), "/%s line %zu", SPK_REPOS_CONF, lineno);
		r = parse_line(&v[rs->n - 1], s, where, e);
	}
	spk_buf_release(&text);
	if (r < 0)
		spk_repos_release(rs);
	return r;
}

void spk_repo_asset_url(const struct spk_repo *r, const struct spk_index_entry *x, char *buf,
			size_t n)
{
	snprintf(buf, n, "%s/releases/download/%s/%s", r->base,
		 x->asset_tag[0] ? x->asset_tag : r->channel.snapshot, x->asset);
}

struct fetched {
	struct spk_buf channel, sig, index;
	struct spk_channel accepted;
};

static int read_state_file(int rootfd, const struct spk_repo *r, const char *name, size_t max,
			   struct spk_buf *out, struct spk_err *e)
{
	char path[600];
	int fd, ret;

	snprintf(path, sizeof(path), "%s/%s/%s", SPK_REPOS_STATE, r->id, name);
	spk_buf_init(out, max);
	fd = openat(rootfd, path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return errno == ENOENT ? -ENOENT : spk_fail(e, -errno, path, NULL);
	ret = spk_buf_read_fd(out, fd);
	close(fd);
	return ret < 0 ? spk_fail(e, ret, path, NULL) : 0;
}

/* The last accepted channel of r, for the rollback rule; *have is false when there is none. */
static int last_accepted(int rootfd, const struct spk_repo *r, struct spk_channel *c, bool *have,
			 struct spk_err *e)
{
	struct spk_buf text;
	int ret = read_state_file(rootfd, r, "SPKCHANNEL", SPK_CHANNEL_MAX, &text, e);

	*have = false;
	if (ret == -ENOENT) {
		spk_buf_release(&text);
		return 0;
	}
	if (ret == 0) {
		ret = spk_channel_parse(c, text.data ? text.data : "", text.len, r->line, e);
		*have = ret == 0;
	}
	spk_buf_release(&text);
	return ret;
}

static int fetch_one(struct spk_repo *r, int rootfd, const struct spk_fetch_opts *fo,
		     struct fetched *f, struct spk_err *e)
{
	struct spk_channel unverified, last;
	struct spk_channel_state st = { 0 };
	char url[2048];
	bool have = false;
	int ret;

	spk_buf_init(&f->channel, SPK_CHANNEL_MAX);
	spk_buf_init(&f->sig, SPK_SIG_FILE_MAX);
	spk_buf_init(&f->index, SPK_INDEX_XZ_MAX);
	if (r->pin)
		snprintf(url, sizeof(url), "%s/releases/download/%s/SPKCHANNEL", r->base, r->pin);
	else
		snprintf(url, sizeof(url), "%s/releases/latest/download/SPKCHANNEL", r->base);
	ret = spk_fetch_mem(url, &f->channel, fo, e);
	if (ret < 0)
		return ret;
	/* The signature is read from the snapshot the channel names, so a channel flip between
	 * the two requests cannot pair one snapshot's channel with another's signature. */
	ret = spk_channel_parse(&unverified, f->channel.data ? f->channel.data : "",
				f->channel.len, r->line, e);
	if (ret < 0)
		return ret;
	snprintf(url, sizeof(url), "%s/releases/download/%s/SPKCHANNEL.minisig", r->base,
		 unverified.snapshot);
	ret = spk_fetch_mem(url, &f->sig, fo, e);
	if (ret == -SPK_ENETWORK && strstr(e->why, "404"))
		return spk_fail(e, -SPK_ESIGNATURE, r->line, "missing signature (SPKCHANNEL.minisig)");
	if (ret < 0)
		return ret;
	ret = last_accepted(rootfd, r, &last, &have, e);
	if (ret < 0)
		return ret;
	st.repository = r->repository;
	st.have_last = have;
	st.last_serial = have ? last.serial : 0;
	st.last_snapshot = have ? last.snapshot : NULL;
	st.now = (int64_t)time(NULL);
	ret = spk_channel_accept_root(&f->accepted, rootfd, f->channel.data, f->channel.len,
				      f->sig.data ? f->sig.data : "", f->sig.len, &st, r->line, e);
	if (ret < 0)
		return ret;
	snprintf(url, sizeof(url), "%s/releases/download/%s/SPKINDEX.xz", r->base,
		 f->accepted.snapshot);
	ret = spk_fetch_mem(url, &f->index, fo, e);
	if (ret < 0)
		return ret;
	ret = spk_channel_check_index(&f->accepted, f->index.data, f->index.len, r->line, e);
	if (ret < 0)
		return ret;
	if (r->loaded)
		spk_index_release(&r->index);
	r->loaded = false;
	ret = spk_index_load_xz(&r->index, f->index.data, f->index.len, r->line, e);
	if (ret < 0) {
		spk_index_release(&r->index);
		return ret;
	}
	r->loaded = true;
	r->channel = f->accepted;
	return 0;
}

static int write_state(int rootfd, const struct spk_repo *r, const struct fetched *f, bool sync,
		       struct spk_err *e)
{
	const struct {
		const char *name;
		const struct spk_buf *b;
	} files[] = {
		{ "SPKINDEX.xz", &f->index },
		{ "SPKCHANNEL.minisig", &f->sig },
		{ "SPKCHANNEL", &f->channel }, /* last: the commit point */
	};
	char dir[600], path[700];
	int ret;

	snprintf(dir, sizeof(dir), "%s/%s", SPK_REPOS_STATE, r->id);
	ret = spk_mkdirs(rootfd, dir, e);
	for (size_t i = 0; ret == 0 && i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i].name);
		ret = spk_atomic_write(rootfd, path, files[i].b->data ? files[i].b->data : "",
				       files[i].b->len, 0644, sync, e);
	}
	return ret;
}

int spk_repos_update(struct spk_repos *rs, int rootfd, bool sync, const struct spk_fetch_opts *fo,
		     void (*report)(void *arg, const struct spk_repo *r), void *arg,
		     struct spk_err *e)
{
	struct fetched *f = calloc(rs->n ? rs->n : 1, sizeof(*f));
	int ret = 0;

	if (!f)
		return spk_fail(e, -ENOMEM, "update", NULL);
	for (size_t i = 0; ret == 0 && i < rs->n; i++) {
		ret = fetch_one(&rs->v[i], rootfd, fo, &f[i], e);
		if (ret < 0 && e->what[0] == '\0')
			spk_fail(e, ret, rs->v[i].line, "%s", spk_err_why(e));
	}
	for (size_t i = 0; ret == 0 && i < rs->n; i++)
		ret = write_state(rootfd, &rs->v[i], &f[i], sync, e);
	for (size_t i = 0; ret == 0 && report && i < rs->n; i++)
		report(arg, &rs->v[i]);
	for (size_t i = 0; i < rs->n; i++) {
		spk_buf_release(&f[i].channel);
		spk_buf_release(&f[i].sig);
		spk_buf_release(&f[i].index);
	}
	free(f);
	return ret;
}

int spk_repos_load(struct spk_repos *rs, int rootfd, int64_t now, struct spk_err *e)
{
	for (size_t i = 0; i < rs->n; i++) {
		struct spk_repo *r = &rs->v[i];
		struct spk_buf ch, sig, ix;
		struct spk_channel_state st = { .repository = r->repository, .now = now };
		int ret;

		ret = read_state_file(rootfd, r, "SPKCHANNEL", SPK_CHANNEL_MAX, &ch, e);
		if (ret == 0)
			ret = read_state_file(rootfd, r, "SPKCHANNEL.minisig", SPK_SIG_FILE_MAX, &sig,
					      e);
		else
			spk_buf_init(&sig, 0);
		if (ret == 0)
			ret = read_state_file(rootfd, r, "SPKINDEX.xz", SPK_INDEX_XZ_MAX, &ix, e);
		else
			spk_buf_init(&ix, 0);
		if (ret == -ENOENT)
			ret = spk_fail(e, -SPK_ENOTFOUND, r->line, "no index yet: run spk update");
		if (ret == 0)
			ret = spk_channel_accept_root(&r->channel, rootfd, ch.data, ch.len,
						      sig.data ? sig.data : "", sig.len, &st,
						      r->line, e);
		if (ret == 0 && spk_channel_check_index(&r->channel, ix.data, ix.len, r->line,
							e) < 0)
			ret = spk_fail(e, -SPK_EMISMATCH, r->line,
				       "stored index does not match its channel: run spk update");
		if (ret == 0) {
			ret = spk_index_load_xz(&r->index, ix.data, ix.len, r->line, e);
			if (ret < 0)
				spk_index_release(&r->index);
			else
				r->loaded = true;
		}
		spk_buf_release(&ch);
		spk_buf_release(&sig);
		spk_buf_release(&ix);
		if (ret < 0)
			return ret;
	}
	return 0;
}
