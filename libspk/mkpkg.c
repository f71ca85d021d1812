#include "libspk/mkpkg.h"

#include "libspk/buf.h"
#include "libspk/info.h"
#include "libspk/manifest.h"
#include "libspk/path.h"
#include "libspk/pkg.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct inode_seen {
	dev_t dev;
	ino_t ino;
	char *path;
};

struct walk {
	int rootfd;
	struct spk_manifest m;
	struct inode_seen *inodes; /* regular files with more than one link */
	size_t n_inodes;
	long long installed_size;
};

static int hash_file(int dirfd, const char *name, unsigned char sha[32], struct spk_err *e,
		     const char *what)
{
	crypto_hash_sha256_state st;
	char buf[65536];
	ssize_t n;
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0)
		return spk_fail(e, -errno, what, NULL);
	crypto_hash_sha256_init(&st);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		crypto_hash_sha256_update(&st, (unsigned char *)buf, (size_t)n);
	if (n < 0) {
		int err = -errno;

		close(fd);
		return spk_fail(e, err, what, NULL);
	}
	close(fd);
	crypto_hash_sha256_final(&st, sha);
	return 0;
}

static int walk_dir(struct walk *w, int dirfd, const char *rel, struct spk_err *e);

static int add_entry(struct walk *w, int dirfd, const char *name, const char *rel,
		     struct spk_err *e)
{
	struct spk_fentry f = { 0 };
	struct stat st;
	int r;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return spk_fail(e, -errno, rel, NULL);
	f.mode = st.st_mode & 07777;
	f.path = strdup(rel);
	if (!f.path)
		return spk_fail(e, -ENOMEM, rel, NULL);
	if (S_ISDIR(st.st_mode)) {
		f.type = SPK_FT_DIR;
	} else if (S_ISLNK(st.st_mode)) {
		char target[SPK_PATH_MAX];
		ssize_t n = readlinkat(dirfd, name, target, sizeof(target) - 1);

		if (n < 0) {
			free(f.path);
			return spk_fail(e, -errno, rel, NULL);
		}
		target[n] = '\0';
		f.type = SPK_FT_SYMLINK;
		f.mode = 0777;
		f.target = strdup(target);
		if (!f.target) {
			free(f.path);
			return spk_fail(e, -ENOMEM, rel, NULL);
		}
	} else if (S_ISREG(st.st_mode)) {
		f.type = SPK_FT_FILE;
		f.size = (unsigned long long)st.st_size;
		r = hash_file(dirfd, name, f.sha256, e, rel);
		if (r < 0) {
			free(f.path);
			return r;
		}
		if (st.st_nlink > 1) {
			/* Remembered; canonical_hardlinks() links them once the order is known. */
			struct inode_seen *grown = realloc(w->inodes,
							   (w->n_inodes + 1) * sizeof(*grown));

			if (!grown) {
				free(f.path);
				return spk_fail(e, -ENOMEM, rel, NULL);
			}
			w->inodes = grown;
			grown[w->n_inodes].dev = st.st_dev;
			grown[w->n_inodes].ino = st.st_ino;
			grown[w->n_inodes].path = strdup(rel);
			if (!grown[w->n_inodes].path) {
				free(f.path);
				return spk_fail(e, -ENOMEM, rel, NULL);
			}
			w->n_inodes++;
		}
		if (f.type == SPK_FT_FILE)
			w->installed_size += st.st_size;
	} else {
		free(f.path);
		return spk_fail(e, -SPK_EUNSAFE, rel, "%s refused (only files, directories and links)",
				S_ISFIFO(st.st_mode) ? "FIFO" : S_ISSOCK(st.st_mode) ? "socket"
											   : "device node");
	}
	r = spk_manifest_add(&w->m, &f);
	if (r < 0) {
		free(f.path);
		free(f.target);
		return spk_fail(e, r, rel, NULL);
	}
	if (f.type == SPK_FT_DIR) {
		int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);

		if (fd < 0)
			return spk_fail(e, -errno, rel, NULL);
		r = walk_dir(w, fd, rel, e);
		close(fd);
		return r;
	}
	return 0;
}

static int walk_dir(struct walk *w, int dirfd, const char *rel, struct spk_err *e)
{
	int fd = dup(dirfd);
	DIR *d;
	struct dirent *de;
	int r = 0;

	if (fd < 0)
		return spk_fail(e, -errno, rel[0] ? rel : ".", NULL);
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return spk_fail(e, -errno, rel[0] ? rel : ".", NULL);
	}
	while ((de = readdir(d))) {
		char child[SPK_PATH_MAX];
		const char *why;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (!rel[0] && (!strcmp(de->d_name, ".SPKINFO") ||
				!strcmp(de->d_name, ".SPKMANIFEST") ||
				spk_hook_from_name(de->d_name) >= 0))
			continue;
		if ((size_t)snprintf(child, sizeof(child), "%s%s%s", rel, rel[0] ? "/" : "",
				     de->d_name) >= sizeof(child)) {
			r = spk_fail(e, -ENAMETOOLONG, rel, NULL);
			break;
		}
		if (!spk_path_is_safe(child, &why)) {
			r = spk_fail(e, -SPK_EUNSAFE, child, "%s", why);
			break;
		}
		r = add_entry(w, dirfd, de->d_name, child, e);
		if (r < 0)
			break;
	}
	closedir(d);
	return r;
}

static const struct inode_seen *inode_of(const struct walk *w, const char *path)
{
	for (size_t i = 0; i < w->n_inodes; i++)
		if (!strcmp(w->inodes[i].path, path))
			return &w->inodes[i];
	return NULL;
}

/* Files sharing an inode become hard links to the first of them in byte order, so the same tree
 * gives the same record whatever order the directory listing had. Returns -ENOMEM or 0. */
static int canonical_hardlinks(struct walk *w)
{
	for (size_t i = 0; i < w->m.n; i++) {
		struct spk_fentry *f = &w->m.v[i];
		const struct inode_seen *me;

		if (f->type != SPK_FT_FILE || !(me = inode_of(w, f->path)))
			continue;
		for (size_t j = 0; j < i; j++) {
			const struct spk_fentry *g = &w->m.v[j];
			const struct inode_seen *other;

			if (g->type != SPK_FT_FILE || !(other = inode_of(w, g->path)))
				continue;
			if (other->dev == me->dev && other->ino == me->ino) {
				f->type = SPK_FT_HARDLINK;
				f->target = strdup(g->path);
				if (!f->target)
					return -ENOMEM;
				w->installed_size -= (long long)f->size;
				break;
			}
		}
	}
	return 0;
}

static int write_member(struct archive *a, struct archive_entry *ae, const char *path,
			mode_t type, unsigned mode, long long size, long long mtime)
{
	archive_entry_clear(ae);
	archive_entry_set_pathname(ae, path);
	archive_entry_set_filetype(ae, type);
	archive_entry_set_perm(ae, mode);
	archive_entry_set_uid(ae, 0);
	archive_entry_set_gid(ae, 0);
	archive_entry_set_size(ae, size);
	archive_entry_set_mtime(ae, mtime, 0);
	return archive_write_header(a, ae);
}

static int write_bytes(struct archive *a, const char *data, size_t n)
{
	while (n) {
		la_ssize_t w = archive_write_data(a, data, n);

		if (w <= 0)
			return -1;
		data += w;
		n -= (size_t)w;
	}
	return 0;
}

static int copy_file(struct archive *a, int dirfd, const char *path)
{
	char buf[65536];
	ssize_t n;
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0)
		return -errno;
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		if (write_bytes(a, buf, (size_t)n) < 0) {
			close(fd);
			return -EIO;
		}
	}
	close(fd);
	return n < 0 ? -EIO : 0;
}

static int write_archive(struct archive *a, int dirfd, const struct spk_buf *info,
			 const struct spk_buf *manifest, const struct spk_manifest *m,
			 long long mtime, struct spk_err *e)
{
	struct archive_entry *ae = archive_entry_new();
	int r = 0;

	if (!ae)
		return spk_fail(e, -ENOMEM, "mkpkg", NULL);
	if (write_member(a, ae, ".SPKINFO", AE_IFREG, 0644, (long long)info->len, mtime) ||
	    write_bytes(a, info->data, info->len) ||
	    write_member(a, ae, ".SPKMANIFEST", AE_IFREG, 0644, (long long)manifest->len,
			 mtime) ||
	    write_bytes(a, manifest->data, manifest->len)) {
		r = spk_fail(e, -EIO, "mkpkg", "%s", archive_error_string(a));
		goto out;
	}
	for (int h = 0; h < SPK_HOOK_COUNT; h++) {
		const char *name = spk_hook_name(h);
		struct stat st;

		if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (!S_ISREG(st.st_mode) || st.st_size > SPK_HOOK_MAX) {
			r = spk_fail(e, -SPK_EFORMAT, name, "hook script must be a regular file "
							    "under 1 MiB");
			goto out;
		}
		if (write_member(a, ae, name, AE_IFREG, 0755, st.st_size, mtime) ||
		    copy_file(a, dirfd, name) < 0) {
			r = spk_fail(e, -EIO, name, "%s", archive_error_string(a));
			goto out;
		}
	}
	for (size_t i = 0; i < m->n; i++) {
		const struct spk_fentry *f = &m->v[i];
		int w;

		switch (f->type) {
		case SPK_FT_DIR:
			w = write_member(a, ae, f->path, AE_IFDIR, f->mode, 0, mtime);
			break;
		case SPK_FT_SYMLINK:
			archive_entry_clear(ae);
			archive_entry_set_pathname(ae, f->path);
			archive_entry_set_filetype(ae, AE_IFLNK);
			archive_entry_set_perm(ae, 0777);
			archive_entry_set_uid(ae, 0);
			archive_entry_set_gid(ae, 0);
			archive_entry_set_mtime(ae, mtime, 0);
			archive_entry_set_symlink(ae, f->target);
			w = archive_write_header(a, ae);
			break;
		case SPK_FT_HARDLINK:
			archive_entry_clear(ae);
			archive_entry_set_pathname(ae, f->path);
			archive_entry_set_filetype(ae, AE_IFREG);
			archive_entry_set_perm(ae, f->mode);
			archive_entry_set_uid(ae, 0);
			archive_entry_set_gid(ae, 0);
			archive_entry_set_mtime(ae, mtime, 0);
			archive_entry_set_hardlink(ae, f->target);
			archive_entry_set_size(ae, 0);
			w = archive_write_header(a, ae);
			break;
		default:
			w = write_member(a, ae, f->path, AE_IFREG, f->mode, (long long)f->size,
					 mtime);
			if (w == ARCHIVE_OK && copy_file(a, dirfd, f->path) < 0)
				w = ARCHIVE_FATAL;
			break;
		}
		if (w != ARCHIVE_OK) {
			r = spk_fail(e, -EIO, f->path, "%s",
				     archive_error_string(a) ? archive_error_string(a)
							     : "write failed");
			goto out;
		}
	}
out:
	archive_entry_free(ae);
	return r;
}

static la_ssize_t fd_write(struct archive *a, void *fdp, const void *buf, size_t n)
{
	const char *p = buf;
	size_t left = n;

	(void)a;
	while (left) {
		ssize_t w = write(*(int *)fdp, p, left);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		p += w;
		left -= (size_t)w;
	}
	return (la_ssize_t)n;
}

int spk_mkpkg(const char *dir, const char *outdir, char *out_path, size_t n, struct spk_err *e)
{
	struct walk w = { .rootfd = -1 };
	struct spk_info info;
	struct spk_buf text = SPK_BUF_INIT, info_text = SPK_BUF_INIT, man_text = SPK_BUF_INIT;
	char name[512], tmp[600], what[600];
	struct archive *a = NULL;
	int fd = -1, outfd = -1, r;
	bool have_info = false;

	spk_manifest_init(&w.m);
	w.rootfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (w.rootfd < 0)
		return spk_fail(e, -errno, dir, NULL);
	fd = openat(w.rootfd, ".SPKINFO", O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		r = spk_fail(e, -errno, dir, "cannot read .SPKINFO: %s", spk_strerror(-errno));
		goto out;
	}
	spk_buf_init(&text, SPK_INFO_MAX);
	r = spk_buf_read_fd(&text, fd);
	close(fd);
	if (r < 0) {
		r = spk_fail(e, r, dir, ".SPKINFO: %s", spk_strerror(r));
		goto out;
	}
	snprintf(what, sizeof(what), "%s/.SPKINFO", dir);
	r = spk_info_parse(&info, text.data ? text.data : "", text.len, what, e);
	if (r < 0)
		goto out;
	have_info = true;
	r = walk_dir(&w, w.rootfd, "", e);
	if (r < 0)
		goto out;
	r = spk_manifest_sort(&w.m, dir, e);
	if (r < 0)
		goto out;
	if (canonical_hardlinks(&w) < 0) {
		r = spk_fail(e, -ENOMEM, dir, NULL);
		goto out;
	}
	r = spk_manifest_check(&w.m, dir, e);
	if (r < 0)
		goto out;
	for (size_t i = 0; i < w.m.n; i++) {
		char abs[SPK_PATH_MAX + 2];

		snprintf(abs, sizeof(abs), "/%s", w.m.v[i].path);
		if ((w.m.v[i].mode & 06000) && !spk_info_allows_setuid(&info, abs)) {
			r = spk_fail(e, -SPK_EUNSAFE, w.m.v[i].path,
				     "setuid/setgid without Allow-Setuid in .SPKINFO");
			goto out;
		}
	}
	if (info.build_date < 0) {
		const char *sde = getenv("SOURCE_DATE_EPOCH");
		char *end;

		info.build_date = 0;
		if (sde && *sde) {
			info.build_date = strtoll(sde, &end, 10);
			if (*end || info.build_date < 0) {
				r = spk_fail(e, -EINVAL, "SOURCE_DATE_EPOCH", "not an integer: '%s'",
					     sde);
				goto out;
			}
		}
	}
	if (info.installed_size < 0)
		info.installed_size = w.installed_size;
	if (spk_info_format(&info, &info_text) < 0 ||
	    spk_manifest_format(&w.m, "", &man_text) < 0) {
		r = spk_fail(e, -ENOMEM, dir, NULL);
		goto out;
	}
	spk_info_filename(&info, name, sizeof(name));
	snprintf(tmp, sizeof(tmp), "%s/.%s.tmp.%d", outdir, name, (int)getpid());
	outfd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (outfd < 0) {
		r = spk_fail(e, -errno, outdir, NULL);
		goto out;
	}
	a = archive_write_new();
	if (!a || archive_write_set_format_pax_restricted(a) != ARCHIVE_OK ||
	    archive_write_add_filter_xz(a) != ARCHIVE_OK ||
	    archive_write_set_filter_option(a, "xz", "compression-level", "6") != ARCHIVE_OK ||
	    archive_write_set_bytes_in_last_block(a, 1) != ARCHIVE_OK ||
	    archive_write_open(a, &outfd, NULL, fd_write, NULL) != ARCHIVE_OK) {
		r = spk_fail(e, -EIO, tmp, "%s", a ? archive_error_string(a) : "out of memory");
		goto out_unlink;
	}
	r = write_archive(a, w.rootfd, &info_text, &man_text, &w.m, info.build_date, e);
	if (r < 0)
		goto out_unlink;
	if (archive_write_close(a) != ARCHIVE_OK) {
		r = spk_fail(e, -EIO, tmp, "%s", archive_error_string(a));
		goto out_unlink;
	}
	if (close(outfd) < 0) {
		outfd = -1;
		r = spk_fail(e, -errno, tmp, NULL);
		goto out_unlink;
	}
	outfd = -1;
	snprintf(what, sizeof(what), "%s/%s", outdir, name);
	if (rename(tmp, what) < 0) {
		r = spk_fail(e, -errno, what, NULL);
		goto out_unlink;
	}
	if (out_path)
		snprintf(out_path, n, "%s", what);
	r = 0;
	goto out;
out_unlink:
	unlink(tmp);
out:
	if (a)
		archive_write_free(a);
	if (outfd >= 0)
		close(outfd);
	if (have_info)
		spk_info_release(&info);
	spk_buf_release(&text);
	spk_buf_release(&info_text);
	spk_buf_release(&man_text);
	spk_manifest_release(&w.m);
	for (size_t i = 0; i < w.n_inodes; i++)
		free(w.inodes[i].path);
	free(w.inodes);
	close(w.rootfd);
	return r;
}
