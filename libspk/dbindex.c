#include "libspk/dbindex.h"

#include "libspk/atomic.h"
#include "libspk/buf.h"
#include "libspk/path.h"
#include "libspk/root.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAGIC "SPKIDX1\n"

struct header {
	char magic[8];
	uint64_t db_dev, db_ino, db_size, db_mtime_sec, db_mtime_nsec;
	uint32_t npkgs, nbuckets;
	uint64_t pkgs_off, buckets_off, strings_off, total;
};

struct pkgrec {
	uint32_t name, version; /* offsets into the string area */
};

struct bucket {
	uint32_t hash, path, pkg; /* path 0 = empty slot */
};

static int db_identity(int rootfd, struct header *h)
{
	struct stat st;

	if (fstatat(rootfd, SPK_DB_PATH, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return -errno;
	h->db_dev = st.st_dev;
	h->db_ino = st.st_ino;
	h->db_size = (uint64_t)st.st_size;
	h->db_mtime_sec = (uint64_t)st.st_mtim.tv_sec;
	h->db_mtime_nsec = (uint64_t)st.st_mtim.tv_nsec;
	return 0;
}

/* The laid-out index, before its strings are written: offsets are computed from lengths, so
 * the string area is streamed to the file at the end instead of being held in memory. */
struct layout {
	const struct spk_db *db;
	struct header h;
	struct pkgrec *pkgs;
	struct bucket *buckets;
};

static int lay_out(const struct spk_db *db, const struct header *id, struct layout *l)
{
	uint64_t off = 1; /* offset 0 is the empty string: a free bucket */
	size_t entries = 0, nb = 16;

	memset(l, 0, sizeof(*l));
	l->db = db;
	for (size_t i = 0; i < db->n; i++)
		entries += db->pkgs[i].files.n;
	while (nb < entries * 2)
		nb *= 2;
	l->pkgs = calloc(db->n ? db->n : 1, sizeof(*l->pkgs));
	l->buckets = calloc(nb, sizeof(*l->buckets));
	if (!l->pkgs || !l->buckets)
		return -ENOMEM;
	for (size_t i = 0; i < db->n; i++) {
		const struct spk_dbpkg *p = &db->pkgs[i];

		l->pkgs[i].name = (uint32_t)off;
		off += strlen(p->info.name) + 1;
		l->pkgs[i].version = (uint32_t)off;
		off += strlen(p->info.version) + 1;
		for (size_t f = 0; f < p->files.n; f++) {
			uint64_t hv = spk_path_hash(p->files.v[f].path);
			size_t k = (size_t)hv & (nb - 1);

			while (l->buckets[k].path)
				k = (k + 1) & (nb - 1);
			l->buckets[k].hash = (uint32_t)hv;
			l->buckets[k].pkg = (uint32_t)i;
			l->buckets[k].path = (uint32_t)off;
			off += strlen(p->files.v[f].path) + 1;
		}
		if (off > UINT32_MAX)
			return -EFBIG;
	}
	l->h = *id;
	memcpy(l->h.magic, MAGIC, 8);
	l->h.npkgs = (uint32_t)db->n;
	l->h.nbuckets = (uint32_t)nb;
	l->h.pkgs_off = sizeof(l->h);
	l->h.buckets_off = l->h.pkgs_off + db->n * sizeof(*l->pkgs);
	l->h.strings_off = l->h.buckets_off + nb * sizeof(*l->buckets);
	l->h.total = l->h.strings_off + off;
	return 0;
}

static void layout_release(struct layout *l)
{
	free(l->pkgs);
	free(l->buckets);
}

/* Emits the index through put(arg, bytes, n): header, tables, then the strings in the order
 * lay_out() counted them. */
static int emit(const struct layout *l, int (*put)(void *arg, const void *p, size_t n), void *arg)
{
	const struct spk_db *db = l->db;
	int r = put(arg, &l->h, sizeof(l->h));

	if (!r)
		r = put(arg, l->pkgs, db->n * sizeof(*l->pkgs));
	if (!r)
		r = put(arg, l->buckets, l->h.nbuckets * sizeof(*l->buckets));
	if (!r)
		r = put(arg, "", 1);
	for (size_t i = 0; !r && i < db->n; i++) {
		const struct spk_dbpkg *p = &db->pkgs[i];

		r = put(arg, p->info.name, strlen(p->info.name) + 1);
		if (!r)
			r = put(arg, p->info.version, strlen(p->info.version) + 1);
		for (size_t f = 0; !r && f < p->files.n; f++)
			r = put(arg, p->files.v[f].path, strlen(p->files.v[f].path) + 1);
	}
	return r;
}

static int put_buf(void *arg, const void *p, size_t n)
{
	return spk_buf_add(arg, p, n);
}

static int build(const struct spk_db *db, const struct header *id, struct spk_buf *out)
{
	struct layout l;
	int r = lay_out(db, id, &l);

	if (r == 0)
		r = emit(&l, put_buf, out);
	layout_release(&l);
	return r;
}

struct file_out {
	int fd;
	struct spk_buf b;
};

static int flush_out(struct file_out *o)
{
	const char *p = o->b.data;
	size_t n = o->b.len;

	while (n) {
		ssize_t w = write(o->fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		p += w;
		n -= (size_t)w;
	}
	spk_buf_reset(&o->b);
	return 0;
}

static int put_file(void *arg, const void *p, size_t n)
{
	struct file_out *o = arg;
	int r = spk_buf_add(&o->b, p, n);

	if (r == 0 && o->b.len >= 256 * 1024)
		r = flush_out(o);
	return r;
}

static int write_layout(void *arg, int fd)
{
	struct file_out o = { .fd = fd, .b = SPK_BUF_INIT };
	int r = emit(arg, put_file, &o);

	if (r == 0)
		r = flush_out(&o);
	spk_buf_release(&o.b);
	return r;
}

int spk_dbindex_update(int rootfd, const struct spk_db *db)
{
	struct header id = { 0 };
	struct layout l;
	int r = db_identity(rootfd, &id);

	if (r < 0)
		return r;
	r = lay_out(db, &id, &l);
	if (r == 0)
		r = spk_atomic_write_with(rootfd, SPK_DBINDEX_PATH, 0644, false, write_layout, &l,
					  NULL);
	layout_release(&l);
	return r;
}

static const struct header *hdr(const struct spk_dbindex *x)
{
	return (const struct header *)(const void *)x->base;
}

/* Structural checks, so a damaged index is rebuilt instead of trusted. */
static bool usable(const unsigned char *base, size_t len, const struct header *want)
{
	const struct header *h = (const void *)base;

	if (len < sizeof(*h) || memcmp(h->magic, MAGIC, 8) || h->total != len ||
	    h->db_dev != want->db_dev || h->db_ino != want->db_ino ||
	    h->db_size != want->db_size || h->db_mtime_sec != want->db_mtime_sec ||
	    h->db_mtime_nsec != want->db_mtime_nsec)
		return false;
	if (h->pkgs_off != sizeof(*h) ||
	    h->buckets_off != h->pkgs_off + (uint64_t)h->npkgs * sizeof(struct pkgrec) ||
	    h->strings_off != h->buckets_off + (uint64_t)h->nbuckets * sizeof(struct bucket) ||
	    h->strings_off >= len || (h->nbuckets & (h->nbuckets - 1)) || !h->nbuckets ||
	    base[len - 1] != '\0')
		return false;
	return true;
}

int spk_dbindex_open(struct spk_dbindex *x, int rootfd, struct spk_err *e)
{
	struct header want = { 0 };
	struct spk_buf out = SPK_BUF_INIT;
	struct spk_db db;
	struct stat st;
	int fd, r;

	memset(x, 0, sizeof(*x));
	r = db_identity(rootfd, &want);
	if (r == -ENOENT) {
		spk_db_init(&db);
		goto rebuild; /* nothing installed: an empty index, in memory */
	}
	if (r < 0)
		return spk_fail(e, r, SPK_DB_PATH, NULL);
	fd = openat(rootfd, SPK_DBINDEX_PATH, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd >= 0) {
		if (fstat(fd, &st) == 0 && st.st_size >= (off_t)sizeof(struct header)) {
			void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);

			if (m != MAP_FAILED) {
				if (usable(m, (size_t)st.st_size, &want)) {
					close(fd);
					x->base = m;
					x->len = (size_t)st.st_size;
					return 0;
				}
				munmap(m, (size_t)st.st_size);
			}
		}
		close(fd);
	}
	r = spk_db_load(&db, rootfd, e);
	if (r < 0)
		return r;
	/* Stale or missing: refresh it for the next reader, if this root is writable. */
	if (spk_dbindex_update(rootfd, &db) == 0) {
		spk_db_release(&db);
		return spk_dbindex_open(x, rootfd, e);
	}
rebuild:
	r = build(&db, &want, &out);
	spk_db_release(&db);
	if (r < 0) {
		spk_buf_release(&out);
		return spk_fail(e, r, SPK_DBINDEX_PATH, NULL);
	}
	x->heap = spk_buf_detach(&out, &x->len);
	x->base = x->heap;
	return 0;
}

void spk_dbindex_close(struct spk_dbindex *x)
{
	if (x->heap)
		free(x->heap);
	else if (x->base)
		munmap((void *)x->base, x->len);
	memset(x, 0, sizeof(*x));
}

size_t spk_dbindex_count(const struct spk_dbindex *x)
{
	return hdr(x)->npkgs;
}

static const char *str(const struct spk_dbindex *x, uint32_t off)
{
	uint64_t at = hdr(x)->strings_off + off;

	return at < x->len ? (const char *)x->base + at : "";
}

void spk_dbindex_pkg(const struct spk_dbindex *x, size_t i, const char **name,
		     const char **version)
{
	const struct pkgrec *p = (const void *)(x->base + hdr(x)->pkgs_off);

	*name = str(x, p[i].name);
	*version = str(x, p[i].version);
}

size_t spk_dbindex_owners(const struct spk_dbindex *x, const char *relpath,
			  void (*fn)(void *arg, const char *name, const char *version), void *arg)
{
	const struct header *h = hdr(x);
	const struct bucket *b = (const void *)(x->base + h->buckets_off);
	uint64_t hv = spk_path_hash(relpath);
	size_t mask = h->nbuckets - 1, k = (size_t)hv & mask, found = 0;

	for (size_t probes = 0; b[k].path && probes < h->nbuckets; probes++) {
		if (b[k].hash == (uint32_t)hv && b[k].pkg < h->npkgs &&
		    !strcmp(str(x, b[k].path), relpath)) {
			const char *name, *version;

			spk_dbindex_pkg(x, b[k].pkg, &name, &version);
			fn(arg, name, version);
			found++;
		}
		k = (k + 1) & mask;
	}
	return found;
}
