#include "libspk/pkg.h"

#include "libspk/buf.h"
#include "libspk/path.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void spk_pkg_close(struct spk_pkg *p)
{
	if (p->a)
		archive_read_free(p->a);
	if (p->fd >= 0)
		close(p->fd);
	free(p->what);
	free(p->path);
	free(p->seen);
	spk_info_release(&p->info);
	spk_manifest_release(&p->manifest);
	for (int i = 0; i < SPK_HOOK_COUNT; i++)
		free(p->hooks[i]);
	memset(p, 0, sizeof(*p));
	p->fd = -1;
}

static int archive_fail(struct spk_pkg *p, struct spk_err *e)
{
	const char *msg = archive_error_string(p->a);
	int err = archive_errno(p->a);

	if (err == ENOMEM)
		return spk_fail(e, -ENOMEM, p->what, NULL);
	return spk_fail(e, -SPK_ECORRUPT, p->what, "truncated or corrupt archive (%s)",
			msg ? msg : "read error");
}

/* The member's path, with a directory's trailing slash dropped, into buf. */
static const char *member_path(struct archive_entry *ae, char *buf, size_t n)
{
	const char *path = archive_entry_pathname(ae);
	size_t len;

	if (!path)
		return NULL;
	snprintf(buf, n, "%s", path);
	len = strlen(buf);
	if (len > 1 && buf[len - 1] == '/' && archive_entry_filetype(ae) == AE_IFDIR)
		buf[len - 1] = '\0';
	return buf;
}

/* Reads the next header into p->pending; 1 = got one, 0 = end. */
static int next_header(struct spk_pkg *p, struct spk_err *e)
{
	int r;

	if (p->at_eof)
		return 0;
	r = archive_read_next_header(p->a, &p->pending);
	if (r == ARCHIVE_EOF) {
		p->at_eof = true;
		p->pending = NULL;
		return 0;
	}
	if (r < ARCHIVE_WARN) {
		p->pending = NULL;
		return archive_fail(p, e);
	}
	return 1;
}

/* Reads a head member whole; its name and bytes also go into the head hash. */
static int read_small(struct spk_pkg *p, const char *name, size_t max, char **out, size_t *len,
		      crypto_hash_sha256_state *head, struct spk_err *e)
{
	struct spk_buf b;
	char chunk[16384];
	char what[300];
	ssize_t n;

	snprintf(what, sizeof(what), "%s: %s", p->what, name);
	if (archive_entry_filetype(p->pending) != AE_IFREG)
		return spk_fail(e, -SPK_EFORMAT, what, "not a regular file");
	if (archive_entry_size(p->pending) > (la_int64_t)max)
		return spk_fail(e, -SPK_EFORMAT, what, "larger than %zu bytes", max);
	spk_buf_init(&b, max);
	while ((n = archive_read_data(p->a, chunk, sizeof(chunk))) > 0) {
		if (spk_buf_add(&b, chunk, (size_t)n) < 0) {
			spk_buf_release(&b);
			return spk_fail(e, -SPK_EFORMAT, what, "larger than %zu bytes", max);
		}
	}
	if (n < 0) {
		spk_buf_release(&b);
		return archive_fail(p, e);
	}
	crypto_hash_sha256_update(head, (const unsigned char *)name, strlen(name) + 1);
	crypto_hash_sha256_update(head, (const unsigned char *)(b.data ? b.data : ""), b.len);
	*out = spk_buf_detach(&b, len);
	return *out ? 0 : spk_fail(e, -ENOMEM, what, NULL);
}

/* A hostile member is worth naming even when the head is already wrong: scan the remaining
 * headers for the first unsafe one. Returns its error, or 0 if every path is clean. */
static int name_unsafe_member(struct spk_pkg *p, struct spk_err *e)
{
	char path[SPK_PATH_MAX + 2];
	const char *why;

	while (p->pending) {
		const char *mp = member_path(p->pending, path, sizeof(path));

		if (!mp || !spk_path_is_safe(mp, &why))
			return spk_fail(e, -SPK_EUNSAFE, p->what, "%s: %s", mp ? mp : "?", why);
		if (next_header(p, NULL) <= 0)
			break;
	}
	return 0;
}

/* A record entry that could be written must pass the same rules as the member itself. */
static int check_record_setuid(struct spk_pkg *p, struct spk_err *e)
{
	char abs[SPK_PATH_MAX + 2];

	for (size_t i = 0; i < p->manifest.n; i++) {
		const struct spk_fentry *f = &p->manifest.v[i];

		if (!(f->mode & 06000))
			continue;
		snprintf(abs, sizeof(abs), "/%s", f->path);
		if (f->type != SPK_FT_FILE && f->type != SPK_FT_HARDLINK &&
		    f->type != SPK_FT_DIR)
			continue;
		if (!spk_info_allows_setuid(&p->info, abs))
			return spk_fail(e, -SPK_EUNSAFE, p->what,
					"%s: setuid/setgid without Allow-Setuid", f->path);
	}
	return 0;
}

/* Opens p->path and reads the first header. */
static int open_archive(struct spk_pkg *p, struct spk_err *e)
{
	p->at_eof = false;
	p->pending = NULL;
	p->fd = open(p->path, O_RDONLY | O_CLOEXEC);
	if (p->fd < 0)
		return spk_fail(e, -errno, p->path, NULL);
	p->a = archive_read_new();
	if (!p->a)
		return spk_fail(e, -ENOMEM, p->path, NULL);
	archive_read_support_filter_xz(p->a);
	archive_read_support_format_tar(p->a);
	if (archive_read_open_fd(p->a, p->fd, 65536) != ARCHIVE_OK)
		return archive_fail(p, e);
	return next_header(p, e);
}

void spk_pkg_suspend(struct spk_pkg *p)
{
	if (p->a)
		archive_read_free(p->a);
	p->a = NULL;
	if (p->fd >= 0)
		close(p->fd);
	p->fd = -1;
	p->pending = NULL;
}

int spk_pkg_resume(struct spk_pkg *p, struct spk_err *e)
{
	crypto_hash_sha256_state head;
	unsigned char sha[32];
	char mpath[SPK_PATH_MAX + 2];
	int r;

	crypto_hash_sha256_init(&head);
	if (p->seen)
		memset(p->seen, 0, p->manifest.n ? p->manifest.n : 1);
	r = open_archive(p, e);
	while (r > 0) {
		const char *mp = member_path(p->pending, mpath, sizeof(mpath));
		char *text;
		size_t len;

		if (!mp || (strcmp(mp, ".SPKINFO") && strcmp(mp, ".SPKMANIFEST") &&
			    spk_hook_from_name(mp) < 0))
			break;
		r = read_small(p, mp, SPK_MANIFEST_MAX, &text, &len, &head, e);
		free(text);
		if (r == 0)
			r = next_header(p, e);
	}
	if (r < 0) {
		spk_pkg_suspend(p);
		return r;
	}
	crypto_hash_sha256_final(&head, sha);
	if (memcmp(sha, p->head_sha, 32)) {
		spk_pkg_suspend(p);
		return spk_fail(e, -SPK_EMISMATCH, p->what, "the file changed since it was read");
	}
	return 0;
}

int spk_pkg_open(struct spk_pkg *p, const char *path, struct spk_err *e)
{
	const char *base = strrchr(path, '/');
	char *text = NULL, mpath[SPK_PATH_MAX + 2];
	crypto_hash_sha256_state head;
	size_t len;
	int r, h;

	memset(p, 0, sizeof(*p));
	p->fd = -1;
	spk_manifest_init(&p->manifest);
	crypto_hash_sha256_init(&head);
	p->what = strdup(base ? base + 1 : path);
	p->path = strdup(path);
	if (!p->what || !p->path) {
		r = spk_fail(e, -ENOMEM, path, NULL);
		goto fail;
	}
	r = open_archive(p, e);
	if (r <= 0) {
		if (r == 0)
			r = spk_fail(e, -SPK_EFORMAT, p->what, "empty archive");
		goto fail;
	}
	if (strcmp(archive_entry_pathname(p->pending), ".SPKINFO")) {
		r = spk_fail(e, -SPK_EFORMAT, p->what, "first member is not .SPKINFO");
		goto fail;
	}
	r = read_small(p, ".SPKINFO", SPK_INFO_MAX, &text, &len, &head, e);
	if (r < 0)
		goto fail;
	{
		char what[300];

		snprintf(what, sizeof(what), "%s: .SPKINFO", p->what);
		r = spk_info_parse(&p->info, text, len, what, e);
	}
	free(text);
	text = NULL;
	if (r < 0)
		goto fail;
	r = next_header(p, e);
	if (r < 0)
		goto fail;
	if (r == 0 || strcmp(archive_entry_pathname(p->pending), ".SPKMANIFEST")) {
		r = name_unsafe_member(p, e);
		if (r == 0)
			r = spk_fail(e, -SPK_EFORMAT, p->what,
				     "second member is not .SPKMANIFEST (the file record)");
		goto fail;
	}
	r = read_small(p, ".SPKMANIFEST", SPK_MANIFEST_MAX, &text, &len, &head, e);
	if (r < 0)
		goto fail;
	r = spk_manifest_parse(&p->manifest, text, len, "", p->what, e);
	free(text);
	text = NULL;
	if (r < 0)
		goto fail;
	r = check_record_setuid(p, e);
	if (r < 0)
		goto fail;
	p->seen = calloc(p->manifest.n ? p->manifest.n : 1, 1);
	if (!p->seen) {
		r = spk_fail(e, -ENOMEM, p->what, NULL);
		goto fail;
	}
	/* Hook scripts follow the record; the first other member starts the tree. */
	while ((r = next_header(p, e)) > 0) {
		const char *mp = member_path(p->pending, mpath, sizeof(mpath));

		h = mp ? spk_hook_from_name(mp) : -1;
		if (h < 0)
			break;
		if (p->hooks[h]) {
			r = spk_fail(e, -SPK_EUNSAFE, p->what, "%s: duplicate member", mp);
			goto fail;
		}
		r = read_small(p, mp, SPK_HOOK_MAX, &p->hooks[h], &p->hook_len[h], &head, e);
		if (r < 0)
			goto fail;
	}
	if (r < 0)
		goto fail;
	crypto_hash_sha256_final(&head, p->head_sha);
	return 0;
fail:
	free(text);
	spk_pkg_close(p);
	return r;
}

static const char *type_word(unsigned ft)
{
	switch (ft) {
	case AE_IFCHR:
	case AE_IFBLK:
		return "device node";
	case AE_IFIFO:
		return "FIFO";
	case AE_IFSOCK:
		return "socket";
	default:
		return "unsupported file type";
	}
}

int spk_pkg_next(struct spk_pkg *p, const struct spk_fentry **out, struct spk_err *e)
{
	char path[SPK_PATH_MAX + 2];
	const struct spk_fentry *fe;
	struct archive_entry *ae;
	const char *mp, *why, *hl;
	unsigned ft;
	char type;
	int r;

	if (!p->pending) {
		r = next_header(p, e);
		if (r < 0)
			return r;
		if (r == 0) {
			for (size_t i = 0; i < p->manifest.n; i++)
				if (!p->seen[i])
					return spk_fail(e, -SPK_EMISMATCH, p->what,
							"%s: in the file record but not in the archive",
							p->manifest.v[i].path);
			return 0;
		}
	}
	ae = p->pending;
	p->pending = NULL;
	mp = member_path(ae, path, sizeof(path));
	if (!mp || !spk_path_is_safe(mp, &why)) {
		if (mp && spk_hook_from_name(mp) >= 0)
			why = "hook script after the file tree";
		return spk_fail(e, -SPK_EUNSAFE, p->what, "%s: %s", mp ? mp : "?", why);
	}
	ft = archive_entry_filetype(ae);
	hl = archive_entry_hardlink(ae);
	if (hl)
		type = SPK_FT_HARDLINK;
	else if (ft == AE_IFREG)
		type = SPK_FT_FILE;
	else if (ft == AE_IFDIR)
		type = SPK_FT_DIR;
	else if (ft == AE_IFLNK)
		type = SPK_FT_SYMLINK;
	else
		return spk_fail(e, -SPK_EUNSAFE, p->what, "%s: %s refused", mp, type_word(ft));
	fe = spk_manifest_find(&p->manifest, mp);
	if (!fe)
		return spk_fail(e, -SPK_EUNSAFE, p->what,
				"%s: not listed in the package's file record", mp);
	if (p->seen[fe - p->manifest.v])
		return spk_fail(e, -SPK_EUNSAFE, p->what, "%s: duplicate member", mp);
	p->seen[fe - p->manifest.v] = 1;
	if (fe->type != type)
		return spk_fail(e, -SPK_EMISMATCH, p->what, "%s: type differs from its record", mp);
	if (((unsigned)archive_entry_perm(ae) & 07777) != fe->mode && type != SPK_FT_SYMLINK)
		return spk_fail(e, -SPK_EMISMATCH, p->what, "%s: mode %04o differs from its record",
				mp, (unsigned)archive_entry_perm(ae) & 07777);
	if (type == SPK_FT_SYMLINK) {
		const char *t = archive_entry_symlink(ae);

		if (!t || strcmp(t, fe->target))
			return spk_fail(e, -SPK_EMISMATCH, p->what,
					"%s: symlink target differs from its record", mp);
	}
	if (type == SPK_FT_HARDLINK && strcmp(hl, fe->target))
		return spk_fail(e, -SPK_EMISMATCH, p->what,
				"%s: hard link target differs from its record", mp);
	if (type == SPK_FT_HARDLINK && !p->seen[spk_manifest_find(&p->manifest, hl) -
						 p->manifest.v])
		return spk_fail(e, -SPK_EUNSAFE, p->what, "%s: hard link before its target", mp);
	if (type == SPK_FT_FILE && (unsigned long long)archive_entry_size(ae) != fe->size)
		return spk_fail(e, -SPK_EMISMATCH, p->what, "%s: size differs from its record",
				mp);
	*out = fe;
	return 1;
}

static int write_all(int fd, const char *buf, size_t n)
{
	while (n) {
		ssize_t w = write(fd, buf, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		buf += w;
		n -= (size_t)w;
	}
	return 0;
}

int spk_pkg_read_data(struct spk_pkg *p, const struct spk_fentry *fe, int fd, struct spk_err *e)
{
	crypto_hash_sha256_state st;
	unsigned char sha[32];
	unsigned long long total = 0;
	const void *block;
	size_t size;
	la_int64_t offset;
	int r;

	crypto_hash_sha256_init(&st);
	for (;;) {
		r = archive_read_data_block(p->a, &block, &size, &offset);
		if (r == ARCHIVE_EOF)
			break;
		if (r < ARCHIVE_WARN)
			return archive_fail(p, e);
		/* tar members are contiguous for us: sparse entries are not produced by mkpkg */
		if ((unsigned long long)offset != total)
			return spk_fail(e, -SPK_EUNSAFE, p->what, "%s: sparse member refused",
					fe->path);
		total += size;
		if (total > fe->size)
			return spk_fail(e, -SPK_EMISMATCH, p->what, "%s: larger than its record",
					fe->path);
		crypto_hash_sha256_update(&st, block, size);
		if (fd >= 0 && (r = write_all(fd, block, size)) < 0)
			return spk_fail(e, r, fe->path, NULL);
	}
	crypto_hash_sha256_final(&st, sha);
	if (total != fe->size || memcmp(sha, fe->sha256, 32))
		return spk_fail(e, -SPK_EMISMATCH, p->what,
				"%s: content does not match its record (SHA-256)", fe->path);
	return 0;
}

int spk_pkg_check_all(struct spk_pkg *p, struct spk_err *e)
{
	const struct spk_fentry *fe;
	int r;

	while ((r = spk_pkg_next(p, &fe, e)) > 0) {
		if (fe->type == SPK_FT_FILE) {
			r = spk_pkg_read_data(p, fe, -1, e);
			if (r < 0)
				return r;
		}
	}
	return r;
}

int spk_pkg_read_info(const char *path, struct spk_info *info, struct spk_err *e)
{
	struct spk_pkg p;
	int r = spk_pkg_open(&p, path, e);

	if (r < 0)
		return r;
	*info = p.info;
	memset(&p.info, 0, sizeof(p.info));
	spk_pkg_close(&p);
	return 0;
}
