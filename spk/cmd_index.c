/* spk index --repository OWNER/REPO --snapshot TAG --serial N [--valid-days D]
 *           [--previous OLD-SPKINDEX.xz] [--key SECRETKEY] OUTDIR PKGFILE...
 *
 * Makes OUTDIR a complete repository snapshot, ready for spk publish: the packages this snapshot
 * must upload (copied in under their canonical asset names), SPKINDEX.xz, SPKCHANNEL and, with
 * --key, SPKCHANNEL.minisig. With --previous, a package whose SHA-256 is in the older index keeps
 * that entry's Asset-Tag and is not copied: the client fetches it from the older release. */
#include "spk/cli.h"

#include "libcli/report.h"
#include "libspk/buf.h"
#include "libspk/channel.h"
#include "libspk/index.h"
#include "libspk/pkg.h"
#include "libspk/publish_file.h"
#include "libspk/relation.h"
#include "libspk/sig.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define USAGE                                                                                      \
	"usage: spk index --repository OWNER/REPO --snapshot TAG --serial N [--valid-days D] "     \
	"[--previous OLD-SPKINDEX.xz] [--key SECRETKEY] OUTDIR PKGFILE..."

/* One package going into the index, with the strings its entry borrows. */
struct item {
	struct spk_index_entry en;
	struct spk_info info;
	char *relations[4]; /* canonical Depends, Provides, Conflicts, Replaces */
	char asset[512];
	const char *path; /* the PKGFILE argument */
	bool upload;      /* this snapshot holds the asset (copied into OUTDIR) */
};

static void item_release(struct item *it)
{
	spk_info_release(&it->info);
	for (int i = 0; i < 4; i++)
		free(it->relations[i]);
}

/* SHA-256 and size of a file, streamed. */
static int hash_file(const char *path, uint8_t sha[32], uint64_t *size, struct spk_err *e)
{
	crypto_hash_sha256_state st;
	unsigned char buf[65536];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return spk_fail(e, -errno, path, NULL);
	crypto_hash_sha256_init(&st);
	*size = 0;
	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int r = -errno;

			close(fd);
			return spk_fail(e, r, path, NULL);
		}
		crypto_hash_sha256_update(&st, buf, (size_t)n);
		*size += (uint64_t)n;
	}
	close(fd);
	crypto_hash_sha256_final(&st, sha);
	return 0;
}

static char *relations_text(const struct spk_relations *rel)
{
	struct spk_buf b = SPK_BUF_INIT;

	if (spk_relations_format(rel, &b) < 0) {
		spk_buf_release(&b);
		return NULL;
	}
	return spk_buf_detach(&b, NULL);
}

static int item_load(struct item *it, const char *path, struct spk_err *e)
{
	const struct spk_relations *rels[4];
	int r;

	memset(it, 0, sizeof(*it));
	it->path = path;
	r = spk_pkg_read_info(path, &it->info, e);
	if (r < 0)
		return r;
	rels[0] = &it->info.depends;
	rels[1] = &it->info.provides;
	rels[2] = &it->info.conflicts;
	rels[3] = &it->info.replaces;
	for (int i = 0; i < 4; i++) {
		it->relations[i] = relations_text(rels[i]);
		if (!it->relations[i])
			return spk_fail(e, -ENOMEM, path, NULL);
	}
	spk_info_filename(&it->info, it->asset, sizeof(it->asset));
	it->en.name = it->info.name;
	it->en.version = it->info.version;
	it->en.arch = it->info.arch;
	it->en.description = it->info.description ? it->info.description : "";
	it->en.depends = it->relations[0];
	it->en.provides = it->relations[1];
	it->en.conflicts = it->relations[2];
	it->en.replaces = it->relations[3];
	it->en.installed_size = it->info.installed_size > 0 ? (uint64_t)it->info.installed_size : 0;
	it->en.asset = it->asset;
	return hash_file(path, it->en.sha256, &it->en.size, e);
}

/* The older entry with this SHA-256 and asset name, or NULL. */
static const struct spk_index_entry *previous_find(const struct spk_index *prev,
                                                   const struct spk_index_entry *en)
{
	for (size_t i = 0; prev && i < prev->n; i++)
		if (!memcmp(prev->entries[i].sha256, en->sha256, 32) &&
		    !strcmp(prev->entries[i].asset, en->asset))
			return &prev->entries[i];
	return NULL;
}

static int cmp_items(const void *a, const void *b)
{
	const struct item *x = *(struct item *const *)a, *y = *(struct item *const *)b;
	int c = strcmp(x->en.name, y->en.name);

	if (!c)
		c = strcmp(x->en.version, y->en.version);
	return c ? c : strcmp(x->en.arch, y->en.arch);
}

static int64_t build_time(void)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	char *end;

	if (sde && *sde) {
		errno = 0;
		long long v = strtoll(sde, &end, 10);

		if (!errno && !*end && v >= 0)
			return v;
	}
	return (int64_t)time(NULL);
}

struct opts {
	const char *repository, *snapshot, *previous, *key, *outdir;
	uint64_t serial;
	unsigned long valid_days;
};

static int parse_opts(struct opts *o, int argc, char **argv)
{
	static const struct option lo[] = {
	    {"repository", required_argument, NULL, 'r'},
	    {"snapshot", required_argument, NULL, 's'},
	    {"serial", required_argument, NULL, 'n'},
	    {"valid-days", required_argument, NULL, 'd'},
	    {"previous", required_argument, NULL, 'p'},
	    {"key", required_argument, NULL, 'k'},
	    {NULL, 0, NULL, 0},
	};
	bool have_serial = false;
	char *end;
	int c;

	memset(o, 0, sizeof(*o));
	o->valid_days = 30;
	while ((c = getopt_long(argc, argv, "+", lo, NULL)) != -1) {
		switch (c) {
		case 'r':
			o->repository = optarg;
			break;
		case 's':
			o->snapshot = optarg;
			break;
		case 'n':
			errno = 0;
			o->serial = strtoull(optarg, &end, 10);
			if (errno || *end || optarg[0] < '0' || optarg[0] > '9')
				return report_usage("spk", "index: --serial: not a number: '%s'",
				                    optarg);
			have_serial = true;
			break;
		case 'd':
			errno = 0;
			o->valid_days = strtoul(optarg, &end, 10);
			if (errno || *end || optarg[0] < '1' || optarg[0] > '9' ||
			    o->valid_days > 3660)
				return report_usage(
				    "spk", "index: --valid-days: 1 to 3660, not '%s'", optarg);
			break;
		case 'p':
			o->previous = optarg;
			break;
		case 'k':
			o->key = optarg;
			break;
		default:
			return report_usage("spk", USAGE);
		}
	}
	if (!o->repository || !o->snapshot || !have_serial || argc - optind < 2)
		return report_usage("spk", USAGE);
	o->outdir = argv[optind];
	return 0;
}

/* Loads --previous (an SPKINDEX.xz); prev->n == 0 without it. */
static int previous_load(struct spk_index *prev, const char *path, struct spk_err *e)
{
	struct spk_buf xz;
	int r;

	memset(prev, 0, sizeof(*prev));
	if (!path)
		return 0;
	r = spk_publish_file_read(&xz, AT_FDCWD, path, SPK_INDEX_XZ_MAX, e);
	if (r == 0)
		r = spk_index_load_xz(prev, xz.data ? xz.data : "", xz.len, path, e);
	spk_buf_release(&xz);
	return r;
}

/* Same file (device and inode), so copying it onto itself is skipped. */
static bool same_file(const char *a, int dirfd, const char *b)
{
	struct stat sa, sb;

	return stat(a, &sa) == 0 && fstatat(dirfd, b, &sb, 0) == 0 && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}

int cmd_index(struct cli *cli, int argc, char **argv)
{
	struct opts o;
	struct spk_err err = {0};
	struct spk_index prev = {0}, check = {0};
	struct spk_sig_seckey sec;
	struct spk_channel ch = {0};
	struct spk_buf text = SPK_BUF_INIT, xz = SPK_BUF_INIT, chtext = SPK_BUF_INIT,
	               sigtext = SPK_BUF_INIT;
	struct item *items = NULL, **sorted = NULL;
	struct spk_index_entry *entries = NULL;
	size_t n = 0, uploads = 0;
	int outfd = -1, r;

	(void)cli;
	r = parse_opts(&o, argc, argv);
	if (r)
		return r;
	/* the channel's fields are checked by reading back what we would write */
	snprintf(ch.repository, sizeof(ch.repository), "%s", o.repository);
	snprintf(ch.snapshot, sizeof(ch.snapshot), "%s", o.snapshot);
	ch.serial = o.serial;
	ch.date = build_time();
	ch.valid_until = ch.date + (int64_t)o.valid_days * 86400;
	if (strlen(o.repository) >= sizeof(ch.repository) ||
	    strlen(o.snapshot) >= sizeof(ch.snapshot) || spk_channel_format(&ch, &chtext) < 0 ||
	    spk_channel_parse(&ch, chtext.data, chtext.len, "SPKCHANNEL", &err) < 0) {
		spk_buf_release(&chtext);
		return report_usage("spk", "index: bad --repository or --snapshot: %s",
		                    err.why[0] ? err.why : "too long");
	}
	spk_buf_reset(&chtext);

	if (o.key) {
		r = spk_sig_seckey_load(&sec, AT_FDCWD, o.key, &err);
		if (r < 0)
			goto out;
	}
	r = previous_load(&prev, o.previous, &err);
	if (r < 0)
		goto out;

	n = (size_t)(argc - optind - 1);
	items = calloc(n, sizeof(*items));
	sorted = calloc(n, sizeof(*sorted));
	entries = calloc(n, sizeof(*entries));
	if (!items || !sorted || !entries) {
		r = spk_fail(&err, -ENOMEM, "index", NULL);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		const struct spk_index_entry *old;

		r = item_load(&items[i], argv[optind + 1 + i], &err);
		if (r < 0)
			goto out;
		old = previous_find(&prev, &items[i].en);
		items[i].en.asset_tag = old ? old->asset_tag : o.snapshot;
		items[i].upload = !old;
		sorted[i] = &items[i];
	}
	qsort(sorted, n, sizeof(*sorted), cmp_items);
	for (size_t i = 0; i < n; i++) {
		if (i && !cmp_items(&sorted[i - 1], &sorted[i])) {
			r = spk_fail(&err, -SPK_ECONFLICT, sorted[i]->path,
			             "%s %s %s given twice (also %s)", sorted[i]->en.name,
			             sorted[i]->en.version, sorted[i]->en.arch,
			             sorted[i - 1]->path);
			goto out;
		}
		entries[i] = sorted[i]->en;
	}
	r = spk_index_format(entries, n, &text, &err);
	if (r == 0)
		r = spk_index_compress(text.data ? text.data : "", text.len, &xz, &err);
	/* what clients will parse must parse: read our own output back before writing it */
	if (r == 0)
		r = spk_index_load_xz(&check, xz.data, xz.len, "SPKINDEX.xz", &err);
	if (r < 0)
		goto out;
	crypto_hash_sha256(ch.index_sha256, (const unsigned char *)xz.data, xz.len);
	if (spk_channel_format(&ch, &chtext) < 0) {
		r = spk_fail(&err, -ENOMEM, "SPKCHANNEL", NULL);
		goto out;
	}
	if (o.key) {
		struct spk_sig sig;
		char comment[SPK_SIG_COMMENT_MAX];

		spk_sig_default_comment(comment, sizeof(comment), "SPKCHANNEL", false);
		r = spk_sig_sign(&sig, &sec, chtext.data, chtext.len, false, comment, &err);
		if (r == 0 && spk_sig_format(&sig, &sigtext) < 0)
			r = spk_fail(&err, -ENOMEM, "SPKCHANNEL.minisig", NULL);
		if (r < 0)
			goto out;
	}

	if (mkdir(o.outdir, 0755) < 0 && errno != EEXIST) {
		r = spk_fail(&err, -errno, o.outdir, NULL);
		goto out;
	}
	outfd = open(o.outdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (outfd < 0) {
		r = spk_fail(&err, -errno, o.outdir, NULL);
		goto out;
	}
	/* packages, then the index, then the signature, the channel last: a snapshot directory
	 * with a channel is complete */
	for (size_t i = 0; i < n; i++) {
		if (!sorted[i]->upload)
			continue;
		uploads++;
		if (same_file(sorted[i]->path, outfd, sorted[i]->asset))
			continue;
		r = spk_publish_file_copy(AT_FDCWD, sorted[i]->path, outfd, sorted[i]->asset, 0644,
		                          0, &err);
		if (r < 0)
			goto out;
	}
	r = spk_publish_file_write(outfd, "SPKINDEX.xz", xz.data, xz.len, 0644, 0, &err);
	if (r == 0 && o.key)
		r = spk_publish_file_write(outfd, "SPKCHANNEL.minisig", sigtext.data, sigtext.len,
		                           0644, 0, &err);
	else if (r == 0 && unlinkat(outfd, "SPKCHANNEL.minisig", 0) < 0 && errno != ENOENT)
		r = spk_fail(&err, -errno, "SPKCHANNEL.minisig", "stale signature not removed");
	if (r == 0)
		r = spk_publish_file_write(outfd, "SPKCHANNEL", chtext.data, chtext.len, 0644, 0,
		                           &err);
	if (r == 0 && !cli->quiet)
		printf("%s: %zu packages, %zu to upload, serial %llu%s\n", o.outdir, n, uploads,
		       (unsigned long long)o.serial, o.key ? ", signed" : ", unsigned");
out:
	if (o.key)
		sodium_memzero(&sec, sizeof(sec));
	for (size_t i = 0; items && i < n; i++)
		item_release(&items[i]);
	free(items);
	free(sorted);
	free(entries);
	spk_index_release(&prev);
	spk_index_release(&check);
	spk_buf_release(&text);
	spk_buf_release(&xz);
	spk_buf_release(&chtext);
	spk_buf_release(&sigtext);
	if (outfd >= 0)
		close(outfd);
	return r < 0 ? report("spk", &err) : 0;
}
