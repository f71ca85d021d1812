/* Publishing a snapshot into a directory tree laid out like GitHub's release URLs, for a mirror
 * or nginx (see publish.h). Invariant: DIR/O/R/releases/latest/download/SPKCHANNEL only ever
 * names a snapshot whose files are all in place, because it is replaced (rename) last. */
#include "libspk/publish.h"

#include "libspk/buf.h"
#include "libspk/publish_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* mkdir -p of path relative to dirfd; refuses to pass through a symlink. */
static int mkdirs(int dirfd, const char *path, struct spk_err *e)
{
	char buf[4096];
	size_t n = strlen(path);

	if (n >= sizeof(buf))
		return spk_fail(e, -ENAMETOOLONG, path, NULL);
	memcpy(buf, path, n + 1);
	for (char *p = buf;; p++) {
		if (*p == '/' || *p == '\0') {
			char c = *p;
			struct stat st;

			*p = '\0';
			if (buf[0] && mkdirat(dirfd, buf, 0755) < 0 && errno != EEXIST)
				return spk_fail(e, -errno, buf, NULL);
			if (buf[0] && (fstatat(dirfd, buf, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
			               !S_ISDIR(st.st_mode)))
				return spk_fail(e, -ENOTDIR, buf, "not a directory");
			*p = c;
			if (!c)
				break;
		}
	}
	return 0;
}

/* Does the file name in dirfd hold exactly the bytes of src in srcfd? */
static int same_content(int srcfd, const char *src, int dirfd, const char *name, bool *same,
                        struct spk_err *e)
{
	struct spk_buf a, b;
	int r;

	*same = false;
	r = spk_publish_file_read(&a, srcfd, src, (size_t)4 << 30, e);
	if (r == 0)
		r = spk_publish_file_read(&b, dirfd, name, (size_t)4 << 30, e);
	else
		spk_buf_init(&b, 0);
	if (r == 0)
		*same = a.len == b.len && (!a.len || !memcmp(a.data, b.data, a.len));
	spk_buf_release(&a);
	spk_buf_release(&b);
	return r;
}

int spk_publish_to_dir(const struct spk_publish_snapshot *s, const char *root, struct spk_err *e)
{
	const struct spk_channel *c = &s->channel;
	char tagdir[1024], latestdir[1024], path[2048];
	struct spk_buf cur = SPK_BUF_INIT;
	struct spk_channel old;
	int rootfd, r;

	snprintf(tagdir, sizeof(tagdir), "%s/releases/download/%s", c->repository, c->snapshot);
	snprintf(latestdir, sizeof(latestdir), "%s/releases/latest/download", c->repository);
	if (mkdir(root, 0755) < 0 && errno != EEXIST)
		return spk_fail(e, -errno, root, NULL);
	rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return spk_fail(e, -errno, root, NULL);

	/* the publisher's own rollback check: never point latest back to an older serial */
	snprintf(path, sizeof(path), "%s/SPKCHANNEL", latestdir);
	r = spk_publish_file_read(&cur, rootfd, path, SPK_CHANNEL_MAX, e);
	if (r == 0) {
		r = spk_channel_parse(&old, cur.data ? cur.data : "", cur.len, path, e);
		if (r == 0 && old.serial > c->serial)
			r = spk_fail(e, -SPK_EROLLBACK, path,
			             "latest has serial %llu, this snapshot %llu (lower, refused)",
			             (unsigned long long)old.serial, (unsigned long long)c->serial);
		if (r == 0 && old.serial == c->serial && strcmp(old.snapshot, c->snapshot))
			r = spk_fail(e, -SPK_EROLLBACK, path,
			             "serial %llu is already published as snapshot %s",
			             (unsigned long long)c->serial, old.snapshot);
	} else if (r == -ENOENT) {
		r = 0;
	}
	spk_buf_release(&cur);
	if (r == 0)
		r = mkdirs(rootfd, tagdir, e);
	if (r == 0)
		r = mkdirs(rootfd, latestdir, e);
	/* published snapshots are immutable: the same bytes again is a re-run, other bytes are
	 * refused, and all of that is decided before the first file is written */
	for (size_t i = 0; r == 0 && i < s->n; i++) {
		bool same;

		snprintf(path, sizeof(path), "%s/%s", tagdir, s->files[i]);
		if (faccessat(rootfd, path, F_OK, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		r = same_content(s->dirfd, s->files[i], rootfd, path, &same, e);
		if (r == 0 && !same)
			r = spk_fail(e, -EEXIST, path,
			             "already published with other content (snapshots are "
			             "immutable; use a new tag)");
	}
	for (size_t i = 0; r == 0 && i < s->n; i++) {
		snprintf(path, sizeof(path), "%s/%s", tagdir, s->files[i]);
		if (faccessat(rootfd, path, F_OK, AT_SYMLINK_NOFOLLOW) == 0)
			continue;
		r = spk_publish_file_copy(s->dirfd, s->files[i], rootfd, path, 0644,
		                          SPK_PUBLISH_FILE_SYNC, e);
	}
	snprintf(path, sizeof(path), "%s/SPKCHANNEL", latestdir);
	if (r == 0)
		r = spk_publish_file_copy(s->dirfd, "SPKCHANNEL", rootfd, path, 0644,
		                          SPK_PUBLISH_FILE_SYNC, e);
	close(rootfd);
	return r;
}
