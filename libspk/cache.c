#include "libspk/cache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int spk_cache_open(struct spk_cache *c, const char *root, bool create, struct spk_err *e)
{
	size_t len = strlen(root) + sizeof("/" SPK_CACHE_DIR);
	char *p;

	c->dir = malloc(len);
	if (!c->dir)
		return spk_fail(e, -ENOMEM, root, NULL);
	snprintf(c->dir, len, "%s/%s", strcmp(root, "/") ? root : "", SPK_CACHE_DIR);
	if (!create)
		return 0;
	/* mkdir -p for the components below root: var, var/cache, var/cache/spk. */
	for (p = c->dir + strlen(c->dir) - strlen(SPK_CACHE_DIR);; p++) {
		char saved = *p;

		if (saved != '/' && saved != '\0')
			continue;
		*p = '\0';
		if (mkdir(c->dir, 0755) < 0 && errno != EEXIST) {
			int r = -errno;

			*p = saved;
			spk_fail(e, r, c->dir, NULL);
			spk_cache_release(c);
			return r;
		}
		*p = saved;
		if (!saved)
			break;
	}
	return 0;
}

void spk_cache_release(struct spk_cache *c)
{
	free(c->dir);
	c->dir = NULL;
}

static bool is_hex64(const char *s)
{
	size_t i;

	for (i = 0; s[i]; i++)
		if (!strchr("0123456789abcdefABCDEF", s[i]))
			return false;
	return i == 64;
}

int spk_cache_path(const struct spk_cache *c, const char *asset, const char *sha256, char **path,
		   struct spk_err *e)
{
	size_t len;

	*path = NULL;
	/* The name comes from an index: never let it leave the cache directory. */
	if (!asset[0] || asset[0] == '.' || strchr(asset, '/'))
		return spk_fail(e, -SPK_EUSAGE, asset, "not a plain asset name");
	for (const char *s = asset; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return spk_fail(e, -SPK_EUSAGE, asset, "control character in asset name");
	if (!is_hex64(sha256))
		return spk_fail(e, -SPK_EUSAGE, asset, "bad SHA-256 '%s'", sha256);
	len = strlen(c->dir) + strlen(asset) + 67;
	*path = malloc(len);
	if (!*path)
		return spk_fail(e, -ENOMEM, asset, NULL);
	snprintf(*path, len, "%s/%s-%s", c->dir, sha256, asset);
	return 0;
}

int spk_cache_clean(const struct spk_cache *c, bool dry_run, size_t *files, uint64_t *bytes,
		    struct spk_err *e)
{
	struct dirent *d;
	struct stat st;
	DIR *dir;
	int fd, r = 0;

	*files = 0;
	*bytes = 0;
	fd = open(c->dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : spk_fail(e, -errno, c->dir, NULL);
	dir = fdopendir(fd);
	if (!dir) {
		r = spk_fail(e, -errno, c->dir, NULL);
		close(fd);
		return r;
	}
	while ((errno = 0, d = readdir(dir))) {
		if (fstatat(fd, d->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode))
			continue;
		if (!dry_run && unlinkat(fd, d->d_name, 0) < 0) {
			r = spk_fail(e, -errno, c->dir, "removing %s: %s", d->d_name, strerror(errno));
			break;
		}
		(*files)++;
		*bytes += (uint64_t)st.st_size;
	}
	if (r == 0 && errno)
		r = spk_fail(e, -errno, c->dir, NULL);
	closedir(dir);
	return r;
}
