#include "libspk/verify.h"

#include "libspk/path.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *type_name(char t)
{
	switch (t) {
	case SPK_FT_DIR:
		return "directory";
	case SPK_FT_SYMLINK:
		return "symlink";
	default:
		return "regular file";
	}
}

static int hash_at(int rootfd, const char *path, unsigned char sha[32])
{
	crypto_hash_sha256_state st;
	unsigned char buf[65536];
	ssize_t n;
	int fd = openat(rootfd, path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0)
		return -errno;
	crypto_hash_sha256_init(&st);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		crypto_hash_sha256_update(&st, buf, (size_t)n);
	close(fd);
	if (n < 0)
		return -EIO;
	crypto_hash_sha256_final(&st, sha);
	return 0;
}

static const char *check(int rootfd, const struct spk_fentry *f, char *buf, size_t n)
{
	struct stat st;
	unsigned char sha[32];
	bool want_dir = f->type == SPK_FT_DIR, want_link = f->type == SPK_FT_SYMLINK;

	if (fstatat(rootfd, f->path, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno == ENOENT)
			return "missing";
		snprintf(buf, n, "cannot check: %s", strerror(errno));
		return buf;
	}
	if (S_ISDIR(st.st_mode) != want_dir || S_ISLNK(st.st_mode) != want_link ||
	    (!want_dir && !want_link && !S_ISREG(st.st_mode))) {
		snprintf(buf, n, "not a %s any more", type_name(f->type));
		return buf;
	}
	if (want_dir)
		return NULL;
	if (want_link) {
		char target[SPK_PATH_MAX];
		ssize_t len = readlinkat(rootfd, f->path, target, sizeof(target) - 1);

		if (len < 0 || (target[len] = '\0', strcmp(target, f->target))) {
			snprintf(buf, n, "symlink target differs (expected '%s')", f->target);
			return buf;
		}
		return NULL;
	}
	if ((st.st_mode & 07777) != f->mode) {
		snprintf(buf, n, "mode %04o, expected %04o", (unsigned)st.st_mode & 07777, f->mode);
		return buf;
	}
	if ((unsigned long long)st.st_size != f->size) {
		snprintf(buf, n, "size %lld, expected %llu", (long long)st.st_size, f->size);
		return buf;
	}
	if (hash_at(rootfd, f->path, sha) < 0)
		return "cannot read";
	if (memcmp(sha, f->sha256, 32))
		return "content differs (SHA-256)";
	return NULL;
}

size_t spk_verify_pkg(int rootfd, const struct spk_dbpkg *p,
		      void (*problem)(void *arg, const char *pkg, const char *path,
				      const char *what),
		      void *arg)
{
	size_t count = 0;
	char buf[512], abs[SPK_PATH_MAX + 2];

	for (size_t i = 0; i < p->files.n; i++) {
		const char *why = check(rootfd, &p->files.v[i], buf, sizeof(buf));

		if (!why)
			continue;
		snprintf(abs, sizeof(abs), "/%s", p->files.v[i].path);
		problem(arg, p->info.name, abs, why);
		count++;
	}
	return count;
}
